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
 *   failures.csv      the runs that failed in the last invocation, with their parameters and error */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "option_hint.h"
#include "restart.h"
#include "scenario.h"
#include "simulate.h"
#include "sweep_collect.h"
#include "sweep_experiment.h"
#include "sweep_failures.h"
#include "sweep_journal.h"
#include "sweep_plan.h"
#include "sweep_workers.h"

static const char sweep_description[] =
    "Runs 'ftpsim run' for every point of the cartesian product of the --vary values (and --platform\n"
    "files), --reps times each, in --jobs worker processes, and writes DIR/runs.csv: one row per run\n"
    "with its point, rep, every parameter and the run's summary metrics, sorted by (point, rep).\n"
    "\n"
    "  --vary KEY=V1,V2,...        a list of values (KEY=V1;V2;... when the values hold commas)\n"
    "  --vary KEY=LOW..HIGH[:STEP] a range, both ends included (STEP defaults to 1)\n"
    "The first --vary varies slowest. Run (point, rep) gets the seed\n"
    "splitmix64(splitmix64(splitmix64(S) ^ point) ^ rep), the same on every machine.\n"
    "\n"
    "EXPERIMENT.ini (GKeyFile) holds the same: [sweep] seed, reps, jobs, out (relative to the current\n"
    "folder), platforms (a ';' list, relative to the file's folder), trace, sessions, force;\n"
    "[set] KEY=VALUE; [vary] KEY=VALUES.\n"
    "Command-line options override the file, key by key.\n"
    "\n"
    "An interrupted sweep (Ctrl-C, kill) started again with the same arguments runs only the runs that\n"
    "are missing. A failed run is reported with its parameters and error and the others go on.\n"
    "\n"
    "Examples:\n"
    "  ftpsim sweep --vary client.start_port=900..1100 --vary server.policy=nt351,nt351sp2 --out kb\n"
    "  ftpsim sweep experiments/e1-kb.ini --out results/e1\n"
    "\n"
    "Exit status: 0 when every run succeeded, 1 when one failed or the sweep was interrupted, 2 for a\n"
    "usage or input error (nothing run).";

typedef struct SweepOptions {
  gchar **varies;
  gchar **assignments;
  gchar **platforms;
  gchar *reps_text;
  gchar *seed_text;
  gchar *jobs_text;
  gchar *out_dir;
  gboolean trace;
  gboolean session_detail;
  gboolean force;
  gboolean quiet;
  const char *experiment_path;
  GPtrArray *simgrid_args;
} SweepOptions;

static void sweep_options_clear(SweepOptions *options)
{
  g_strfreev(options->varies);
  g_strfreev(options->assignments);
  g_strfreev(options->platforms);
  g_free(options->reps_text);
  g_free(options->seed_text);
  g_free(options->jobs_text);
  g_free(options->out_dir);
  if (options->simgrid_args)
    g_ptr_array_unref(options->simgrid_args);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SweepOptions, sweep_options_clear)

static gboolean parse_sweep_options(int argc, char **argv, SweepOptions *options, GError **error)
{
  const GOptionEntry entries[] = {
      {"vary", 'v', 0, G_OPTION_ARG_STRING_ARRAY, &options->varies, "Vary a parameter (repeatable)",
       "KEY=V1,V2|LOW..HIGH[:STEP]"},
      {"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &options->assignments, "Set a parameter for every run (repeatable)",
       "KEY=VALUE"},
      {"platform", 'p', 0, G_OPTION_ARG_FILENAME_ARRAY, &options->platforms,
       "Platform file; several vary the platform (default: built-in)", "FILE"},
      {"reps", 'r', 0, G_OPTION_ARG_STRING, &options->reps_text, "Runs per point (default 1)", "N"},
      {"seed", 0, 0, G_OPTION_ARG_STRING, &options->seed_text, "Sweep seed S (default 1)", "S"},
      {"jobs", 'j', 0, G_OPTION_ARG_STRING, &options->jobs_text, "Worker processes at a time (default: cores)", "N"},
      {"out", 'o', 0, G_OPTION_ARG_FILENAME, &options->out_dir, "Folder of the sweep (required)", "DIR"},
      {"trace", 0, 0, G_OPTION_ARG_NONE, &options->trace,
       "Collect every run's commands.csv (--trace) in DIR/commands.csv, with the varied values", NULL},
      {"sessions", 0, 0, G_OPTION_ARG_NONE, &options->session_detail,
       "Collect every session in DIR/sessions.csv, with the varied values", NULL},
      {"force", 0, 0, G_OPTION_ARG_NONE, &options->force, "Allow more than 100000 runs", NULL},
      {"quiet", 'q', 0, G_OPTION_ARG_NONE, &options->quiet, "No progress, only errors", NULL},
      G_OPTION_ENTRY_NULL,
  };
  g_autoptr(GOptionContext) context = g_option_context_new("[EXPERIMENT.ini] - run a parameter sweep");
  g_option_context_add_main_entries(context, entries, NULL);
  g_option_context_set_description(context, sweep_description);
  g_option_context_set_ignore_unknown_options(context, TRUE);
  if (!g_option_context_parse(context, &argc, &argv, error))
    return FALSE;
  options->simgrid_args = g_ptr_array_new_with_free_func(g_free);
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (g_str_has_prefix(arg, "--cfg=") || g_str_has_prefix(arg, "--log="))
      g_ptr_array_add(options->simgrid_args, g_strdup(arg));
    else if (arg[0] == '-' && arg[1] != '\0') {
      g_autofree gchar *hint = option_hint(arg, entries);
      g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
                  "unknown option '%s' (%saccepted: --vary, --set, --platform, --reps, --seed, --jobs, --out, --trace, "
                  "--sessions, --force, --quiet, --cfg=..., --log=...; see 'ftpsim sweep --help')",
                  arg, hint);
      return FALSE;
    } else if (options->experiment_path == NULL)
      options->experiment_path = arg;
    else {
      g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "too many arguments: '%s' (accepted: [EXPERIMENT.ini])",
                  arg);
      return FALSE;
    }
  }
  return TRUE;
}

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
    ok = sweep_collect_file(runs, "summary.csv", "runs.csv", &error) &&
         sweep_write_failures(runs->out_dir, sweep->failures, &error) &&
         (!sweep->plan->session_detail ||
          sweep_collect_file_varied(runs, sweep->plan, "sessions.csv", "sessions.csv", &error)) &&
         (!sweep->plan->trace || sweep_collect_file_varied(runs, sweep->plan, "commands.csv", "commands.csv", &error));
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

int cmd_sweep(int argc, char **argv)
{
  g_auto(SweepOptions) options = {0};
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) sweep_argv = g_strdupv(argv); /* before option parsing rearranges it */
  if (!parse_sweep_options(argc, argv, &options, &error))
    return fail_usage(error->message);

  g_autoptr(SweepPlan) plan = sweep_plan_new();
  SweepSettings settings = {.jobs = (guint64)g_get_num_processors()};
  guint64 points = 0;
  gboolean input_ok = (options.experiment_path == NULL ||
                       sweep_experiment_load(options.experiment_path, plan, &settings, options.force, &error)) &&
                      apply_command_line(&options, plan, &settings, &error) &&
                      sweep_plan_check(plan, settings.force, &points, &error) && check_platforms(plan, &error);
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
  int status = 0;
  /* Each run is a fork of the sweep, so every symbol that the dynamic linker resolves lazily (most of
   * SimGrid's) would be resolved again in every run, each time writing to a page the run shares with
   * the sweep: a copy-on-write fault, slow on virtual machines and worse with two runs at once (E1
   * with --jobs 2: 6.65 s, 5.06 s once bound). Those settings are read only at program start. The
   * huge-page heap is set here too, once, so that no run above LARGE_RUN_SESSIONS restarts itself. */
  restart_tuned(RESTART_BIND_NOW | RESTART_HUGE_PAGES, "sweep", sweep_argv);
  if (g_mkdir_with_parents(sweep.runs.runs_dir, 0777) != 0) {
    g_autofree gchar *message =
        g_strdup_printf("cannot create the sweep folder '%s': %s", sweep.runs.runs_dir, g_strerror(errno));
    status = fail_usage(message);
  } else if (!sweep_journal_open(&sweep.journal, &sweep.runs, plan, digest, &error))
    status = fail_usage(error->message);
  if (status == 0)
    status = run_and_collect(&sweep, (guint)settings.jobs);
  sweep_journal_close(&sweep.journal);
  sweep_runs_clear(&sweep.runs);
  g_ptr_array_unref(sweep.failures);
  g_free(settings.out_dir);
  return status;
}
