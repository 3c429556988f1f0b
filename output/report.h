/* The CSV schema: every column ftpsim writes is named here, once. README.md documents the same. */
#ifndef FTPSIM_REPORT_H
#define FTPSIM_REPORT_H

#include <stdio.h>

#include <glib.h>

#include "session_stats.h"
#include "scenario.h"

G_BEGIN_DECLS

typedef struct SessionRecord {
  guint64 id;
  const char *client_host;
  const char *server_host;
  const char *client_model;
  const char *server_policy;
  const SessionStats *stats;
} SessionRecord;

void report_sessions_header(FILE *stream);
void report_session_row(FILE *stream, const SessionRecord *record);

void report_commands_header(FILE *stream);
void report_command_row(FILE *stream, double time, guint64 session, const char *client_host, const char *server_host,
                        const char *command, guint16 port, guint16 reply_code, gboolean accepted);

void report_summary(FILE *stream, const Scenario *scenario, guint64 seed, const RunStats *run, double simulated_time);

G_END_DECLS

#endif
