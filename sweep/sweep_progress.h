/* The sweep's progress on standard error: a bar redrawn in place on a terminal, else a plain line at
 * most every 2 s; both with runs finished, failures, elapsed time and an ETA from this invocation's
 * pace (runs resumed from the journal do not count towards it): of the work done and left when the runs
 * have weights (sweep_weight.h: a run of 10x the sessions counts 10x), else of the runs. */
#ifndef FTPSIM_SWEEP_PROGRESS_H
#define FTPSIM_SWEEP_PROGRESS_H

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

typedef struct SweepProgress {
  FILE *stream;   /* stderr */
  gboolean quiet; /* print nothing */
  gboolean on_terminal;
  guint64 runs;    /* in the sweep */
  guint64 resumed; /* finished before this invocation */
  gint64 start_us; /* g_get_monotonic_time() when the runs began */
  gint64 last_plain_us;
  guint64 last_plain_finished;
  double weight_left; /* work of the runs still to run when the runs began; 0: count runs instead */
  double weight_done; /* work of the runs finished (or failed) since */
} SweepProgress;

/* Shows finished (successful + failed) of the runs; final ends the bar's line, and a plain line is then
 * printed unless the last one said the same. */
void sweep_progress_show(SweepProgress *progress, guint64 finished, guint64 failed, gboolean final);

/* Clears the bar's line on a terminal, so that a message can take its place. */
void sweep_progress_clear_line(const SweepProgress *progress);

/* "M:SS", or "H:MM:SS" from an hour on, rounded to the nearest second. */
void sweep_format_duration(char *buffer, gsize size, double seconds);

G_END_DECLS

#endif
