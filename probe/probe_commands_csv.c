/* The probe's commands.csv column table. The first eight columns repeat output/commands_csv.c's names in
 * its order (test_output asserts it), with the probe's own time (microseconds); the rest are the probe's. */
#include "probe_commands_csv.h"

#include "csv.h"
#include "report.h"

#define ROW(row) ((const ProbeExchangeRow *)(row))
#define EXCHANGE(row) (&ROW(row)->exchange)

/* The probe measures in microseconds (g_get_monotonic_time), hence six decimals. */
static void write_wall_time(FILE *stream, const void *row)
{
  csv_put_micro(stream, EXCHANGE(row)->time);
}

static void write_flag(FILE *stream, gboolean flag)
{
  fputc(flag ? '1' : '0', stream);
}

static void write_optional_text(FILE *stream, const char *text)
{
  if (text != NULL)
    csv_write_field(stream, text);
}

static void write_optional_number(FILE *stream, gint64 value)
{
  if (value >= 0)
    csv_put_u64(stream, (guint64)value);
}

static void write_reply_text(FILE *stream, const void *row)
{
  write_optional_text(stream, ROW(row)->reply_text);
}

static void write_expected_code(FILE *stream, const void *row)
{
  write_optional_number(stream, ROW(row)->expected_code);
}

static void write_expected_text(FILE *stream, const void *row)
{
  if (ROW(row)->expected_code >= 0)
    write_optional_text(stream, ROW(row)->expected_text);
}

static void write_address(FILE *stream, const void *row)
{
  write_optional_text(stream, ROW(row)->address);
}

static void write_listening(FILE *stream, const void *row)
{
  write_flag(stream, ROW(row)->listening);
}

static void write_connected_before_reply(FILE *stream, const void *row)
{
  write_optional_number(stream, ROW(row)->connected_before_reply);
}

static void write_preliminary_code(FILE *stream, const void *row)
{
  write_optional_number(stream, ROW(row)->preliminary_code);
}

static void write_preliminary_text(FILE *stream, const void *row)
{
  if (ROW(row)->preliminary_code >= 0)
    write_optional_text(stream, ROW(row)->preliminary_text);
}

static void write_data_source(FILE *stream, const void *row)
{
  write_optional_text(stream, ROW(row)->data_source);
}

static void write_bytes(FILE *stream, const void *row)
{
  write_optional_number(stream, ROW(row)->bytes);
}

static void write_stalled(FILE *stream, const void *row)
{
  write_flag(stream, ROW(row)->stalled);
}

static void write_session_closed(FILE *stream, const void *row)
{
  write_flag(stream, ROW(row)->session_closed);
}

static const Column probe_command_columns[] = {
    {"time", "when the reply arrived, wall-clock seconds since the probe started (six decimals)", write_wall_time, NULL,
     COLUMN_FLOAT},
    {"session", "the session's id (`sessions.csv`; always 1)", exchange_write_session, NULL, COLUMN_INT},
    {"client_host", "the probe's control-connection address", exchange_write_client_host, NULL, COLUMN_TEXT},
    {"server_host", "the server, `ADDRESS:PORT`", exchange_write_server_host, NULL, COLUMN_TEXT},
    {"command", "`PORT` or `EPRT`; `NLST` or `RETR`, the data command after it; `NOOP`, whether the session lives",
     exchange_write_command, NULL, COLUMN_TEXT},
    {"port", "the port the PORT/EPRT named (on its data command's and NOOP's rows too)", exchange_write_port, NULL,
     COLUMN_INT},
    {"reply_code", "the reply's code; a data command's row carries its final reply (226, 425...); empty: no reply",
     exchange_write_reply_code, NULL, COLUMN_INT},
    {"accepted", "1 if the reply was positive, else 0", exchange_write_accepted, NULL, COLUMN_INT},
    {"reply_text", "the whole reply as the server wrote it (every line); empty: no reply", write_reply_text, NULL,
     COLUMN_TEXT},
    {"expected_code", "with `--expect POLICY`, PORT/EPRT rows: the reply code that policy model predicts",
     write_expected_code, NULL, COLUMN_INT},
    {"expected_text", "with `--expect POLICY`: the text of the last reply line it predicts", write_expected_text, NULL,
     COLUMN_TEXT},
    {"address", "the address the PORT/EPRT named", write_address, NULL, COLUMN_TEXT},
    {"listening", "1 if the probe listened on that address and port (0 with `--no-listen`)", write_listening, NULL,
     COLUMN_INT},
    {"connected_before_reply", "PORT/EPRT rows: 1 if the server's data connection was waiting when its reply came",
     write_connected_before_reply, NULL, COLUMN_INT},
    {"preliminary_code", "data command rows: the preliminary reply's code (150, 125), empty if none",
     write_preliminary_code, NULL, COLUMN_INT},
    {"preliminary_text", "its text", write_preliminary_text, NULL, COLUMN_TEXT},
    {"data_source", "data command rows: `ADDRESS:PORT` the server's data connection came from, empty if none",
     write_data_source, NULL, COLUMN_TEXT},
    {"bytes", "data command rows: bytes received on the data connection", write_bytes, NULL, COLUMN_INT},
    {"stalled", "1 if no reply or data came within `--timeout`: the probe then ended the session", write_stalled, NULL,
     COLUMN_INT},
    {"session_closed", "1 if the server closed the control connection during this exchange", write_session_closed, NULL,
     COLUMN_INT},
};

const ColumnTable probe_commands_csv = {"commands.csv",
                                        "of `ftpsim probe`, one row per PORT or EPRT exchange, per data command "
                                        "after it and per NOOP, with a real server",
                                        probe_command_columns, G_N_ELEMENTS(probe_command_columns)};
