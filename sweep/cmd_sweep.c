/* ftpsim sweep: the cartesian product of parameter values, each point run --reps times in worker
 * processes (SimGrid allows one simulation per process), collected into DIR/runs.csv.
 *
 * Layout of DIR:
 *   sweep.journal     first line names the sweep's digest; then one line per finished run, appended
 *                     and fsync'd only once the run's folder is in place (resume skips those runs)
 *   sweep.txt         the sweep's canonical definition, for people
 *   runs/pP-rR/       each finished run's own summary.csv, sessions.csv (and commands.csv)
 *   runs.csv          rebuilt from the journal at the end, rows sorted by (point, rep)
 *   sessions.csv, commands.csv   with --sessions / --trace, the runs' rows with point and rep
 *   failures.csv      the runs that failed in the last invocation, with their parameters and error */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "commands.h"
#include "output.h"
#include "restart.h"
#include "scenario.h"
#include "sweep_plan.h"

#define JOURNAL_NAME "sweep.journal"
#define JOURNAL_MAGIC "ftpsim-sweep-journal 1"
#define PLAIN_PROGRESS_INTERVAL_US (2 * G_USEC_PER_SEC)

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
      {"trace", 0, 0, G_OPTION_ARG_NONE, &options->trace, "Collect every run's commands.csv (--trace) in DIR/commands.csv", NULL},
      {"sessions", 0, 0, G_OPTION_ARG_NONE, &options->session_detail, "Collect every session in DIR/sessions.csv",
       NULL},
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
      g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
                  "unknown option '%s' (accepted: --vary, --set, --platform, --reps, --seed, --jobs, --out, --trace, "
                  "--sessions, --force, --quiet, --cfg=..., --log=...; see 'ftpsim sweep --help')",
                  arg);
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

static gboolean parse_count(const char *what, const char *text, guint64 min, guint64 max, guint64 *value,
                            GError **error)
{
  if (!g_ascii_string_to_unsigned(text, 10, min, max, value, NULL)) {
    g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "%s: '%s' is not a whole number in %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT,
                what, text, min, max);
    return FALSE;
  }
  return TRUE;
}

/* What the experiment file and the command line decide besides the plan. */
typedef struct SweepSettings {
  guint64 jobs;
  gchar *out_dir;
  gboolean force;
} SweepSettings;

static gboolean load_experiment(const char *path, SweepPlan *plan, SweepSettings *settings, gboolean force,
                                GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new();
  g_autoptr(GError) problem = NULL;
  if (!g_key_file_load_from_file(file, path, G_KEY_FILE_NONE, &problem)) {
    g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "cannot read the experiment '%s': %s", path, problem->message);
    return FALSE;
  }
  g_auto(GStrv) groups = g_key_file_get_groups(file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    if (strcmp(groups[i], "sweep") != 0 && strcmp(groups[i], "set") != 0 && strcmp(groups[i], "vary") != 0) {
      g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "%s: unknown group [%s] (accepted: [sweep], [set], [vary])", path,
                  groups[i]);
      return FALSE;
    }
  g_autofree gchar *relative_dir = g_path_get_dirname(path);
  g_autofree gchar *dir = g_canonicalize_filename(relative_dir, NULL); /* platforms resolve against it */
  g_auto(GStrv) keys = g_key_file_get_keys(file, "sweep", NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
    const char *key = keys[i];
    g_autofree gchar *value = g_key_file_get_value(file, "sweep", key, NULL);
    g_autofree gchar *what = g_strdup_printf("%s: [sweep] %s", path, key);
    if (strcmp(key, "seed") == 0) {
      if (!parse_count(what, value, 0, G_MAXUINT64, &plan->seed, error))
        return FALSE;
    } else if (strcmp(key, "reps") == 0) {
      if (!parse_count(what, value, 1, 1000000, &plan->reps, error))
        return FALSE;
    } else if (strcmp(key, "jobs") == 0) {
      if (!parse_count(what, value, 1, 1024, &settings->jobs, error))
        return FALSE;
    } else if (strcmp(key, "out") == 0) {
      g_free(settings->out_dir);
      settings->out_dir = g_strdup(value);
    } else if (strcmp(key, "platforms") == 0) {
      g_auto(GStrv) paths = g_key_file_get_string_list(file, "sweep", key, NULL, NULL);
      if (paths == NULL || paths[0] == NULL) {
        g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "%s: no platform files", what);
        return FALSE;
      }
      sweep_plan_vary(plan, sweep_dimension_platforms((const char *const *)paths, dir));
    } else if (strcmp(key, "trace") == 0 || strcmp(key, "sessions") == 0 || strcmp(key, "force") == 0) {
      gboolean flag = g_key_file_get_boolean(file, "sweep", key, &problem);
      if (problem != NULL) {
        g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "%s: '%s' is not true or false", what, value);
        return FALSE;
      }
      if (key[0] == 't')
        plan->trace = flag;
      else if (key[0] == 's')
        plan->session_detail = flag;
      else
        settings->force = flag;
    } else {
      g_set_error(error, FTPSIM_SWEEP_ERROR, 0,
                  "%s: unknown key in [sweep] (accepted: seed, reps, jobs, out, platforms, trace, sessions, force)",
                  what);
      return FALSE;
    }
  }
  g_auto(GStrv) set_keys = g_key_file_get_keys(file, "set", NULL, NULL);
  for (guint i = 0; set_keys != NULL && set_keys[i] != NULL; i++) {
    g_autofree gchar *value = g_key_file_get_value(file, "set", set_keys[i], NULL);
    g_autofree gchar *assignment = g_strdup_printf("%s=%s", set_keys[i], value);
    if (!sweep_plan_set(plan, assignment, error)) {
      g_prefix_error(error, "%s: ", path);
      return FALSE;
    }
  }
  g_auto(GStrv) vary_keys = g_key_file_get_keys(file, "vary", NULL, NULL);
  for (guint i = 0; vary_keys != NULL && vary_keys[i] != NULL; i++) {
    g_autofree gchar *value = g_key_file_get_value(file, "vary", vary_keys[i], NULL);
    g_autofree gchar *text = g_strdup_printf("%s=%s", vary_keys[i], value);
    SweepDimension *dimension = sweep_dimension_parse(text, force || settings->force, error);
    if (dimension == NULL) {
      g_prefix_error(error, "%s: ", path);
      return FALSE;
    }
    sweep_plan_vary(plan, dimension);
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
    g_ptr_array_insert(plan->dimensions, 0,
                       sweep_dimension_platforms((const char *const *)options->platforms, cwd));
  }
  if (options->seed_text && !parse_count("--seed", options->seed_text, 0, G_MAXUINT64, &plan->seed, error))
    return FALSE;
  if (options->reps_text && !parse_count("--reps", options->reps_text, 1, 1000000, &plan->reps, error))
    return FALSE;
  if (options->jobs_text && !parse_count("--jobs", options->jobs_text, 1, 1024, &settings->jobs, error))
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
    if (!cmd_run_check_simgrid(NULL, plan->simgrid_args, NULL, error)) {
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
    if (!cmd_run_check_simgrid(path, plan->simgrid_args, scenario, error)) {
      g_prefix_error(error, "SimGrid: %s: ", label);
      return FALSE;
    }
  }
  return TRUE;
}

/* ---- The journal ---------------------------------------------------------------------------- */

typedef struct Sweep {
  const SweepPlan *plan;
  guint64 points;
  guint64 runs;
  gchar *out_dir;
  gchar *runs_dir;
  gchar *self_exe;
  int journal_fd;
  guint8 *done; /* points * reps flags */
  guint64 done_count;
  guint64 resumed_count;
  GPtrArray *failures; /* gchar* CSV rows */
  guint64 failed_count;
  gboolean quiet;
  gboolean progress_on_terminal;
  gint64 start_us;
  gint64 last_plain_progress_us;
  guint64 last_plain_progress_finished;
} Sweep;

static gchar *run_dir_path(const Sweep *sweep, guint64 point, guint64 rep)
{
  g_autofree gchar *name = g_strdup_printf("p%" G_GUINT64_FORMAT "-r%" G_GUINT64_FORMAT, point, rep);
  return g_build_filename(sweep->runs_dir, name, NULL);
}

/* Removes a run folder the sweep made, with the files a run left in it (a killed run leaves its
 * hidden temporary files); run folders hold no subfolder. */
static void remove_run_dir(const char *path)
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

/* Temporary run folders of an earlier sweep process that was killed: its workers died with it
 * (PR_SET_PDEATHSIG) and the journal lock says no other sweep is using the folder. */
static void remove_stale_temp_dirs(const char *runs_dir)
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
    remove_run_dir(g_ptr_array_index(stale, i));
}

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

static gboolean fail_errno(GError **error, const char *what, const char *path)
{
  int saved = errno;
  g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot %s '%s': %s", what, path, g_strerror(saved));
  return FALSE;
}

/* Opens DIR/sweep.journal, creating it for a new sweep or reading the finished runs of an
 * interrupted one. A line cut short by a kill is dropped (its run is simply run again). */
static gboolean journal_open(Sweep *sweep, const char *digest, GError **error)
{
  g_autofree gchar *path = g_build_filename(sweep->out_dir, JOURNAL_NAME, NULL);
  g_autofree gchar *header = g_strdup_printf(JOURNAL_MAGIC " %s\n", digest);
  g_autofree gchar *text = NULL;
  gsize length = 0;
  if (g_file_test(path, G_FILE_TEST_EXISTS)) {
    if (!g_file_get_contents(path, &text, &length, error))
      return FALSE;
    if (!g_str_has_prefix(text, JOURNAL_MAGIC " ")) {
      g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "'%s' is not a sweep journal; use another --out or remove it", path);
      return FALSE;
    }
    if (!g_str_has_prefix(text, header)) {
      g_set_error(error, FTPSIM_SWEEP_ERROR, 0,
                  "'%s' holds a different sweep (other parameters, seed, reps or options); use another --out, or "
                  "remove it to start over",
                  sweep->out_dir);
      return FALSE;
    }
  }
  sweep->journal_fd = g_open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
  if (sweep->journal_fd < 0)
    return fail_errno(error, "open", path);
  if (flock(sweep->journal_fd, LOCK_EX | LOCK_NB) != 0) {
    g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "another sweep is running in '%s'; wait for it or use another --out",
                sweep->out_dir);
    return FALSE;
  }
  remove_stale_temp_dirs(sweep->runs_dir);
  if (text == NULL) {
    if (!write_all(sweep->journal_fd, header, strlen(header)) || fsync(sweep->journal_fd) != 0)
      return fail_errno(error, "write", path);
    return TRUE;
  }
  /* Keep whole lines only, so the next append starts on a line of its own. */
  gsize whole = length;
  while (whole > 0 && text[whole - 1] != '\n')
    whole--;
  if (whole < length && ftruncate(sweep->journal_fd, (off_t)whole) != 0)
    return fail_errno(error, "repair", path);
  text[whole] = '\0';
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++) {
    guint64 point, rep, seed;
    if (lines[i][0] == '\0')
      continue;
    if (sscanf(lines[i], "run %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &point, &rep, &seed) !=
            3 ||
        point >= sweep->points || rep >= sweep->plan->reps || seed != sweep_seed(sweep->plan->seed, point, rep)) {
      g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "'%s' line %u is damaged ('%s'); remove the folder to start over", path,
                  i + 1, lines[i]);
      return FALSE;
    }
    g_autofree gchar *run_dir = run_dir_path(sweep, point, rep);
    g_autofree gchar *summary = g_build_filename(run_dir, "summary.csv", NULL);
    guint64 index = point * sweep->plan->reps + rep;
    if (!sweep->done[index] && g_file_test(summary, G_FILE_TEST_IS_REGULAR)) {
      sweep->done[index] = 1;
      sweep->done_count++;
    }
  }
  sweep->resumed_count = sweep->done_count;
  return TRUE;
}

static gboolean journal_append(Sweep *sweep, guint64 point, guint64 rep, guint64 seed)
{
  char line[96];
  int length = g_snprintf(line, sizeof line, "run %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "\n",
                          point, rep, seed);
  return write_all(sweep->journal_fd, line, (gsize)length) && fsync(sweep->journal_fd) == 0;
}

/* ---- Workers ------------------------------------------------------------------------------- */

typedef struct Worker {
  pid_t pid;
  guint64 point, rep, seed;
  gchar *temp_dir;
  int stderr_fd; /* the run's standard error: an in-memory file, read if the run fails */
} Worker;

static GPtrArray *run_arguments(const Sweep *sweep, guint64 point, guint64 seed, const char *temp_dir,
                                const char **working_dir)
{
  const SweepPlan *plan = sweep->plan;
  GPtrArray *args = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(args, g_strdup(sweep->self_exe));
  g_ptr_array_add(args, g_strdup("run"));
  guint64 indices[plan->dimensions->len + 1];
  sweep_plan_point_indices(plan, point, indices);
  *working_dir = NULL;
  for (guint d = 0; d < plan->dimensions->len; d++) {
    const SweepDimension *dimension = g_ptr_array_index(plan->dimensions, d);
    if (dimension->dirs != NULL) {
      g_ptr_array_add(args, g_strdup(g_ptr_array_index(dimension->values, indices[d])));
      *working_dir = g_ptr_array_index(dimension->dirs, indices[d]);
    }
  }
  for (guint i = 0; i < plan->sets->len; i++) {
    g_ptr_array_add(args, g_strdup("--set"));
    g_ptr_array_add(args, g_strdup(g_ptr_array_index(plan->sets, i)));
  }
  for (guint d = 0; d < plan->dimensions->len; d++) {
    const SweepDimension *dimension = g_ptr_array_index(plan->dimensions, d);
    if (dimension->dirs != NULL)
      continue;
    g_ptr_array_add(args, g_strdup("--set"));
    g_ptr_array_add(args, g_strdup_printf("%s=%s", dimension->key,
                                          (const char *)g_ptr_array_index(dimension->values, indices[d])));
  }
  g_ptr_array_add(args, g_strdup_printf("--seed=%" G_GUINT64_FORMAT, seed));
  g_ptr_array_add(args, g_strdup_printf("--out=%s", temp_dir));
  g_ptr_array_add(args, g_strdup("--quiet"));
  if (plan->trace)
    g_ptr_array_add(args, g_strdup("--trace"));
  for (guint i = 0; i < plan->simgrid_args->len; i++)
    g_ptr_array_add(args, g_strdup(g_ptr_array_index(plan->simgrid_args, i)));
  g_ptr_array_add(args, NULL);
  return args;
}

/* "client.start_port=900 server.policy=nt351": the point's values, for messages. */
static gchar *point_description(const SweepPlan *plan, guint64 point)
{
  guint64 indices[plan->dimensions->len + 1];
  sweep_plan_point_indices(plan, point, indices);
  GString *text = g_string_new(NULL);
  for (guint d = 0; d < plan->dimensions->len; d++) {
    const SweepDimension *dimension = g_ptr_array_index(plan->dimensions, d);
    g_string_append_printf(text, "%s%s=%s", d ? " " : "", dimension->key,
                           (const char *)g_ptr_array_index(dimension->values, indices[d]));
  }
  if (text->len == 0)
    g_string_append(text, "(no varied parameter)");
  return g_string_free(text, FALSE);
}

static gboolean start_worker(Sweep *sweep, Worker *worker, GError **error)
{
  g_autofree gchar *name =
      g_strdup_printf(".tmp-p%" G_GUINT64_FORMAT "-r%" G_GUINT64_FORMAT "-%ld", worker->point, worker->rep,
                      (long)getpid());
  worker->temp_dir = g_build_filename(sweep->runs_dir, name, NULL);
  if (g_mkdir_with_parents(worker->temp_dir, 0777) != 0)
    return fail_errno(error, "create", worker->temp_dir);
  const char *working_dir = NULL;
  g_autoptr(GPtrArray) args = run_arguments(sweep, worker->point, worker->seed, worker->temp_dir, &working_dir);
  int stderr_fd = memfd_create("ftpsim-run-stderr", MFD_CLOEXEC);
  if (stderr_fd < 0)
    return fail_errno(error, "create the standard error of a run in", worker->temp_dir);
  pid_t parent = getpid();
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    close(stderr_fd);
    return fail_errno(error, "start a run in", worker->temp_dir);
  }
  if (pid == 0) {
    /* A worker dies with the sweep (kill -9 of the sweep alone leaves no orphan writing). */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
      _exit(127);

    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    int null_fd = open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
      dup2(null_fd, STDIN_FILENO);
      dup2(null_fd, STDOUT_FILENO);
    }
    dup2(stderr_fd, STDERR_FILENO);
    if (working_dir != NULL && chdir(working_dir) != 0) {
      dprintf(STDERR_FILENO, "ftpsim: cannot enter '%s': %s\n", working_dir, g_strerror(errno));
      _exit(EXIT_RUN_FAILED);
    }
    /* The run happens in this fork of the sweep, which has loaded and relocated SimGrid already:
     * exec'ing ftpsim again cost 60 ms a run in dynamic linking alone, most of a small run. The fork
     * is also this very program's image even if its file was rebuilt since the sweep began, so every
     * run of a sweep is made by the same binary. SimGrid is never initialised in the sweep itself. */
    char **argv = (char **)args->pdata;
    cmd_run_trust_simgrid_inputs();
    int status = cmd_run((int)args->len - 2, argv + 1);
    fflush(NULL);
    _exit(status);
  }
  worker->stderr_fd = stderr_fd;
  worker->pid = pid;
  return TRUE;
}

static gchar *first_line_of_stderr(int stderr_fd)
{
  char text[1024];
  ssize_t length = pread(stderr_fd, text, sizeof text - 1, 0);
  if (length <= 0)
    return g_strdup("no error message");
  text[length] = '\0';
  gchar *line = g_strndup(text, strcspn(text, "\n"));
  if (g_str_has_prefix(line, "ftpsim: "))
    memmove(line, line + 8, strlen(line + 8) + 1);
  return line;
}

/* RFC 4180 quoting, as csv_write_field does for streams. */
static void append_csv_field(GString *row, const char *text)
{
  if (strpbrk(text, ",\"\r\n") == NULL) {
    g_string_append(row, text);
    return;
  }
  g_string_append_c(row, '"');
  for (const char *p = text; *p; p++) {
    if (*p == '"')
      g_string_append_c(row, '"');
    g_string_append_c(row, *p);
  }
  g_string_append_c(row, '"');
}

static void record_failure(Sweep *sweep, const Worker *worker, const char *reason)
{
  g_autofree gchar *where = point_description(sweep->plan, worker->point);
  if (sweep->progress_on_terminal && !sweep->quiet)
    fputs("\r\033[K", stderr);
  fprintf(stderr,
          "ftpsim: run failed: point %" G_GUINT64_FORMAT " rep %" G_GUINT64_FORMAT " seed %" G_GUINT64_FORMAT
          " (%s): %s\n",
          worker->point, worker->rep, worker->seed, where, reason);
  GString *row = g_string_new(NULL);
  g_string_append_printf(row, "%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",", worker->point,
                         worker->rep, worker->seed);
  append_csv_field(row, where);
  g_string_append_c(row, ',');
  append_csv_field(row, reason);
  g_ptr_array_add(sweep->failures, g_string_free(row, FALSE));
  sweep->failed_count++;
}

/* A worker ended: keep its folder and journal it, or report why it failed. */
static gboolean finish_worker(Sweep *sweep, Worker *worker, int status, gboolean interrupted, GError **error)
{
  g_autofree gchar *summary = g_build_filename(worker->temp_dir, "summary.csv", NULL);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && g_file_test(summary, G_FILE_TEST_IS_REGULAR)) {
    g_autofree gchar *final_dir = run_dir_path(sweep, worker->point, worker->rep);
    if (g_file_test(final_dir, G_FILE_TEST_EXISTS))
      remove_run_dir(final_dir); /* left by a sweep killed between rename and journal */
    if (g_rename(worker->temp_dir, final_dir) != 0)
      return fail_errno(error, "keep the run folder", final_dir);
    if (!journal_append(sweep, worker->point, worker->rep, worker->seed))
      return fail_errno(error, "append to the journal in", sweep->out_dir);
    sweep->done[worker->point * sweep->plan->reps + worker->rep] = 1;
    sweep->done_count++;
  } else if (!(interrupted && WIFSIGNALED(status))) {
    g_autofree gchar *reason = NULL;
    if (WIFSIGNALED(status))
      reason = g_strdup_printf("killed by signal %d (%s)", WTERMSIG(status), g_strsignal(WTERMSIG(status)));
    else {
      g_autofree gchar *message = first_line_of_stderr(worker->stderr_fd);
      reason = g_strdup_printf("exit status %d: %s", WIFEXITED(status) ? WEXITSTATUS(status) : -1, message);
    }
    record_failure(sweep, worker, reason);
    remove_run_dir(worker->temp_dir);
  } else
    remove_run_dir(worker->temp_dir);
  g_clear_pointer(&worker->temp_dir, g_free);
  close(worker->stderr_fd);
  worker->stderr_fd = -1;
  worker->pid = 0;
  return TRUE;
}

/* ---- Progress -------------------------------------------------------------------------------- */

static void format_duration(char *buffer, gsize size, double seconds)
{
  guint64 total = (guint64)(seconds + 0.5);
  if (total >= 3600)
    g_snprintf(buffer, size, "%" G_GUINT64_FORMAT ":%02u:%02u", total / 3600, (guint)(total / 60 % 60),
               (guint)(total % 60));
  else
    g_snprintf(buffer, size, "%u:%02u", (guint)(total / 60), (guint)(total % 60));
}

static void show_progress(Sweep *sweep, gboolean final)
{
  if (sweep->quiet)
    return;
  gint64 now = g_get_monotonic_time();
  guint64 finished = sweep->done_count + sweep->failed_count;
  if (!sweep->progress_on_terminal &&
      (final ? finished == sweep->last_plain_progress_finished && sweep->last_plain_progress_us != 0
             : now - sweep->last_plain_progress_us < PLAIN_PROGRESS_INTERVAL_US))
    return; /* plain lines: at most one every 2 s, and the last one not twice */
  sweep->last_plain_progress_finished = finished;
  sweep->last_plain_progress_us = now;
  double elapsed = (double)(now - sweep->start_us) / G_USEC_PER_SEC;
  guint64 this_time = finished - sweep->resumed_count;
  guint64 left = sweep->runs - finished;
  char elapsed_text[32], eta_text[32];
  format_duration(elapsed_text, sizeof elapsed_text, elapsed);
  if (this_time > 0)
    format_duration(eta_text, sizeof eta_text, elapsed / (double)this_time * (double)left);
  else
    g_strlcpy(eta_text, "?", sizeof eta_text);
  g_autofree gchar *failed = sweep->failed_count ? g_strdup_printf(", %" G_GUINT64_FORMAT " failed", sweep->failed_count)
                                                 : g_strdup("");
  if (sweep->progress_on_terminal) {
    enum { BAR = 30 };
    char bar[BAR + 1];
    guint filled = sweep->runs ? (guint)(finished * BAR / sweep->runs) : BAR;
    for (guint i = 0; i < BAR; i++)
      bar[i] = i < filled ? '#' : '.';
    bar[BAR] = '\0';
    fprintf(stderr, "\r\033[K[%s] %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " runs%s, %s elapsed, ETA %s%s", bar,
            finished, sweep->runs, failed, elapsed_text, eta_text, final ? "\n" : "");
  } else
    fprintf(stderr, "ftpsim: sweep %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " runs done%s, %s elapsed, ETA %s\n",
            finished, sweep->runs, failed, elapsed_text, eta_text);
  fflush(stderr);
}

/* ---- Collecting the runs --------------------------------------------------------------------- */

/* Appends a run's CSV (header checked against *header, kept from the first run) with point and rep
 * columns in front. */
static gboolean collect_csv(FILE *stream, const char *path, guint64 point, guint64 rep, gchar **header,
                            const char *prefix_header, GError **error)
{
  g_autofree gchar *text = NULL;
  gsize length = 0;
  if (!g_file_get_contents(path, &text, &length, error))
    return FALSE;
  gchar *body = strchr(text, '\n');
  if (body == NULL) {
    g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "'%s' has no header line", path);
    return FALSE;
  }
  *body++ = '\0';
  if (*header == NULL) {
    *header = g_strdup(text);
    fprintf(stream, "%s,%s\n", prefix_header, text);
  } else if (strcmp(*header, text) != 0) {
    g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "'%s' has other columns than the sweep's first run", path);
    return FALSE;
  }
  for (gchar *line = body; *line != '\0';) {
    gchar *end = strchr(line, '\n');
    gsize line_length = end ? (gsize)(end - line) : strlen(line);
    fprintf(stream, "%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%.*s\n", point, rep, (int)line_length, line);
    line += line_length + (end ? 1 : 0);
  }
  return TRUE;
}

/* Builds DIR/target from every finished run's source file, in (point, rep) order, whatever order the
 * runs finished in. With no finished run there is no file. */
static gboolean collect_file(Sweep *sweep, const char *source, const char *target, GError **error)
{
  OutputFile out = {0};
  if (!output_file_open(&out, sweep->out_dir, target, error))
    return FALSE;
  g_autofree gchar *header = NULL;
  gboolean ok = TRUE;
  for (guint64 point = 0; ok && point < sweep->points; point++)
    for (guint64 rep = 0; ok && rep < sweep->plan->reps; rep++) {
      if (!sweep->done[point * sweep->plan->reps + rep])
        continue;
      g_autofree gchar *run_dir = run_dir_path(sweep, point, rep);
      g_autofree gchar *path = g_build_filename(run_dir, source, NULL);
      ok = collect_csv(out.stream, path, point, rep, &header, "point,rep", error);
    }
  if (!ok || header == NULL) {
    output_file_discard(&out);
    g_autofree gchar *path = g_build_filename(sweep->out_dir, target, NULL);
    g_unlink(path);
    return ok;
  }
  return output_file_commit(&out, error);
}

/* Failure rows start with "point,rep,": sorted by them, failures.csv does not depend on --jobs. */
static gint compare_failure_rows(gconstpointer a, gconstpointer b)
{
  const char *x = *(const char *const *)a, *y = *(const char *const *)b;
  char *end_x, *end_y;
  guint64 point_x = g_ascii_strtoull(x, &end_x, 10), point_y = g_ascii_strtoull(y, &end_y, 10);
  if (point_x != point_y)
    return point_x < point_y ? -1 : 1;
  guint64 rep_x = g_ascii_strtoull(end_x + 1, NULL, 10), rep_y = g_ascii_strtoull(end_y + 1, NULL, 10);
  return rep_x < rep_y ? -1 : rep_x > rep_y;
}

static gboolean write_failures(Sweep *sweep, GError **error)
{
  g_ptr_array_sort(sweep->failures, compare_failure_rows);
  g_autofree gchar *path = g_build_filename(sweep->out_dir, "failures.csv", NULL);
  if (sweep->failures->len == 0) {
    g_unlink(path);
    return TRUE;
  }
  OutputFile out = {0};
  if (!output_file_open(&out, sweep->out_dir, "failures.csv", error))
    return FALSE;
  fputs("point,rep,seed,parameters,error\n", out.stream);
  for (guint i = 0; i < sweep->failures->len; i++)
    fprintf(out.stream, "%s\n", (const char *)g_ptr_array_index(sweep->failures, i));
  return output_file_commit(&out, error);
}

static gboolean write_definition(Sweep *sweep, GError **error)
{
  OutputFile out = {0};
  if (!output_file_open(&out, sweep->out_dir, "sweep.txt", error))
    return FALSE;
  g_autofree gchar *text = sweep_plan_canonical_text(sweep->plan);
  fputs(text, out.stream);
  return output_file_commit(&out, error);
}

/* ---- The loop -------------------------------------------------------------------------------- */

static volatile sig_atomic_t interrupt_signal;

static void on_interrupt(int signal_number)
{
  interrupt_signal = signal_number;
}

static void install_interrupt_handlers(void)
{
  struct sigaction action = {0};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0; /* no SA_RESTART: waitpid returns on a signal */
  sigaction(SIGINT, &action, NULL);
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGHUP, &action, NULL);
}

static gboolean run_all(Sweep *sweep, guint jobs, GError **error)
{
  g_autofree Worker *workers = g_new0(Worker, jobs);
  guint running = 0;
  guint64 next = 0; /* index into (point, rep) order */
  gboolean ok = TRUE;
  install_interrupt_handlers();
  show_progress(sweep, FALSE);
  while (TRUE) {
    while (ok && !interrupt_signal && running < jobs && next < sweep->runs) {
      guint64 index = next++;
      if (sweep->done[index])
        continue;
      Worker *worker = NULL;
      for (guint i = 0; i < jobs && worker == NULL; i++)
        if (workers[i].pid == 0)
          worker = &workers[i];
      worker->point = index / sweep->plan->reps;
      worker->rep = index % sweep->plan->reps;
      worker->seed = sweep_seed(sweep->plan->seed, worker->point, worker->rep);
      if (!start_worker(sweep, worker, error)) {
        ok = FALSE;
        break;
      }
      running++;
    }
    if (running == 0)
      break;
    int status = 0;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) {
        for (guint i = 0; i < jobs; i++)
          if (workers[i].pid > 0)
            kill(workers[i].pid, SIGTERM);
        continue;
      }
      return fail_errno(error, "wait for the runs of", sweep->out_dir);
    }
    for (guint i = 0; i < jobs; i++) {
      if (workers[i].pid != pid)
        continue;
      running--;
      if (ok && !finish_worker(sweep, &workers[i], status, interrupt_signal != 0, error))
        ok = FALSE;
      else if (workers[i].pid != 0) { /* after an error: just tidy up */
        remove_run_dir(workers[i].temp_dir);
        g_clear_pointer(&workers[i].temp_dir, g_free);
        close(workers[i].stderr_fd);
        workers[i].stderr_fd = -1;
        workers[i].pid = 0;
      }
      show_progress(sweep, FALSE);
    }
  }
  return ok;
}

static gchar *self_executable(GError **error)
{
  gchar *path = g_file_read_link("/proc/self/exe", error);
  if (path == NULL)
    g_prefix_error(error, "cannot find the ftpsim program to start runs: ");
  return path;
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
                       load_experiment(options.experiment_path, plan, &settings, options.force, &error)) &&
                      apply_command_line(&options, plan, &settings, &error) &&
                      sweep_plan_check(plan, settings.force, &points, &error) && check_platforms(plan, &error);
  if (!input_ok) {
    g_free(settings.out_dir);
    return fail_usage(error->message);
  }

  Sweep sweep = {.plan = plan,
                 .points = points,
                 .runs = points * plan->reps,
                 .out_dir = settings.out_dir,
                 .journal_fd = -1,
                 .quiet = options.quiet,
                 .progress_on_terminal = isatty(STDERR_FILENO),
                 .failures = g_ptr_array_new_with_free_func(g_free)};
  /* Absolute: runs on platform files work in the platform's folder. */
  g_autofree gchar *absolute_out = g_canonicalize_filename(sweep.out_dir, NULL);
  sweep.runs_dir = g_build_filename(absolute_out, "runs", NULL);
  sweep.done = g_new0(guint8, sweep.runs);
  g_autofree gchar *digest = sweep_plan_digest(plan);
  int status = 0;
  /* Each run is a fork of the sweep, so every symbol that the dynamic linker resolves lazily (most of
   * SimGrid's) would be resolved again in every run, each time writing to a page the run shares with
   * the sweep: a copy-on-write fault, slow on virtual machines and worse with two runs at once (E1
   * with --jobs 2: 6.65 s, 5.06 s once bound). Those settings are read only at program start. */
  restart_tuned(RESTART_BIND_NOW, "sweep", sweep_argv);
  if ((sweep.self_exe = self_executable(&error)) == NULL)
    status = fail_runtime(error->message);
  else if (g_mkdir_with_parents(sweep.runs_dir, 0777) != 0) {
    g_autofree gchar *message =
        g_strdup_printf("cannot create the sweep folder '%s': %s", sweep.runs_dir, g_strerror(errno));
    status = fail_usage(message);
  } else if (!journal_open(&sweep, digest, &error))
    status = fail_usage(error->message);
  if (status == 0) {
    sweep.start_us = g_get_monotonic_time();
    gboolean ok = write_definition(&sweep, &error) && run_all(&sweep, (guint)settings.jobs, &error);
    if (ok && !interrupt_signal)
      ok = collect_file(&sweep, "summary.csv", "runs.csv", &error) && write_failures(&sweep, &error) &&
           (!plan->session_detail || collect_file(&sweep, "sessions.csv", "sessions.csv", &error)) &&
           (!plan->trace || collect_file(&sweep, "commands.csv", "commands.csv", &error));
    show_progress(&sweep, TRUE);
    if (!ok)
      status = fail_runtime(error->message);
    else if (interrupt_signal) {
      g_autofree gchar *message = g_strdup_printf(
          "sweep interrupted (%s): %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
          " runs done; run the same command again to run the rest",
          g_strsignal(interrupt_signal), sweep.done_count, sweep.runs);
      status = fail_runtime(message);
    } else if (sweep.failed_count > 0) {
      g_autofree gchar *message = g_strdup_printf(
          "%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " runs failed (listed in %s/failures.csv); the other runs are "
          "in %s/runs.csv; run the same command again to retry the failed ones",
          sweep.failed_count, sweep.runs, sweep.out_dir, sweep.out_dir);
      status = fail_runtime(message);
    } else if (!options.quiet)
      fprintf(stderr, "ftpsim: sweep done: %" G_GUINT64_FORMAT " runs (%" G_GUINT64_FORMAT " run now), wrote %s/runs.csv\n",
              sweep.runs, sweep.runs - sweep.resumed_count, sweep.out_dir);
  }
  if (sweep.journal_fd >= 0)
    close(sweep.journal_fd);
  g_free(sweep.runs_dir);
  g_free(sweep.self_exe);
  g_free(sweep.done);
  g_ptr_array_unref(sweep.failures);
  g_free(settings.out_dir);
  return status;
}
