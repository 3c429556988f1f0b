/* ftpsim sweep: the command line (and experiment file) into a plan, the checks before any run, then
 * the runs in worker processes (sweep_workers.c) and the collected files.
 *
 * Layout of DIR:
 *   sweep.journal     first line names the sweep's digest; then one line per finished run, appended
 *                     and fsync'd only once the run's folder is in place (resume skips those runs)
 *   sweep.txt         the sweep's canonical definition, for people
 *   runs/pP-rR/       each finished run's own summary.csv, sessions.csv (and commands.csv)
 *   runs.csv          rebuilt from the journal at the end, rows sorted by (point, rep)
 *   sessions.csv, commands.csv   with --sessions / --trace, the runs' rows with point, rep and the varied values
 *   failures.csv      the runs that failed in the last invocation, with their parameters and error
 *                     (with --collect: the runs whose last attempt failed, runs/pP-rR.failed)
 *   slurm/            with --executor slurm: each submission's job script, run-id lines and logs
 * Which runs a process runs, and where (--list, --runs, Slurm, --status, --collect): sweep_cluster.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "option_hint.h"
#include "restart.h"
#include "scenario.h"
#include "simulate.h"
#include "sweep_cluster.h"
#include "sweep_collect.h"
#include "sweep_experiment.h"
#include "sweep_journal.h"
#include "sweep_options.h"
#include "sweep_plan.h"
#include "sweep_select.h"
#include "sweep_workers.h"

static gboolean apply_command_line(const SweepOptions *options, SweepPlan *plan, SweepSettings *settings,
                                   GError **error)
{
  gboolean force = options->force || settings->force;
  settings->force = force;
  /* A key given on the command line replaces the file's set or range of it; given twice on the
   * command line (set and varied), sweep_plan_check refuses it. */
  for (guint i = 0; options->assignments && options->assignments[i]; i++) {
    g_autofree gchar *key = g_strndup(options->assignments[i], strcspn(options->assignments[i], "="));
    sweep_plan_forget(plan, key);
  }
  for (guint i = 0; options->varies && options->varies[i]; i++) {
    g_autofree gchar *key = g_strndup(options->varies[i], strcspn(options->varies[i], "="));
    sweep_plan_forget(plan, key);
  }
  for (guint i = 0; options->assignments && options->assignments[i]; i++) {
    if (!sweep_plan_set(plan, options->assignments[i], error))
      return FALSE;
  }
  for (guint i = 0; options->varies && options->varies[i]; i++) {
    SweepDimension *dimension = sweep_dimension_parse(options->varies[i], force, error);
    if (dimension == NULL)
      return FALSE;
    sweep_plan_vary(plan, dimension);
  }
  if (options->platforms != NULL) {
    g_autofree gchar *cwd = g_get_current_dir();
    sweep_plan_forget(plan, SWEEP_PLATFORM_KEY);
    g_ptr_array_insert(plan->dimensions, 0, sweep_dimension_platforms((const char *const *)options->platforms, cwd));
  }
  if (options->seed_text && !sweep_parse_count("--seed", options->seed_text, 0, G_MAXUINT64, &plan->seed, error))
    return FALSE;
  if (options->reps_text && !sweep_parse_count("--reps", options->reps_text, 1, 1000000, &plan->reps, error))
    return FALSE;
  if (options->jobs_text && !sweep_parse_count("--jobs", options->jobs_text, 1, 1024, &settings->jobs, error))
    return FALSE;
  if (options->out_dir) {
    g_free(settings->out_dir);
    settings->out_dir = g_strdup(options->out_dir);
  }
  plan->trace = plan->trace || options->trace;
  plan->session_detail = plan->session_detail || options->session_detail;
  for (guint i = 0; i < options->simgrid_args->len; i++)
    g_ptr_array_add(plan->simgrid_args, g_strdup(g_ptr_array_index(options->simgrid_args, i)));
  if (settings->out_dir == NULL) {
    g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "--out DIR is required (the folder for runs.csv and the runs)");
    return FALSE;
  }
  return TRUE;
}

/* Every platform must load as a scenario with the sweep's settings, and in SimGrid with its --cfg
 * options, before any run starts; the runs then skip SimGrid's load check. */
static gboolean check_platforms(const SweepPlan *plan, GError **error)
{
  const SweepDimension *platforms = sweep_plan_find_dimension(plan, SWEEP_PLATFORM_KEY);
  if (platforms == NULL) {
    if (!simulation_check_simgrid_inputs(NULL, plan->simgrid_args, NULL, error)) {
      g_prefix_error(error, "SimGrid: ");
      return FALSE;
    }
    return TRUE;
  }
  g_autoptr(GPtrArray) sets = g_ptr_array_new(); /* borrows the plan's strings */
  for (guint i = 0; i < plan->sets->len; i++)
    g_ptr_array_add(sets, g_ptr_array_index(plan->sets, i));
  g_ptr_array_add(sets, NULL);
  for (guint i = 0; i < platforms->values->len; i++) {
    const char *label = g_ptr_array_index(platforms->values, i);
    g_autofree gchar *path = g_canonicalize_filename(label, g_ptr_array_index(platforms->dirs, i));
    g_autofree gchar *text = NULL;
    gsize length = 0;
    if (!g_file_get_contents(path, &text, &length, error)) {
      g_prefix_error(error, "cannot read the platform: ");
      return FALSE;
    }
    g_autoptr(Scenario) scenario = scenario_load(label, text, length, NULL, (const char *const *)sets->pdata, error);
    if (scenario == NULL)
      return FALSE;
    if (!simulation_check_simgrid_inputs(path, plan->simgrid_args, scenario, error)) {
      g_prefix_error(error, "SimGrid: %s: ", label);
      return FALSE;
    }
  }
  return TRUE;
}

/* The runs, then the collected files, and the closing message; returns the exit status. */
static int run_and_collect(Sweep *sweep, guint jobs)
{
  g_autoptr(GError) error = NULL;
  const SweepRuns *runs = &sweep->runs;
  sweep->progress.resumed = runs->done_count;
  sweep->progress.start_us = g_get_monotonic_time();
  gboolean ok = sweep_write_definition(runs->out_dir, sweep->plan, &error) && sweep_run_workers(sweep, jobs, &error);
  if (ok && !sweep_interrupt_signal())
    ok = sweep_collect_outputs(runs, sweep->plan, sweep->failures, &error);
  sweep_progress_show(&sweep->progress, runs->done_count + sweep->failures->len, sweep->failures->len, TRUE);
  if (!ok)
    return fail_runtime(error->message);
  if (sweep_interrupt_signal()) {
    g_autofree gchar *message = g_strdup_printf("sweep interrupted (%s): %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                                                " runs done; run the same command again to run the rest",
                                                g_strsignal(sweep_interrupt_signal()), runs->done_count, runs->count);
    return fail_runtime(message);
  }
  if (sweep->failures->len > 0) {
    g_autofree gchar *message =
        g_strdup_printf("%u of %" G_GUINT64_FORMAT " runs failed (listed in %s/failures.csv); the other runs are "
                        "in %s/runs.csv; run the same command again to retry the failed ones",
                        sweep->failures->len, runs->count, runs->out_dir, runs->out_dir);
    return fail_runtime(message);
  }
  if (!sweep->progress.quiet)
    fprintf(stderr,
            "ftpsim: sweep done: %" G_GUINT64_FORMAT " runs (%" G_GUINT64_FORMAT " run now), wrote %s/runs.csv\n",
            runs->count, runs->count - sweep->progress.resumed, runs->out_dir);
  return 0;
}

#define RESTART_MIN_RUNS 8

/* How many runs the --runs text selects (0 when it is bad: its error comes later). */
static guint64 selection_size(const char *runs_text, guint64 count)
{
  g_autofree guint8 *selected = sweep_select_parse(runs_text, count, NULL);
  guint64 size = 0;
  for (guint64 id = 0; selected != NULL && id < count; id++)
    size += selected[id];
  return size;
}

/* --runs: the selected runs beside the sweep's other processes (a shared lock on the journal), their
 * failures in runs/pP-rR.failed; the collected files are --collect's business. */
static int run_selected(Sweep *sweep, guint jobs, const char *runs_text)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *selected = sweep_select_parse(runs_text, sweep->runs.count, &error);
  if (selected == NULL)
    return fail_usage(error->message);
  sweep->selected = selected;
  sweep->journal.shared = TRUE;
  if (!sweep_journal_open(&sweep->journal, &sweep->runs, sweep->plan, sweep->digest, &error))
    return fail_usage(error->message);
  sweep_remove_stale_temp_dirs_of(&sweep->runs, selected);
  guint64 count = 0, done_before = 0;
  for (guint64 id = 0; id < sweep->runs.count; id++) {
    count += selected[id];
    done_before += selected[id] && sweep->runs.done[id];
  }
  sweep->progress.runs = count;
  sweep->progress.resumed = done_before;
  sweep->progress.start_us = g_get_monotonic_time();
  gboolean ok = sweep_run_workers(sweep, jobs, &error);
  guint64 done_now = 0;
  for (guint64 id = 0; id < sweep->runs.count; id++)
    done_now += selected[id] && sweep->runs.done[id];
  sweep_progress_show(&sweep->progress, done_now + sweep->failures->len, sweep->failures->len, TRUE);
  sweep->selected = NULL;
  if (!ok)
    return fail_runtime(error->message);
  if (sweep_interrupt_signal()) {
    g_autofree gchar *message =
        g_strdup_printf("runs %s interrupted (%s): %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " done", runs_text,
                        g_strsignal(sweep_interrupt_signal()), done_now, count);
    return fail_runtime(message);
  }
  if (sweep->failures->len > 0) {
    g_autofree gchar *message =
        g_strdup_printf("%u of the %" G_GUINT64_FORMAT " runs %s failed", sweep->failures->len, count, runs_text);
    return fail_runtime(message);
  }
  return 0;
}

int cmd_sweep(int argc, char **argv)
{
  g_auto(SweepOptions) options = {0};
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) sweep_argv = g_strdupv(argv); /* before option parsing rearranges it */
  if (!sweep_options_parse(argc, argv, &options, &error))
    return fail_usage(error->message);

  g_autoptr(SweepPlan) plan = sweep_plan_new();
  SweepSettings settings = {.jobs = (guint64)g_get_num_processors()};
  guint64 points = 0;
  /* Listing, counting and collecting run nothing: SimGrid's check of the platforms is for runs, here or
   * submitted (a bad platform is refused before a job array fails on it task by task). */
  gboolean local = options.executor == NULL || strcmp(options.executor, "local") == 0;
  gboolean runs_anywhere = !options.list && !options.status && !options.collect;
  gboolean runs_here = runs_anywhere && local;
  gboolean input_ok = (options.experiment_path == NULL ||
                       sweep_experiment_load(options.experiment_path, plan, &settings, options.force, &error)) &&
                      apply_command_line(&options, plan, &settings, &error) &&
                      sweep_plan_check(plan, settings.force, &points, &error) &&
                      (!runs_anywhere || check_platforms(plan, &error));
  if (!input_ok) {
    g_free(settings.out_dir);
    return fail_usage(error->message);
  }

  Sweep sweep = {.plan = plan,
                 .journal = SWEEP_JOURNAL_CLOSED,
                 .progress = {.stream = stderr, .quiet = options.quiet, .on_terminal = isatty(STDERR_FILENO)},
                 .failures = g_ptr_array_new_with_free_func(g_free)};
  sweep_runs_init(&sweep.runs, settings.out_dir, points, plan->reps);
  sweep.progress.runs = sweep.runs.count;
  g_autofree gchar *digest = sweep_plan_digest(plan);
  sweep.digest = digest;
  int status = 0;
  if (options.list || !local) {
    g_autofree gchar *base_command = sweep_options_base_command(sweep_argv);
    status = options.list ? sweep_list(plan, &sweep.runs, base_command)
                          : sweep_submit_slurm(plan, &sweep.runs, digest, &options, base_command);
  } else if (options.status)
    status = sweep_show_status(plan, &sweep.runs, digest);
  else if (options.collect)
    status = sweep_collect_all(plan, &sweep.runs, digest, options.quiet);
  if (runs_here) {
    /* Each run is a fork of the sweep, so every symbol that the dynamic linker resolves lazily (most of
     * SimGrid's) would be resolved again in every run, each time writing to a page the run shares with
     * the sweep: a copy-on-write fault, slow on virtual machines and worse with two runs at once (E1
     * with --jobs 2: 6.65 s, 5.06 s once bound). Those settings are read only at program start. The
     * restart itself costs about 55 ms, 7 runs' worth of faults: a --runs process of a few runs (a
     * --list line, GNU parallel's job) goes without (0.11 s a run with it, 0.05 s without). The
     * huge-page heap is set here too, once, so that no run above LARGE_RUN_SESSIONS restarts itself. */
    if (options.runs_text == NULL || selection_size(options.runs_text, sweep.runs.count) > RESTART_MIN_RUNS)
      restart_tuned(RESTART_BIND_NOW | RESTART_HUGE_PAGES, "sweep", sweep_argv);
    if (g_mkdir_with_parents(sweep.runs.runs_dir, 0777) != 0) {
      g_autofree gchar *message =
          g_strdup_printf("cannot create the sweep folder '%s': %s", sweep.runs.runs_dir, g_strerror(errno));
      status = fail_usage(message);
    } else if (options.runs_text != NULL)
      status = run_selected(&sweep, (guint)settings.jobs, options.runs_text);
    else if (!sweep_journal_open(&sweep.journal, &sweep.runs, plan, digest, &error))
      status = fail_usage(error->message);
    else
      status = run_and_collect(&sweep, (guint)settings.jobs);
  }
  sweep_journal_close(&sweep.journal);
  sweep_runs_clear(&sweep.runs);
  g_ptr_array_unref(sweep.failures);
  g_free(settings.out_dir);
  return status;
}
