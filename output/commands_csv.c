/* commands.csv: one row per exchange, from a run's trace (--trace). 'ftpsim probe' writes the same columns
 * about a real server, and more: its table is probe/probe_commands_csv.c. */
#include "csv.h"
#include "report.h"

#define EXCHANGE(row) ((const ExchangeRecord *)(row))

static void write_simulated_time(FILE *stream, const void *row)
{
  csv_put_time(stream, EXCHANGE(row)->time);
}

static void write_session(FILE *stream, const void *row)
{
  csv_put_u64(stream, EXCHANGE(row)->session);
}

static void write_client_host(FILE *stream, const void *row)
{
  csv_write_field(stream, EXCHANGE(row)->client_host);
}

static void write_server_host(FILE *stream, const void *row)
{
  csv_write_field(stream, EXCHANGE(row)->server_host);
}

static void write_command(FILE *stream, const void *row)
{
  fputs(EXCHANGE(row)->command, stream);
}

static void write_port(FILE *stream, const void *row)
{
  csv_put_u64(stream, EXCHANGE(row)->port);
}

static void write_reply_code(FILE *stream, const void *row)
{
  csv_put_u64(stream, EXCHANGE(row)->reply_code);
}

static void write_accepted(FILE *stream, const void *row)
{
  fputc(EXCHANGE(row)->accepted ? '1' : '0', stream);
}

/* The columns after time. */
// clang-format off
#define EXCHANGE_COLUMNS                                                                                               \
  {"session", "the session's id (`sessions.csv`)", write_session, NULL},                                               \
  {"client_host", "the client's host", write_client_host, NULL},                                                       \
  {"server_host", "the server's host", write_server_host, NULL},                                                       \
  {"command", "`PORT`, `EPRT`, `PASV`, or a data command: `RETR`, `LIST`, `STOR` (`NLST` from the probe)",             \
   write_command, NULL},                                                                                               \
  {"port", "the port the command named", write_port, NULL},                                                            \
  {"reply_code", "the reply's code; a data command's row carries its final reply (226, or 425)",                       \
   write_reply_code, NULL},                                                                                            \
  {"accepted", "1 if the reply was positive, else 0", write_accepted, NULL}
// clang-format on

static const Column command_columns[] = {
    {"time", "when the reply arrived", write_simulated_time, NULL},
    EXCHANGE_COLUMNS,
};

const ColumnTable commands_csv = {"commands.csv",
                                  "with `--trace`, one row per PORT, EPRT or PASV exchange and per data command",
                                  command_columns, G_N_ELEMENTS(command_columns)};

void report_commands_header(FILE *stream)
{
  columns_write_header(stream, &commands_csv);
}

void report_command_row(FILE *stream, const ExchangeRecord *record)
{
  columns_write_row(stream, &commands_csv, record);
}
