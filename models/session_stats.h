/* What one session did, and the run's totals: pure bookkeeping, shared by the simulator and its tests. */
#ifndef FTPSIM_SESSION_STATS_H
#define FTPSIM_SESSION_STATS_H

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  SESSION_OUTCOME_OK,           /* no data command was rejected */
  SESSION_OUTCOME_PARTIAL,      /* some were rejected, at least one was accepted */
  SESSION_OUTCOME_ALL_REJECTED, /* every data command was rejected */
} SessionOutcome;

const char *session_outcome_name(SessionOutcome outcome);

typedef struct SessionStats {
  double start_time;
  double end_time;
  guint64 commands;                     /* PORT commands issued */
  guint64 rejected;                     /* PORT commands the server refused */
  guint64 rejected_before_first_accept; /* all of them when none was accepted */
  gint32 first_accept_port;             /* -1 while none */
  double first_accept_time;             /* when the first positive PORT reply arrived */
  double first_transfer_time;           /* when the first transfer completed; < 0 while none */
  guint64 transfers;
  guint64 bytes;
} SessionStats;

void session_stats_init(SessionStats *stats, double start_time);
void session_stats_record_port(SessionStats *stats, guint16 port, gboolean accepted, double now);
void session_stats_record_transfer(SessionStats *stats, guint64 bytes, double now);
SessionOutcome session_stats_outcome(const SessionStats *stats);

typedef struct RunStats {
  guint64 sessions;
  guint64 commands;
  guint64 rejected;
  guint64 sessions_with_rejection;
  guint64 sessions_without_accept; /* only rejections, or no command at all */
  guint64 sum_rejected_before_first_accept;
  guint64 max_rejected_before_first_accept;
  guint64 transfers;
  guint64 bytes;
  double first_accept_time;  /* earliest over the run; < 0 while none */
  double first_transfer_time;
  double end_time;
} RunStats;

void run_stats_init(RunStats *run);
void run_stats_add(RunStats *run, const SessionStats *session);
double run_stats_mean_rejected_before_first_accept(const RunStats *run);

G_END_DECLS

#endif
