/* A long 'ftpsim run''s progress on standard error: simulated time reached, sessions finished, data
 * commands begun (a burst's sessions may all end near its end) and an ETA from the sessions' pace;
 * redrawn in place on a terminal, else a plain line every 5 s (FTPSIM_PROGRESS_INTERVAL=SECONDS changes
 * that, 0 for a line each time: the tests); nothing with --quiet. The engine tells it of each session's
 * end and of every 4,096 data commands begun; it reads the clock and prints, and the results are the
 * same with it (tests/progress). */
#ifndef FTPSIM_RUN_PROGRESS_H
#define FTPSIM_RUN_PROGRESS_H

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

typedef struct RunProgress {
  FILE *stream;
  gboolean on_terminal;
  gint64 start_us;
  gint64 interval_us; /* between two lines */
  gint64 last_us;     /* when the last line was shown */
  gboolean shown;     /* a line is on the terminal, to be cleared at the end */
} RunProgress;

/* Starts the clock; the stream is stderr, on_terminal if it is a terminal. */
void run_progress_init(RunProgress *progress);

/* The engine's tick (EngineProgress.tick): data is the RunProgress. */
void run_progress_tick(gpointer data, double simulated_time, guint64 sessions_done, guint64 sessions_total,
                       guint64 data_commands);

/* Clears the line on a terminal, before the summary. */
void run_progress_finish(RunProgress *progress);

/* The line itself: "simulated 12.500000 s, 30/100 sessions, 310 data commands, 0:04 elapsed, ETA 0:09". */
gchar *run_progress_text(double simulated_time, guint64 sessions_done, guint64 sessions_total, guint64 data_commands,
                         double elapsed);

G_END_DECLS

#endif
