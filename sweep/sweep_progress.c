/* The progress bar or plain progress lines on standard error (sweep_progress.h). */
#include "sweep_progress.h"

#define PLAIN_PROGRESS_INTERVAL_US (2 * G_USEC_PER_SEC)

void sweep_format_duration(char *buffer, gsize size, double seconds)
{
  guint64 total = (guint64)(seconds + 0.5);
  if (total >= 3600)
    g_snprintf(buffer, size, "%" G_GUINT64_FORMAT ":%02u:%02u", total / 3600, (guint)(total / 60 % 60),
               (guint)(total % 60));
  else
    g_snprintf(buffer, size, "%u:%02u", (guint)(total / 60), (guint)(total % 60));
}

void sweep_progress_clear_line(const SweepProgress *progress)
{
  if (progress->on_terminal && !progress->quiet)
    fputs("\r\033[K", progress->stream);
}

void sweep_progress_show(SweepProgress *progress, guint64 finished, guint64 failed_count, gboolean final)
{
  if (progress->quiet)
    return;
  gint64 now = g_get_monotonic_time();
  if (!progress->on_terminal && (final ? finished == progress->last_plain_finished && progress->last_plain_us != 0
                                       : now - progress->last_plain_us < PLAIN_PROGRESS_INTERVAL_US))
    return; /* plain lines: at most one every 2 s, and the last one not twice */
  progress->last_plain_finished = finished;
  progress->last_plain_us = now;
  double elapsed = (double)(now - progress->start_us) / G_USEC_PER_SEC;
  guint64 this_time = finished - progress->resumed;
  guint64 left = progress->runs - finished;
  char elapsed_text[32], eta_text[32];
  sweep_format_duration(elapsed_text, sizeof elapsed_text, elapsed);
  if (progress->weight_left > 0 && progress->weight_done > 0)
    sweep_format_duration(eta_text, sizeof eta_text,
                          elapsed / progress->weight_done * MAX(progress->weight_left - progress->weight_done, 0));
  else if (this_time > 0 && progress->weight_left == 0)
    sweep_format_duration(eta_text, sizeof eta_text, elapsed / (double)this_time * (double)left);
  else
    g_strlcpy(eta_text, "?", sizeof eta_text);
  g_autofree gchar *failed =
      failed_count ? g_strdup_printf(", %" G_GUINT64_FORMAT " failed", failed_count) : g_strdup("");
  if (progress->on_terminal) {
    enum { BAR = 30 };
    char bar[BAR + 1];
    guint filled = progress->runs ? (guint)(finished * BAR / progress->runs) : BAR;
    for (guint i = 0; i < BAR; i++)
      bar[i] = i < filled ? '#' : '.';
    bar[BAR] = '\0';
    fprintf(progress->stream, "\r\033[K[%s] %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " runs%s, %s elapsed, ETA %s%s",
            bar, finished, progress->runs, failed, elapsed_text, eta_text, final ? "\n" : "");
  } else
    fprintf(progress->stream,
            "ftpsim: sweep %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " runs done%s, %s elapsed, ETA %s\n", finished,
            progress->runs, failed, elapsed_text, eta_text);
  fflush(progress->stream);
}
