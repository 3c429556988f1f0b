/* commands.csv: one row per exchange, from a run's trace (--trace). 'ftpsim probe' writes the same columns
 * about a real server, and more: its table is probe/probe_commands_csv.c. */
#include "csv.h"
#include "report.h"
#include "server_policy.h"

#define EXCHANGE(row) ((const ExchangeRecord *)(row))

static void write_simulated_time(FILE *stream, const void *row)
{
  csv_put_time(stream, EXCHANGE(row)->time);
}

void exchange_write_session(FILE *stream, const void *row)
{
  csv_put_u64(stream, EXCHANGE(row)->session);
}

void exchange_write_client_host(FILE *stream, const void *row)
{
  csv_write_field(stream, EXCHANGE(row)->client_host);
}

void exchange_write_server_host(FILE *stream, const void *row)
{
  csv_write_field(stream, EXCHANGE(row)->server_host);
}

void exchange_write_command(FILE *stream, const void *row)
{
  fputs(EXCHANGE(row)->command, stream);
}

void exchange_write_port(FILE *stream, const void *row)
{
  csv_put_u64(stream, EXCHANGE(row)->port);
}

void exchange_write_reply_code(FILE *stream, const void *row)
{
  if (EXCHANGE(row)->reply_code != 0)
    csv_put_u64(stream, EXCHANGE(row)->reply_code);
}

/* The simulator's reply text, rendered here, once per row written, so the run itself never formats one. */
static void write_simulated_reply_text(FILE *stream, const void *row)
{
  const ExchangeRecord *record = EXCHANGE(row);
  if (record->reply_text == NULL)
    return;
  g_autofree gchar *text =
      server_policy_render_text((FtpReply){record->reply_code, record->reply_text}, &record->request);
  if (record->reply_preamble == NULL) {
    csv_write_field(stream, text);
    return;
  }
  g_autofree gchar *first =
      server_policy_render_text((FtpReply){record->reply_code, record->reply_preamble}, &record->request);
  g_autofree gchar *both = g_strconcat(first, "\n", text, NULL);
  csv_write_field(stream, both);
}

static void write_failure(FILE *stream, const void *row)
{
  fputs(data_failure_name(EXCHANGE(row)->failure), stream);
}

void exchange_write_accepted(FILE *stream, const void *row)
{
  fputc(EXCHANGE(row)->accepted ? '1' : '0', stream);
}

/* The columns after time. */
// clang-format off
#define EXCHANGE_COLUMNS                                                                                               \
  {"session", "the session's id (`sessions.csv`)", exchange_write_session, NULL, COLUMN_INT},                                   \
  {"client_host", "the client's host", exchange_write_client_host, NULL, COLUMN_TEXT},                                          \
  {"server_host", "the server's host", exchange_write_server_host, NULL, COLUMN_TEXT},                                          \
  {"command", "`PORT`, `EPRT`, `PASV`, or a data command: `RETR`, `LIST`, `STOR` (`NLST` from the probe)",             \
   exchange_write_command, NULL, COLUMN_TEXT},                                                                                  \
  {"port", "the port the command named", exchange_write_port, NULL, COLUMN_INT},                                                \
  {"reply_code", "the reply's code; a data command's row carries its final reply (226, or 425); empty when the "       \
   "command was not sent", exchange_write_reply_code, NULL, COLUMN_INT},                                                        \
  {"accepted", "1 if the reply was positive, else 0", exchange_write_accepted, NULL, COLUMN_INT}
// clang-format on

static const Column command_columns[] = {
    {"time", "when the reply arrived (a command that was not sent: when it failed)", write_simulated_time, NULL,
     COLUMN_FLOAT},
    EXCHANGE_COLUMNS,
    {"reply_text",
     "the reply's text as the server policy's model sends it, lines joined by `\\n` as the probe writes them "
     "(`{n}`, the names a listing holds, stays a placeholder: the simulator lists no folder); empty when the "
     "command was not sent",
     write_simulated_reply_text, NULL, COLUMN_TEXT},
    {"failure",
     "why a data command failed: `client_port_busy` (the client could not listen, so no PORT was sent), "
     "`time_wait` (the server's 4-tuple from port 20 was in TIME_WAIT), `refused` (nothing listened), "
     "`unreachable` (the address did not answer), `ended_by_server` (the server closed the session), `no_port` "
     "(sent after a refused PORT, `client.data_after_reject=yes`), `stalled` (its 150 came, then no data "
     "connection before `client.accept_timeout`); on a PORT row, why the connection a server makes before "
     "replying failed, or `middlebox_dropped` / `middlebox_closed` (a middlebox dropped the PORT or closed the "
     "connection: no reply); else empty",
     write_failure, NULL, COLUMN_TEXT},
};

const ColumnTable commands_csv = {
    "commands.csv",
    "with `--trace`, one row per PORT, EPRT or PASV exchange and per data command (a data "
    "command that failed before its PORT included)",
    command_columns, G_N_ELEMENTS(command_columns)};

void report_commands_header(FILE *stream)
{
  columns_write_header(stream, &commands_csv);
}

void report_command_row(FILE *stream, const ExchangeRecord *record)
{
  columns_write_row(stream, &commands_csv, record);
}
