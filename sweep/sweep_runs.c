/* DIR/runs/: the run folders and which runs are finished (sweep_runs.h). */
#include "sweep_runs.h"

#include <errno.h>

#include <glib/gstdio.h>

void sweep_runs_init(SweepRuns *runs, const char *out_dir, guint64 points, guint64 reps)
{
  *runs = (SweepRuns){.points = points, .reps = reps, .count = points * reps, .out_dir = g_strdup(out_dir)};
  g_autofree gchar *absolute_out = g_canonicalize_filename(out_dir, NULL);
  runs->runs_dir = g_build_filename(absolute_out, "runs", NULL);
  runs->done = g_new0(guint8, runs->count);
}

void sweep_runs_clear(SweepRuns *runs)
{
  g_clear_pointer(&runs->out_dir, g_free);
  g_clear_pointer(&runs->runs_dir, g_free);
  g_clear_pointer(&runs->done, g_free);
}

gboolean sweep_runs_is_done(const SweepRuns *runs, guint64 point, guint64 rep)
{
  return runs->done[point * runs->reps + rep] != 0;
}

void sweep_runs_mark_done(SweepRuns *runs, guint64 point, guint64 rep)
{
  guint8 *flag = &runs->done[point * runs->reps + rep];
  if (*flag)
    return;
  *flag = 1;
  runs->done_count++;
}

gchar *sweep_run_dir(const SweepRuns *runs, guint64 point, guint64 rep)
{
  g_autofree gchar *name = g_strdup_printf("p%" G_GUINT64_FORMAT "-r%" G_GUINT64_FORMAT, point, rep);
  return g_build_filename(runs->runs_dir, name, NULL);
}

void sweep_remove_run_dir(const char *path)
{
  GDir *dir = g_dir_open(path, 0, NULL);
  if (dir != NULL) {
    const char *name;
    while ((name = g_dir_read_name(dir)) != NULL) {
      g_autofree gchar *file = g_build_filename(path, name, NULL);
      g_unlink(file);
    }
    g_dir_close(dir);
  }
  g_rmdir(path);
}

void sweep_remove_stale_temp_dirs(const char *runs_dir)
{
  GDir *dir = g_dir_open(runs_dir, 0, NULL);
  if (dir == NULL)
    return;
  const char *name;
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func(g_free);
  while ((name = g_dir_read_name(dir)) != NULL)
    if (g_str_has_prefix(name, ".tmp-"))
      g_ptr_array_add(stale, g_build_filename(runs_dir, name, NULL));
  g_dir_close(dir);
  for (guint i = 0; i < stale->len; i++)
    sweep_remove_run_dir(g_ptr_array_index(stale, i));
}

gboolean sweep_errno_error(GError **error, const char *what, const char *path)
{
  int saved = errno;
  g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot %s '%s': %s", what, path, g_strerror(saved));
  return FALSE;
}
