/* DIR/sweep.journal: created, locked, repaired, read back on resume, appended to (sweep_journal.h). */
#include "sweep_journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gstdio.h>

#define JOURNAL_MAGIC "ftpsim-sweep-journal 1"

static gboolean write_all(int fd, const char *text, gsize length)
{
  while (length > 0) {
    ssize_t written = write(fd, text, length);
    if (written < 0 && errno == EINTR)
      continue;
    if (written <= 0)
      return FALSE;
    text += written;
    length -= (gsize)written;
  }
  return TRUE;
}

/* Marks the journal's runs done; text holds whole lines only, the header first. */
static gboolean read_finished_runs(const SweepJournal *journal, char *text, SweepRuns *runs, const SweepPlan *plan,
                                   GError **error)
{
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++) {
    guint64 point, rep, seed;
    if (lines[i][0] == '\0')
      continue;
    if (sscanf(lines[i], "run %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &point, &rep, &seed) !=
            3 ||
        point >= runs->points || rep >= runs->reps || seed != sweep_seed(plan->seed, point, rep)) {
      g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "'%s' line %u is damaged ('%s'); remove the folder to start over",
                  journal->path, i + 1, lines[i]);
      return FALSE;
    }
    g_autofree gchar *run_dir = sweep_run_dir(runs, point, rep);
    g_autofree gchar *summary = g_build_filename(run_dir, "summary.csv", NULL);
    if (!sweep_runs_is_done(runs, point, rep) && g_file_test(summary, G_FILE_TEST_IS_REGULAR))
      sweep_runs_mark_done(runs, point, rep);
  }
  return TRUE;
}

gboolean sweep_journal_open(SweepJournal *journal, SweepRuns *runs, const SweepPlan *plan, const char *digest,
                            GError **error)
{
  journal->path = g_build_filename(runs->out_dir, SWEEP_JOURNAL_NAME, NULL);
  journal->out_dir = g_strdup(runs->out_dir);
  g_autofree gchar *header = g_strdup_printf(JOURNAL_MAGIC " %s\n", digest);
  g_autofree gchar *text = NULL;
  gsize length = 0;
  if (g_file_test(journal->path, G_FILE_TEST_EXISTS)) {
    if (!g_file_get_contents(journal->path, &text, &length, error))
      return FALSE;
    if (!g_str_has_prefix(text, JOURNAL_MAGIC " ")) {
      g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "'%s' is not a sweep journal; use another --out or remove it",
                  journal->path);
      return FALSE;
    }
    if (!g_str_has_prefix(text, header)) {
      g_set_error(error, FTPSIM_SWEEP_ERROR, 0,
                  "'%s' holds a different sweep (other parameters, seed, reps or options); use another --out, or "
                  "remove it to start over",
                  runs->out_dir);
      return FALSE;
    }
  }
  journal->fd = g_open(journal->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
  if (journal->fd < 0)
    return sweep_errno_error(error, "open", journal->path);
  if (flock(journal->fd, LOCK_EX | LOCK_NB) != 0) {
    g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "another sweep is running in '%s'; wait for it or use another --out",
                runs->out_dir);
    return FALSE;
  }
  sweep_remove_stale_temp_dirs(runs->runs_dir);
  if (text == NULL) {
    if (!write_all(journal->fd, header, strlen(header)) || fsync(journal->fd) != 0)
      return sweep_errno_error(error, "write", journal->path);
    return TRUE;
  }
  /* Keep whole lines only, so the next append starts on a line of its own. */
  gsize whole = length;
  while (whole > 0 && text[whole - 1] != '\n')
    whole--;
  if (whole < length && ftruncate(journal->fd, (off_t)whole) != 0)
    return sweep_errno_error(error, "repair", journal->path);
  text[whole] = '\0';
  return read_finished_runs(journal, text, runs, plan, error);
}

gboolean sweep_journal_append(SweepJournal *journal, guint64 point, guint64 rep, guint64 seed, GError **error)
{
  char line[96];
  int length = g_snprintf(line, sizeof line, "run %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "\n",
                          point, rep, seed);
  if (!write_all(journal->fd, line, (gsize)length) || fsync(journal->fd) != 0)
    return sweep_errno_error(error, "append to the journal in", journal->out_dir);
  return TRUE;
}

void sweep_journal_close(SweepJournal *journal)
{
  if (journal->fd >= 0)
    close(journal->fd);
  journal->fd = -1;
  g_clear_pointer(&journal->path, g_free);
  g_clear_pointer(&journal->out_dir, g_free);
}
