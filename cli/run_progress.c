/* 'ftpsim run''s progress line (run_progress.h). */
#include "run_progress.h"

#include <unistd.h>

#include "sweep_progress.h"

#define TERMINAL_INTERVAL_US (G_USEC_PER_SEC / 5)
#define PLAIN_INTERVAL_US (5 * G_USEC_PER_SEC)

void run_progress_init(RunProgress *progress)
{
  *progress = (RunProgress){.stream = stderr, .on_terminal = isatty(STDERR_FILENO) != 0};
  progress->start_us = progress->last_us = g_get_monotonic_time();
  progress->interval_us = progress->on_terminal ? TERMINAL_INTERVAL_US : PLAIN_INTERVAL_US;
  const char *interval = g_getenv("FTPSIM_PROGRESS_INTERVAL");
  if (interval != NULL)
    progress->interval_us = (gint64)(g_ascii_strtod(interval, NULL) * G_USEC_PER_SEC);
}

gchar *run_progress_text(double simulated_time, guint64 sessions_done, guint64 sessions_total, guint64 data_commands,
                         double elapsed)
{
  char elapsed_text[32], eta_text[32];
  sweep_format_duration(elapsed_text, sizeof elapsed_text, elapsed);
  /* Sessions started together end together: the first few to end say nothing of the rest (a burst of
   * 10^6 once showed "ETA 2597 h" a minute before its end), so no ETA before 1% of them are done. */
  if (sessions_done > 0 && sessions_done * 100 >= sessions_total)
    sweep_format_duration(eta_text, sizeof eta_text,
                          elapsed / (double)sessions_done * (double)(sessions_total - sessions_done));
  else
    g_strlcpy(eta_text, "?", sizeof eta_text);
  return g_strdup_printf("simulated %.6f s, %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " sessions, %" G_GUINT64_FORMAT
                         " data commands, %s elapsed, ETA %s",
                         simulated_time, sessions_done, sessions_total, data_commands, elapsed_text, eta_text);
}

void run_progress_tick(gpointer data, double simulated_time, guint64 sessions_done, guint64 sessions_total,
                       guint64 data_commands)
{
  RunProgress *progress = data;
  gint64 now = g_get_monotonic_time();
  if (now - progress->last_us < progress->interval_us)
    return;
  progress->last_us = now;
  g_autofree gchar *text = run_progress_text(simulated_time, sessions_done, sessions_total, data_commands,
                                             (double)(now - progress->start_us) / G_USEC_PER_SEC);
  if (progress->on_terminal)
    fprintf(progress->stream, "\r\033[K%s", text);
  else
    fprintf(progress->stream, "ftpsim: %s\n", text);
  fflush(progress->stream);
  progress->shown = TRUE;
}

void run_progress_finish(RunProgress *progress)
{
  if (progress->on_terminal && progress->shown)
    fputs("\r\033[K", progress->stream);
}
