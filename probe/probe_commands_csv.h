/* commands.csv of 'ftpsim probe': the simulator's exchange columns (output/commands_csv.c's commands_csv, same
 * names, same order: test_output checks it), then what only a real session shows - the reply texts, the
 * model's prediction, and the whole session after a PORT/EPRT: listener, data connection, NOOP. */
#ifndef FTPSIM_PROBE_COMMANDS_CSV_H
#define FTPSIM_PROBE_COMMANDS_CSV_H

#include <glib.h>

#include "columns.h"
#include "records.h"

G_BEGIN_DECLS

/* commands.csv of 'ftpsim probe': rows are ProbeExchangeRow. */
extern const ColumnTable probe_commands_csv;

/* Every table ftpsim writes, in the README's order (output's three, then the probe's); NULL-terminated. */
#define FTPSIM_README_COLUMN_TABLES                                                                                    \
  {                                                                                                                    \
    &sessions_csv, &summary_csv, &commands_csv, &probe_commands_csv, NULL                                              \
  }

/* A real exchange: the simulator's columns (its time in wall-clock seconds since the probe started), then
 * the reply's text, the prediction, and what the session showed. Rows: a PORT/EPRT, then its data command
 * (NLST or RETR) when one was sent, then NOOP. -1 / NULL: "does not apply to this row" (an empty field). */
typedef struct ProbeExchangeRow {
  ExchangeRecord exchange; /* first: the simulator's column writers read it through the row pointer */
  const char *reply_text;  /* NULL: no reply came (stalled or closed) */
  int expected_code;       /* -1: no prediction (no --expect, or not a PORT/EPRT row) */
  const char *expected_text;
  const char *address;          /* the address the PORT/EPRT named */
  gboolean listening;           /* the probe listened there */
  int connected_before_reply;   /* PORT/EPRT rows: 1 if the server's connection was waiting at its reply */
  int preliminary_code;         /* data rows: the 1xx reply (150, 125); -1 none */
  const char *preliminary_text; /* its text */
  const char *data_source;      /* data rows: "A:P", the server's end of the data connection; NULL none */
  gint64 bytes;                 /* data rows: bytes received; -1 other rows */
  gboolean stalled;             /* a wait for this exchange timed out: the probe ended the session */
  gboolean session_closed;      /* the server closed the control connection during this exchange */
} ProbeExchangeRow;

G_END_DECLS

#endif
