/* The CSV schema: one column table per file ftpsim writes (the tables are defined beside their writers in
 * sessions_csv.c, summary_csv.c and commands_csv.c), and the entry points the commands call. */
#ifndef FTPSIM_REPORT_H
#define FTPSIM_REPORT_H

#include <stdio.h>

#include <glib.h>

#include "columns.h"
#include "records.h"
#include "scenario.h"

G_BEGIN_DECLS

/* sessions.csv: rows are SessionRecord. */
extern const ColumnTable sessions_csv;
/* summary.csv: one SummaryRow. */
extern const ColumnTable summary_csv;
/* commands.csv of a run with --trace: rows are ExchangeRecord. */
extern const ColumnTable commands_csv;
/* The writers of the exchange columns after time, for any row that starts with an ExchangeRecord (the
 * probe's commands.csv writes the same fields). */
void exchange_write_session(FILE *stream, const void *row);
void exchange_write_client_host(FILE *stream, const void *row);
void exchange_write_server_host(FILE *stream, const void *row);
void exchange_write_command(FILE *stream, const void *row);
void exchange_write_port(FILE *stream, const void *row);
void exchange_write_reply_code(FILE *stream, const void *row);
void exchange_write_accepted(FILE *stream, const void *row);

typedef struct SummaryRow {
  const Scenario *scenario;
  guint64 seed;
  const RunStats *run;
  double simulated_time;
} SummaryRow;

void report_sessions_header(FILE *stream);
void report_session_row(FILE *stream, const SessionRecord *record);

void report_commands_header(FILE *stream);
void report_command_row(FILE *stream, const ExchangeRecord *record);

/* summary.csv whole: its header and its one row. */
void report_summary(FILE *stream, const Scenario *scenario, guint64 seed, const RunStats *run, double simulated_time);

G_END_DECLS

#endif
