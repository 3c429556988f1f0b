/* --list, --status, --collect and --executor slurm (sweep_cluster.h). */
#include "sweep_cluster.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "commands.h"
#include "output.h"
#include "sweep_collect.h"
#include "sweep_journal.h"
#include "sweep_select.h"
#include "sweep_slurm.h"
#include "sweep_status.h"

int sweep_list(const SweepPlan *plan, const SweepRuns *runs, const char *base_command)
{
  for (guint64 id = 0; id < runs->count; id++) {
    guint64 point = id / runs->reps, rep = id % runs->reps;
    printf("%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT
           "\t%s --runs %" G_GUINT64_FORMAT " --jobs 1 --quiet\n",
           id, point, rep, sweep_seed(plan->seed, point, rep), base_command, id);
  }
  return fflush(stdout) == 0 ? 0 : fail_runtime("cannot write the run list to standard output");
}

int sweep_show_status(const SweepPlan *plan, SweepRuns *runs, const char *digest)
{
  g_autoptr(GError) error = NULL;
  if (!sweep_journal_read(runs->out_dir, runs, plan, digest, &error))
    return fail_usage(error->message);
  SweepStatus status;
  g_autofree guint8 *states = sweep_status_scan(runs, &status);
  g_autofree gchar *text = sweep_status_text(&status);
  printf("%s\n", text);
  return 0;
}

int sweep_collect_all(const SweepPlan *plan, SweepRuns *runs, const char *digest, gboolean quiet)
{
  g_autoptr(GError) error = NULL;
  if (!sweep_journal_read(runs->out_dir, runs, plan, digest, &error))
    return fail_usage(error->message);
  SweepStatus status;
  g_autofree guint8 *states = sweep_status_scan(runs, &status);
  g_autoptr(GPtrArray) failures = sweep_status_failure_rows(runs, states);
  gboolean ok =
      sweep_write_definition(runs->out_dir, plan, &error) && sweep_collect_outputs(runs, plan, failures, &error);
  if (!ok)
    return fail_runtime(error->message);
  g_autofree gchar *text = sweep_status_text(&status);
  if (status.done < status.runs) {
    g_autofree gchar *message =
        g_strdup_printf("collected only the finished runs into %s/runs.csv: %s", runs->out_dir, text);
    return fail_runtime(message);
  }
  if (!quiet)
    fprintf(stderr, "ftpsim: collected %" G_GUINT64_FORMAT " runs into %s/runs.csv\n", status.done, runs->out_dir);
  return 0;
}

/* DIR/slurm/submit-K.sh and .runs with the first K not taken, so that earlier arrays keep their files. */
static guint next_submission(const char *slurm_dir)
{
  for (guint k = 1;; k++) {
    g_autofree gchar *name = g_strdup_printf("submit-%u.sh", k);
    g_autofree gchar *path = g_build_filename(slurm_dir, name, NULL);
    if (!g_file_test(path, G_FILE_TEST_EXISTS))
      return k;
  }
}

static int run_sbatch(const char *script, const SweepStatus *before, guint64 runs, guint tasks)
{
  const char *argv[] = {"sbatch", "--parsable", script, NULL};
  g_autofree gchar *out = NULL, *err = NULL;
  gint wait_status = 0;
  g_autoptr(GError) error = NULL;
  if (!g_spawn_sync(NULL, (gchar **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &wait_status, &error)) {
    g_autofree gchar *message = g_strdup_printf("cannot run sbatch (%s): is this a Slurm submit host? The job "
                                                "script is %s; 'sbatch %s' submits it",
                                                error->message, script, script);
    return fail_runtime(message);
  }
  if (!g_spawn_check_wait_status(wait_status, NULL)) {
    g_autofree gchar *message =
        g_strdup_printf("sbatch refused %s: %s", script, g_strstrip(err ? err : g_strdup("no message")));
    return fail_runtime(message);
  }
  g_strstrip(out);
  printf("ftpsim: submitted Slurm job array %s: %" G_GUINT64_FORMAT " runs in %u tasks (%" G_GUINT64_FORMAT
         " done, %" G_GUINT64_FORMAT " running before); script %s\n",
         out, runs, tasks, before->done, before->running, script);
  return 0;
}

int sweep_submit_slurm(const SweepPlan *plan, SweepRuns *runs, const char *digest, const SweepOptions *options,
                       const char *base_command)
{
  g_autoptr(GError) error = NULL;
  guint64 chunk = 0, max_tasks = SWEEP_SLURM_DEFAULT_MAX_TASKS;
  if ((options->chunk_text && !sweep_parse_count("--chunk", options->chunk_text, 1, 100000000, &chunk, &error)) ||
      (options->max_tasks_text &&
       !sweep_parse_count("--max-tasks", options->max_tasks_text, 1, 100000, &max_tasks, &error)))
    return fail_usage(error->message);
  g_autofree gchar *out_dir = g_canonicalize_filename(runs->out_dir, NULL);
  g_autofree gchar *slurm_dir = g_build_filename(out_dir, "slurm", NULL);
  g_autofree gchar *log_dir = g_build_filename(slurm_dir, "logs", NULL);
  if (g_mkdir_with_parents(runs->runs_dir, 0777) != 0 || g_mkdir_with_parents(log_dir, 0777) != 0) {
    g_autofree gchar *message = g_strdup_printf("cannot create the sweep folder '%s': %s", out_dir, g_strerror(errno));
    return fail_usage(message);
  }
  /* The journal exists before any task starts, and no local sweep runs in the folder meanwhile. */
  SweepJournal journal = SWEEP_JOURNAL_CLOSED;
  journal.shared = TRUE;
  gboolean opened = sweep_journal_open(&journal, runs, plan, digest, &error);
  sweep_journal_close(&journal);
  if (!opened)
    return fail_usage(error->message);
  if (!sweep_write_definition(runs->out_dir, plan, &error))
    return fail_runtime(error->message);

  SweepStatus status;
  g_autofree guint8 *states = sweep_status_scan(runs, &status);
  g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(guint64));
  for (guint64 id = 0; id < runs->count; id++)
    if (states[id] != SWEEP_RUN_DONE && states[id] != SWEEP_RUN_RUNNING)
      g_array_append_val(ids, id);
  if (ids->len == 0) {
    g_autofree gchar *text = sweep_status_text(&status);
    printf("ftpsim: nothing to submit: %s\n", text);
    return 0;
  }
  chunk = sweep_slurm_chunk(ids->len, chunk);
  g_autoptr(GPtrArray) chunks = sweep_select_chunks((const guint64 *)(void *)ids->data, ids->len, chunk);
  guint k = next_submission(slurm_dir);
  g_autofree gchar *runs_name = g_strdup_printf("submit-%u.runs", k);
  g_autofree gchar *script_name = g_strdup_printf("submit-%u.sh", k);
  g_autofree gchar *log_name = g_strdup_printf("submit-%u-%%A_%%a.out", k);
  g_autofree gchar *runs_file = g_build_filename(slurm_dir, runs_name, NULL);
  g_autofree gchar *script_file = g_build_filename(slurm_dir, script_name, NULL);
  g_autofree gchar *log_pattern = g_build_filename(log_dir, log_name, NULL);
  GString *lines = g_string_new(NULL);
  for (guint i = 0; i < chunks->len; i++)
    g_string_append_printf(lines, "%s\n", (const char *)g_ptr_array_index(chunks, i));
  g_autofree gchar *runs_text = g_string_free(lines, FALSE);
  SlurmJob job = {.base_command = base_command,
                  .out_dir = out_dir,
                  .runs_file = runs_file,
                  .log_pattern = log_pattern,
                  .runs = ids->len,
                  .tasks = chunks->len,
                  .chunk = chunk,
                  .max_tasks = max_tasks,
                  .extra_lines = (const char *const *)options->sbatch_lines};
  g_autofree gchar *script = sweep_slurm_script(&job);
  if (!g_file_set_contents(runs_file, runs_text, -1, &error) || !g_file_set_contents(script_file, script, -1, &error))
    return fail_runtime(error->message);
  g_chmod(script_file, 0755);
  if (options->script_only) {
    printf("ftpsim: wrote %s: %u runs in %u tasks; 'sbatch %s' submits it\n", script_file, ids->len, chunks->len,
           script_file);
    return 0;
  }
  return run_sbatch(script_file, &status, ids->len, chunks->len);
}
