/* The CSV schema: every column ftpsim writes is named here, once. README.md documents the same. */
#ifndef FTPSIM_REPORT_H
#define FTPSIM_REPORT_H

#include <stdio.h>

#include <glib.h>

#include "records.h"
#include "scenario.h"

G_BEGIN_DECLS

void report_sessions_header(FILE *stream);
void report_session_row(FILE *stream, const SessionRecord *record);

void report_commands_header(FILE *stream);
void report_command_row(FILE *stream, const ExchangeRecord *record);

void report_summary(FILE *stream, const Scenario *scenario, guint64 seed, const RunStats *run, double simulated_time);

G_END_DECLS

#endif
