/* Each run's state from the sweep folder: journal, temporary folders and failure records (sweep_status.h). */
#include "sweep_status.h"

guint8 *sweep_status_scan(const SweepRuns *runs, SweepStatus *status)
{
  guint8 *states = g_new0(guint8, runs->count); /* SWEEP_RUN_MISSING */
  GDir *dir = g_dir_open(runs->runs_dir, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
    guint64 point, rep;
    gboolean temp = sweep_parse_run_name(name, ".tmp-p", &point, &rep);
    if (!temp && !(g_str_has_suffix(name, ".failed") && sweep_parse_run_name(name, "p", &point, &rep)))
      continue;
    if (point >= runs->points || rep >= runs->reps)
      continue;
    guint8 *state = &states[point * runs->reps + rep];
    if (temp) {
      g_autofree gchar *path = g_build_filename(runs->runs_dir, name, NULL);
      if (sweep_temp_dir_is_running(path))
        *state = SWEEP_RUN_RUNNING;
    } else if (*state != SWEEP_RUN_RUNNING)
      *state = SWEEP_RUN_FAILED;
  }
  if (dir != NULL)
    g_dir_close(dir);
  *status = (SweepStatus){.runs = runs->count};
  for (guint64 id = 0; id < runs->count; id++) {
    if (runs->done[id])
      states[id] = SWEEP_RUN_DONE;
    switch (states[id]) {
      case SWEEP_RUN_DONE:
        status->done++;
        break;
      case SWEEP_RUN_RUNNING:
        status->running++;
        break;
      case SWEEP_RUN_FAILED:
        status->failed++;
        break;
      default:
        status->missing++;
    }
  }
  return states;
}

gchar *sweep_status_text(const SweepStatus *status)
{
  return g_strdup_printf("%" G_GUINT64_FORMAT " runs: %" G_GUINT64_FORMAT " done, %" G_GUINT64_FORMAT
                         " running, %" G_GUINT64_FORMAT " failed, %" G_GUINT64_FORMAT " missing",
                         status->runs, status->done, status->running, status->failed, status->missing);
}

GPtrArray *sweep_status_failure_rows(const SweepRuns *runs, const guint8 *states)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func(g_free);
  for (guint64 id = 0; id < runs->count; id++) {
    if (states[id] != SWEEP_RUN_FAILED)
      continue;
    g_autofree gchar *path = sweep_failed_record_path(runs, id / runs->reps, id % runs->reps);
    gchar *row = NULL;
    if (g_file_get_contents(path, &row, NULL, NULL))
      g_ptr_array_add(rows, g_strchomp(row));
  }
  return rows;
}
