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

/* The journal's text, checked to be this sweep's; NULL with *error unset when there is none. */
static gchar *read_journal_text(const char *path, const char *out_dir, const char *header, gsize *length,
                                GError **error)
{
  g_autofree gchar *text = NULL;
  if (!g_file_test(path, G_FILE_TEST_EXISTS))
    return NULL;
  if (!g_file_get_contents(path, &text, length, error))
    return NULL;
  if (!g_str_has_prefix(text, JOURNAL_MAGIC " ")) {
    g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "'%s' is not a sweep journal; use another --out or remove it", path);
    return NULL;
  }
  if (!g_str_has_prefix(text, header)) {
    g_set_error(error, FTPSIM_SWEEP_ERROR, 0,
                "'%s' holds a different sweep (other parameters, seed, reps or options); use another --out, or "
                "remove it to start over",
                out_dir);
    return NULL;
  }
  return g_steal_pointer(&text);
}

/* Creates the journal with its header unless it exists: written aside, then linked into place, so that
 * a process starting at the same moment sees either no journal or a whole header. */
static gboolean create_journal(const char *path, const char *out_dir, const char *header, GError **error)
{
  if (g_file_test(path, G_FILE_TEST_EXISTS))
    return TRUE;
  g_autofree gchar *name = g_strdup_printf(".journal-%s-%ld", g_get_host_name(), (long)getpid());
  g_autofree gchar *temp = g_build_filename(out_dir, name, NULL);
  int fd = g_open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0)
    return sweep_errno_error(error, "create", temp);
  gboolean written = write_all(fd, header, strlen(header)) && fsync(fd) == 0;
  close(fd);
  if (!written || (link(temp, path) != 0 && errno != EEXIST)) {
    sweep_errno_error(error, "create", path);
    g_unlink(temp);
    return FALSE;
  }
  g_unlink(temp);
  return TRUE;
}

/* Keeps the text's whole lines only (a line cut short by a kill is dropped); returns their length. */
static gsize whole_lines(gchar *text, gsize length)
{
  gsize whole = length;
  while (whole > 0 && text[whole - 1] != '\n')
    whole--;
  text[whole] = '\0';
  return whole;
}

gboolean sweep_journal_open(SweepJournal *journal, SweepRuns *runs, const SweepPlan *plan, const char *digest,
                            GError **error)
{
  journal->path = g_build_filename(runs->out_dir, SWEEP_JOURNAL_NAME, NULL);
  journal->out_dir = g_strdup(runs->out_dir);
  g_autofree gchar *header = g_strdup_printf(JOURNAL_MAGIC " %s\n", digest);
  gsize length = 0;
  GError *local_error = NULL;
  g_free(read_journal_text(journal->path, runs->out_dir, header, &length, &local_error)); /* checked only */
  if (local_error != NULL) {
    g_propagate_error(error, local_error);
    return FALSE;
  }
  if (!create_journal(journal->path, runs->out_dir, header, error))
    return FALSE;
  journal->fd = g_open(journal->path, O_WRONLY | O_APPEND | O_CLOEXEC, 0666);
  if (journal->fd < 0)
    return sweep_errno_error(error, "open", journal->path);
  if (flock(journal->fd, (journal->shared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
    g_set_error(error, FTPSIM_SWEEP_ERROR, 0,
                journal->shared ? "a local sweep (without --runs) is running in '%s'; wait for it or use another --out"
                                : "another sweep is running in '%s' (a local one, or --runs of this one); wait for "
                                  "it or use another --out",
                runs->out_dir);
    return FALSE;
  }
  /* Read again under the lock: another process may have created it, or finished runs, meanwhile. */
  g_autofree gchar *text = read_journal_text(journal->path, runs->out_dir, header, &length, &local_error);
  if (local_error != NULL || text == NULL) {
    if (local_error != NULL)
      g_propagate_error(error, local_error);
    else
      g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "'%s' vanished while the sweep opened it", journal->path);
    return FALSE;
  }
  gsize whole = whole_lines(text, length);
  if (journal->shared) /* others may be appending: nothing to repair or clean here */
    return read_finished_runs(journal, text, runs, plan, error);
  sweep_remove_stale_temp_dirs(runs->runs_dir);
  /* Keep whole lines only, so the next append starts on a line of its own. */
  if (whole < length && ftruncate(journal->fd, (off_t)whole) != 0)
    return sweep_errno_error(error, "repair", journal->path);
  return read_finished_runs(journal, text, runs, plan, error);
}

gboolean sweep_journal_read(const char *out_dir, SweepRuns *runs, const SweepPlan *plan, const char *digest,
                            GError **error)
{
  SweepJournal journal = {.fd = -1, .path = g_build_filename(out_dir, SWEEP_JOURNAL_NAME, NULL)};
  g_autofree gchar *header = g_strdup_printf(JOURNAL_MAGIC " %s\n", digest);
  gsize length = 0;
  g_autoptr(GError) local_error = NULL;
  g_autofree gchar *text = read_journal_text(journal.path, out_dir, header, &length, &local_error);
  gboolean ok = local_error == NULL;
  if (!ok)
    g_propagate_error(error, g_steal_pointer(&local_error));
  else if (text != NULL) {
    whole_lines(text, length);
    ok = read_finished_runs(&journal, text, runs, plan, error);
  }
  g_free(journal.path);
  return ok;
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
