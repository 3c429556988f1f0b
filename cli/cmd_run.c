/* ftpsim run: one simulation, from a platform (and optional deployment) to CSV files. */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <simgrid/engine.h>

#include "commands.h"
#include "engine.h"
#include "output.h"
#include "precheck.h"
#include "report.h"
#include "restart.h"
#include "scenario.h"

extern const char ftpsim_builtin_platform[];
extern const gsize ftpsim_builtin_platform_length;

#define BUILTIN_PLATFORM_LABEL "builtin:kb140424.xml"
#define DEFAULT_OUT_DIR "ftpsim-out"

static const char run_description[] =
    "Simulates FTP sessions between the client and server hosts of a SimGrid platform, and writes\n"
    "  DIR/sessions.csv  one row per session\n"
    "  DIR/summary.csv   one row for the run\n"
    "  DIR/commands.csv  one row per PORT exchange (with --trace)\n"
    "Without PLATFORM, the built-in KB Q140424 platform (one AS/400, one NT 3.51 SP2 server) is used.\n"
    "\n"
    "Parameters (see 'ftpsim params' for every key, 'ftpsim models' for the models) are taken from, in\n"
    "increasing precedence: the defaults, the platform's host properties, the deployment's actor\n"
    "arguments, --set. SimGrid's own --cfg=KEY:VALUE and --log=... options are passed to SimGrid.\n"
    "\n"
    "Examples:\n"
    "  ftpsim run\n"
    "  ftpsim run --set client.start_port=600 --set session.commands=500 --out kb600\n"
    "  ftpsim run --set server.policy=nt351 --trace\n"
    "  ftpsim run platforms/two-sites.xml --set client.counter=host --seed 7\n"
    "\n"
    "Exit status: 0 on success, 2 for a usage or input error (nothing written), 1 if the run failed.";

typedef struct RunOptions {
  gchar **assignments;
  gchar *seed_text;
  gchar *out_dir;
  gboolean trace;
  gboolean quiet;
  const char *platform_path; /* NULL: built-in */
  const char *deployment_path;
  GPtrArray *simgrid_args; /* argv for simgrid_init, NULL-terminated */
} RunOptions;

static void run_options_clear(RunOptions *options)
{
  g_strfreev(options->assignments);
  g_free(options->seed_text);
  g_free(options->out_dir);
  if (options->simgrid_args)
    g_ptr_array_unref(options->simgrid_args);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RunOptions, run_options_clear)

static gboolean parse_seed(const char *text, guint64 *seed, GError **error)
{
  if (text == NULL) {
    *seed = 1;
    return TRUE;
  }
  if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, seed, NULL)) {
    g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "--seed: '%s' is not a whole number (accepted: 0..%" G_GUINT64_FORMAT
                ")", text, G_MAXUINT64);
    return FALSE;
  }
  return TRUE;
}

static gboolean parse_run_options(int argc, char **argv, RunOptions *options, GError **error)
{
  const GOptionEntry entries[] = {
      {"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &options->assignments,
       "Set a parameter for every host (repeatable)", "KEY=VALUE"},
      {"seed", 0, 0, G_OPTION_ARG_STRING, &options->seed_text, "Seed of the run's random streams (default 1)", "N"},
      {"out", 'o', 0, G_OPTION_ARG_FILENAME, &options->out_dir, "Folder for the CSV files (default " DEFAULT_OUT_DIR ")",
       "DIR"},
      {"trace", 0, 0, G_OPTION_ARG_NONE, &options->trace, "Also write commands.csv, one row per PORT exchange", NULL},
      {"quiet", 'q', 0, G_OPTION_ARG_NONE, &options->quiet, "Print nothing on success", NULL},
      G_OPTION_ENTRY_NULL,
  };
  g_set_prgname("ftpsim run");
  g_autoptr(GOptionContext) context = g_option_context_new("[PLATFORM.xml [DEPLOYMENT.xml]] - simulate FTP sessions");
  g_option_context_add_main_entries(context, entries, NULL);
  g_option_context_set_description(context, run_description);
  g_option_context_set_ignore_unknown_options(context, TRUE);
  if (!g_option_context_parse(context, &argc, &argv, error))
    return FALSE;

  options->simgrid_args = g_ptr_array_new();
  g_ptr_array_add(options->simgrid_args, (gpointer) "ftpsim");
  GPtrArray *positional = g_ptr_array_new();
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (g_str_has_prefix(arg, "--cfg=") || g_str_has_prefix(arg, "--log="))
      g_ptr_array_add(options->simgrid_args, (gpointer)arg);
    else if (strcmp(arg, "--") == 0)
      continue;
    else if (arg[0] == '-' && arg[1] != '\0') {
      g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
                  "unknown option '%s' (accepted: --set, --seed, --out, --trace, --quiet, --cfg=..., --log=...; see "
                  "'ftpsim run --help')",
                  arg);
      g_ptr_array_unref(positional);
      return FALSE;
    } else
      g_ptr_array_add(positional, (gpointer)arg);
  }
#ifdef __SANITIZE_ADDRESS__
  /* Raw and ucontext contexts switch stacks behind AddressSanitizer's back (false reports); threads
   * do not. The user's own --cfg, later in argv, still wins. */
  g_ptr_array_insert(options->simgrid_args, 1, (gpointer) "--cfg=contexts/factory:thread");
  g_ptr_array_insert(options->simgrid_args, 1, (gpointer) "--log=xbt_cfg.thres:warning");
#endif
  g_ptr_array_add(options->simgrid_args, NULL);
  if (positional->len > 2) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                "too many arguments: '%s' (accepted: [PLATFORM.xml [DEPLOYMENT.xml]])",
                (const char *)g_ptr_array_index(positional, 2));
    g_ptr_array_unref(positional);
    return FALSE;
  }
  options->platform_path = positional->len > 0 ? g_ptr_array_index(positional, 0) : NULL;
  options->deployment_path = positional->len > 1 ? g_ptr_array_index(positional, 1) : NULL;
  g_ptr_array_unref(positional);
  if (options->out_dir == NULL)
    options->out_dir = g_strdup(DEFAULT_OUT_DIR);
  return TRUE;
}

/* Above this many sessions in a run, SimGrid's default actor stacks (8 MiB reserved, one guard page
 * each, two mappings per actor) run into the kernel's limit of 65,530 mappings near 30,000 live actors
 * ("Failed to protect stack"), and their scattered pages slow context switches: 10,000 sessions at once
 * ran 3.9x faster with 16 KiB stacks (bench/, docs/performance.md). */
#define LARGE_RUN_SESSIONS 1000

/* Small stacks without guard pages for large runs: 8 KiB was measured to suffice for every actor
 * (trace, transfers, reactions, tarpit; 4 KiB overflows), 16 KiB doubles that. SimGrid zero-fills a
 * stack when it has no guard, so a live session costs about 2 x 16 KiB + 2.5 KiB of memory. Inserted
 * before the user's --cfg options, which SimGrid reads later and so still win. Not under ASan, whose
 * thread contexts need larger frames (see parse_run_options). */
static void choose_large_run_contexts(const Scenario *scenario, GPtrArray *simgrid_args)
{
#ifndef __SANITIZE_ADDRESS__
  if (scenario->total_sessions <= LARGE_RUN_SESSIONS)
    return;
  g_ptr_array_insert(simgrid_args, 1, (gpointer) "--cfg=contexts/guard-size:0");
  g_ptr_array_insert(simgrid_args, 1, (gpointer) "--cfg=contexts/stack-size:16");
  g_ptr_array_insert(simgrid_args, 1, (gpointer) "--log=xbt_cfg.thres:warning");
#else
  (void)scenario;
  (void)simgrid_args;
#endif
}

static gboolean read_platform(const RunOptions *options, gchar **text, gsize *length, GError **error)
{
  if (options->platform_path == NULL) {
    *text = g_memdup2(ftpsim_builtin_platform, ftpsim_builtin_platform_length + 1);
    *length = ftpsim_builtin_platform_length;
    return TRUE;
  }
  if (!g_file_get_contents(options->platform_path, text, length, error)) {
    g_prefix_error(error, "cannot read the platform: ");
    return FALSE;
  }
  return TRUE;
}

static gboolean check_deployment_readable(const char *path, GError **error)
{
  if (path == NULL || g_file_test(path, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "cannot read the deployment '%s': no such file", path);
  return FALSE;
}

/* SimGrid loads platforms from files, so the built-in one goes to a temporary file for the load. */
/* The built-in platform as a file SimGrid can open: an in-memory one, so that a sweep's hundreds of
 * runs create and delete no file for it. Returns its /proc/self/fd path; close *fd after loading. */
static gchar *write_builtin_platform(int *fd, GError **error)
{
  *fd = memfd_create("kb140424.xml", MFD_CLOEXEC);
  gsize written = 0;
  while (*fd >= 0 && written < ftpsim_builtin_platform_length) {
    ssize_t n = write(*fd, ftpsim_builtin_platform + written, ftpsim_builtin_platform_length - written);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    written += (gsize)n;
  }
  if (*fd < 0 || written < ftpsim_builtin_platform_length) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot write the built-in platform: %s", g_strerror(errno));
    if (*fd >= 0)
      close(*fd);
    *fd = -1;
    return NULL;
  }
  gchar *path = g_strdup_printf("/proc/self/fd/%d", *fd);
  if (access(path, R_OK) != 0) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                "cannot hand the built-in platform to SimGrid: %s: %s (is /proc mounted?)", path, g_strerror(errno));
    close(*fd);
    *fd = -1;
    g_free(path);
    return NULL;
  }
  return path;
}

/* The engine's records, written as CSV rows. */
typedef struct CsvSink {
  FILE *sessions;
  FILE *commands;
} CsvSink;

static void csv_session_ended(gpointer data, const SessionRecord *record)
{
  report_session_row(((CsvSink *)data)->sessions, record);
}

static void csv_exchange(gpointer data, const ExchangeRecord *record)
{
  report_command_row(((CsvSink *)data)->commands, record);
}

static void print_summary(const RunOptions *options, const Scenario *scenario, guint64 seed, const RunStats *run,
                          double simulated_time)
{
  g_autofree gchar *model = scenario_effective_value(scenario, "client.model");
  g_autofree gchar *policy = scenario_effective_value(scenario, "server.policy");
  printf("ftpsim: %" G_GUINT64_FORMAT " session(s) of client model %s against server policy %s on %s, seed %"
         G_GUINT64_FORMAT "\n",
         run->sessions, model, policy, scenario->platform_label, seed);
  printf("  data commands: %" G_GUINT64_FORMAT ", rejected: %" G_GUINT64_FORMAT ", completed transfers: %" G_GUINT64_FORMAT
         "\n",
         run->commands, run->rejected, run->transfers);
  if (run->sessions == 1)
    printf("  rejected before the first accepted PORT: %" G_GUINT64_FORMAT "\n", run->sum_rejected_before_first_accept);
  else
    printf("  rejected before the first accepted PORT: mean %.3f, max %" G_GUINT64_FORMAT " per session; %"
           G_GUINT64_FORMAT " session(s) had a rejection, %" G_GUINT64_FORMAT " never got a PORT accepted\n",
           run_stats_mean_rejected_before_first_accept(run), run->max_rejected_before_first_accept,
           run->sessions_with_rejection, run->sessions_without_accept);
  if (run->first_accept_time >= 0)
    printf("  first accepted PORT at %.6f s (simulated); first transfer completed at %.6f s\n", run->first_accept_time,
           run->first_transfer_time);
  else
    printf("  no PORT command was accepted\n");
  printf("  simulated time: %.6f s\n", simulated_time);
  g_autofree gchar *sessions = g_build_filename(options->out_dir, "sessions.csv", NULL);
  g_autofree gchar *summary = g_build_filename(options->out_dir, "summary.csv", NULL);
  printf("  wrote %s and %s", sessions, summary);
  if (options->trace) {
    g_autofree gchar *commands = g_build_filename(options->out_dir, "commands.csv", NULL);
    printf(" and %s", commands);
  }
  printf("\n");
}

/* Set by a sweep's worker: the sweep has loaded this platform with these --cfg options in SimGrid
 * once already (cmd_run_check_simgrid), so its hundreds of runs need not fork to do it again. */
static gboolean simgrid_inputs_checked;

void cmd_run_trust_simgrid_inputs(void)
{
  simgrid_inputs_checked = TRUE;
}

gboolean cmd_run_check_simgrid(const char *platform_path, const GPtrArray *simgrid_options, const Scenario *scenario,
                               GError **error)
{
  g_autofree gchar *builtin_path = NULL;
  int builtin_fd = -1;
  if (platform_path == NULL && (platform_path = builtin_path = write_builtin_platform(&builtin_fd, error)) == NULL)
    return FALSE;
  g_autoptr(GPtrArray) args = g_ptr_array_new();
  g_ptr_array_add(args, (gpointer) "ftpsim");
  for (guint i = 0; simgrid_options != NULL && i < simgrid_options->len; i++)
    g_ptr_array_add(args, g_ptr_array_index(simgrid_options, i));
  g_ptr_array_add(args, NULL);
  g_autoptr(GPtrArray) route_pairs = scenario ? scenario_route_pairs(scenario) : NULL;
  gboolean ok = simgrid_precheck(platform_path, NULL, (char **)args->pdata, route_pairs, error);
  if (builtin_fd >= 0)
    close(builtin_fd);
  return ok;
}

/* SimGrid refused the inputs, maybe aborting half-way through loading them: say why in one line and
 * leave without running its destructors on a half-built engine. Nothing has been written yet. */
static G_NORETURN void fail_simgrid_load(const RunOptions *options, const char *label, const GError *error)
{
  g_autofree gchar *message = g_strdup_printf("SimGrid: %s (while loading %s%s%s with the given --cfg options)",
                                              error->message, label, options->deployment_path ? " and " : "",
                                              options->deployment_path ? options->deployment_path : "");
  fail_usage(message);
  fflush(NULL);
  _exit(EXIT_USAGE);
}

int cmd_run(int argc, char **argv)
{
  g_auto(RunOptions) options = {0};
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) run_argv = g_strdupv(argv); /* before option parsing rearranges it */
  if (!parse_run_options(argc, argv, &options, &error))
    return fail_usage(error->message);

  guint64 seed = 0;
  g_autofree gchar *platform_text = NULL;
  gsize platform_length = 0;
  if (!parse_seed(options.seed_text, &seed, &error) ||
      !read_platform(&options, &platform_text, &platform_length, &error) ||
      !check_deployment_readable(options.deployment_path, &error))
    return fail_usage(error->message);

  const char *label = options.platform_path ? options.platform_path : BUILTIN_PLATFORM_LABEL;
  g_autoptr(Scenario) scenario = scenario_load(label, platform_text, platform_length, options.deployment_path,
                                               (const char *const *)options.assignments, &error);
  if (scenario == NULL)
    return fail_usage(error->message);

#ifndef __SANITIZE_ADDRESS__ /* whose allocator has no such setting */
  /* A large run allocates two actor stacks per session: with the heap in transparent huge pages it
   * takes about 100 times fewer page faults (30,000 sessions at once: 2,500 instead of 278,000, and
   * 7.3 s instead of 9.9 s). glibc reads that setting only at program start, hence a restart. */
  if (scenario->total_sessions > LARGE_RUN_SESSIONS)
    restart_tuned(RESTART_HUGE_PAGES, "run", run_argv);
#endif

  g_autofree gchar *builtin_path = NULL;
  int builtin_fd = -1;
  if (options.platform_path == NULL && (builtin_path = write_builtin_platform(&builtin_fd, &error)) == NULL)
    return fail_runtime(error->message);
  const char *platform_path = options.platform_path ? options.platform_path : builtin_path;
  choose_large_run_contexts(scenario, options.simgrid_args);
  char **simgrid_args = (char **)options.simgrid_args->pdata;
  g_autoptr(GPtrArray) route_pairs = scenario_route_pairs(scenario);
  /* A deployment is checked in a forked child: loading it here would start its actors. */
  if (options.deployment_path != NULL && !simgrid_inputs_checked &&
      !simgrid_precheck(platform_path, options.deployment_path, simgrid_args, route_pairs, &error))
    fail_simgrid_load(&options, label, error);

  int simgrid_argc = (int)options.simgrid_args->len - 1;
  if (!simgrid_load_checked(&simgrid_argc, simgrid_args, platform_path, route_pairs, &error))
    fail_simgrid_load(&options, label, error);
  if (builtin_fd >= 0)
    close(builtin_fd);

  OutputFile sessions = {0}, summary = {0}, commands = {0};
  if (!output_file_open(&sessions, options.out_dir, "sessions.csv", &error) ||
      !output_file_open(&summary, options.out_dir, "summary.csv", &error) ||
      (options.trace && !output_file_open(&commands, options.out_dir, "commands.csv", &error))) {
    output_file_discard(&sessions);
    output_file_discard(&summary);
    return fail_usage(error->message);
  }
  output_remove_on_signal();

  report_sessions_header(sessions.stream);
  if (options.trace)
    report_commands_header(commands.stream);
  CsvSink csv = {.sessions = sessions.stream, .commands = commands.stream};
  const EngineOptions engine_options = {
      .seed = seed,
      .sink = {.data = &csv, .session_ended = csv_session_ended, .exchange = options.trace ? csv_exchange : NULL}};
  RunStats run;
  double simulated_time = 0;
  gboolean ok = engine_run(scenario, &engine_options, &run, &simulated_time, &error);
  if (ok) {
    report_summary(summary.stream, scenario, seed, &run, simulated_time);
    ok = output_file_commit(&sessions, &error) && output_file_commit(&summary, &error) &&
         (!options.trace || output_file_commit(&commands, &error));
  }
  if (!ok) {
    output_file_discard(&sessions);
    output_file_discard(&summary);
    output_file_discard(&commands);
    return fail_runtime(error->message);
  }
  if (!options.quiet)
    print_summary(&options, scenario, seed, &run, simulated_time);
  return 0;
}
