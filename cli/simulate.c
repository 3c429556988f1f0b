/* run_simulation(): one simulation from a RunRequest, with its large-run tuning, its output files and
 * its summary. The only place that starts SimGrid's engine for a run. */
#include "simulate.h"

#include <stdio.h>
#include <unistd.h>

#include "builtin_platform.h"
#include "commands.h"
#include "engine.h"
#include "output.h"
#include "platform_search.h"
#include "precheck.h"
#include "provenance.h"
#include "report.h"
#include "memory_budget.h"
#include "memory_estimate.h"
#include "restart.h"
#include "run_progress.h"
#include "scenario.h"
#include "summary_text.h"

/* Above this many sessions in a run, SimGrid's default actor stacks (8 MiB reserved, one guard page
 * each, two mappings per actor) run into the kernel's limit of 65,530 mappings near 30,000 live actors
 * ("Failed to protect stack"), and their scattered pages slow context switches: 10,000 sessions at once
 * ran 3.9x faster with 16 KiB stacks (bench/, docs/performance.md). */
#define LARGE_RUN_SESSIONS 1000

/* With no actor per session (the event loop, a control model other than shared) the heap holds only the
 * sessions' state, and the restart for huge pages (about 70 ms) pays from about 20,000 sessions at once:
 * 10,000 at once ran in 0.186 s without it against 0.213 s with it, 25,000 in 0.255 against 0.226,
 * 100,000 in 0.979 against 0.809; 2,000 arriving over time in 0.078 against 0.173 (medians of 3-5
 * alternated runs of bench/'s workload). */
#define LARGE_LOOP_RUN_SESSIONS 20000

/* Small stacks pay from a few dozen sessions on: measured on the default platform with 30 commands a
 * session (task-clock, alternated runs), 60 sessions took 62 ms instead of 81 ms, 100 sessions 57
 * instead of 93, 1,000 sessions 90 instead of 390; 10 and 30 sessions were equal. */
#define SMALL_STACK_SESSIONS 32

/* argv for simgrid_init: "ftpsim", our own tuning, then the user's --cfg/--log options, which SimGrid
 * reads later and so still win. Small stacks without guard pages above SMALL_STACK_SESSIONS: 8 KiB was measured to
 * suffice for every actor (trace, transfers, reactions, tarpit; 4 KiB overflows), 16 KiB doubles that.
 * SimGrid zero-fills a stack when it has no guard, so a live session costs about 2 x 16 KiB + 2.5 KiB
 * of memory. Under ASan, raw and ucontext contexts switch stacks behind its back (false reports) and
 * threads do not; those need larger frames, so no small stacks there. */
static GPtrArray *simgrid_arguments(const RunRequest *request, const Scenario *scenario)
{
  GPtrArray *args = g_ptr_array_new();
  g_ptr_array_add(args, (gpointer) "ftpsim");
  /* Poisson arrivals at a high rate sleep less than SimGrid's 1 ns accuracy now and then: it sleeps all
   * the same but says so at INFO, 20 times, through --quiet. Nothing the user can act on. */
  g_ptr_array_add(args, (gpointer) "--log=s4u_actor.thres:warning");
#ifndef __SANITIZE_ADDRESS__
  if (scenario->total_sessions > SMALL_STACK_SESSIONS) {
    g_ptr_array_add(args, (gpointer) "--log=xbt_cfg.thres:warning");
    g_ptr_array_add(args, (gpointer) "--cfg=contexts/stack-size:16");
    g_ptr_array_add(args, (gpointer) "--cfg=contexts/guard-size:0");
  }
#else
  (void)scenario;
  g_ptr_array_add(args, (gpointer) "--log=xbt_cfg.thres:warning");
  g_ptr_array_add(args, (gpointer) "--cfg=contexts/factory:thread");
#endif
  for (guint i = 0; request->simgrid_options && request->simgrid_options[i]; i++)
    g_ptr_array_add(args, request->simgrid_options[i]);
  g_ptr_array_add(args, NULL);
  return args;
}

/* A large run allocates two actor stacks per session: with the heap in transparent huge pages it takes
 * about 100 times fewer page faults (30,000 sessions at once: 2,500 instead of 278,000, and 7.3 s
 * instead of 9.9 s). glibc reads that setting only at program start, hence a restart, which returns
 * only when the setting is there already (or the restart failed). ASan's allocator has no such setting. */
static void restart_if_large(const RunRequest *request, const Scenario *scenario)
{
#ifndef __SANITIZE_ADDRESS__
  if (scenario->total_sessions <= LARGE_RUN_SESSIONS)
    return;
  MemoryEstimate estimate;
  memory_estimate(scenario, &estimate);
  if (estimate.stackless && estimate.sessions_at_once <= LARGE_LOOP_RUN_SESSIONS)
    return;
  g_auto(GStrv) made = request->restart_arguments ? NULL : run_request_arguments(request);
  restart_tuned(RESTART_HUGE_PAGES, "run", request->restart_arguments ? request->restart_arguments : made);
#else
  (void)request;
  (void)scenario;
#endif
}

static gboolean read_platform(const char *platform_path, gchar **text, gsize *length, GError **error)
{
  if (platform_path == NULL) {
    *text = builtin_platform_copy(length);
    return TRUE;
  }
  if (!g_file_get_contents(platform_path, text, length, error)) {
    g_autofree gchar *note = platform_search_note(platform_path);
    g_prefix_error(error, "cannot read the platform: ");
    gchar *message = (*error)->message;
    (*error)->message = g_strconcat(message, note, NULL);
    g_free(message);
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

/* The engine's records, written as CSV rows. */
typedef struct CsvSink {
  FILE *sessions;
  FILE *commands;
  RunBreakdown breakdown; /* for the printed summary's lines per model and per policy */
} CsvSink;

static void csv_session_ended(gpointer data, const SessionRecord *record)
{
  CsvSink *sink = data;
  report_session_row(sink->sessions, record);
  run_breakdown_add(&sink->breakdown, record);
}

static void csv_exchange(gpointer data, const ExchangeRecord *record)
{
  report_command_row(((CsvSink *)data)->commands, record);
}

static void print_summary(const RunRequest *request, const Scenario *scenario, const RunStats *run,
                          const RunBreakdown *breakdown, double simulated_time)
{
  g_autofree gchar *model = scenario_effective_value(scenario, "client.model");
  g_autofree gchar *policy = scenario_effective_value(scenario, "server.policy");
  const SummaryText summary = {.platform_label = scenario->platform_label,
                               .seed = request->seed,
                               .client_model = model,
                               .server_policy = policy,
                               .run = run,
                               .breakdown = breakdown,
                               .simulated_time = simulated_time};
  summary_text_write(stdout, &summary);
  g_autofree gchar *sessions = g_build_filename(request->out_dir, "sessions.csv", NULL);
  g_autofree gchar *summary_path = g_build_filename(request->out_dir, "summary.csv", NULL);
  printf("  wrote %s and %s", sessions, summary_path);
  if (request->trace) {
    g_autofree gchar *commands = g_build_filename(request->out_dir, "commands.csv", NULL);
    printf(" and %s", commands);
  }
  printf("\n");
}

gboolean simulation_check_simgrid_inputs(const char *platform_path, const GPtrArray *simgrid_options,
                                         const Scenario *scenario, GError **error)
{
  g_autofree gchar *builtin_path = NULL;
  int builtin_fd = -1;
  if (platform_path == NULL && (platform_path = builtin_path = builtin_platform_open_file(&builtin_fd, error)) == NULL)
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
static G_NORETURN void fail_simgrid_load(const RunRequest *request, const char *label, const GError *error)
{
  g_autofree gchar *message = g_strdup_printf("SimGrid: %s (while loading %s%s%s with the given --cfg options)",
                                              error->message, label, request->deployment_path ? " and " : "",
                                              request->deployment_path ? request->deployment_path : "");
  fail_usage(message);
  fflush(NULL);
  _exit(EXIT_USAGE);
}

/* The run itself, on an engine whose platform is loaded: the output files appear whole or not at all. */
static int run_engine(const RunRequest *request, const Scenario *scenario, MemoryBudget *budget)
{
  g_autoptr(GError) error = NULL;
  OutputFile sessions = {0}, summary = {0}, commands = {0};
  if (!output_file_open(&sessions, request->out_dir, "sessions.csv", &error) ||
      !output_file_open(&summary, request->out_dir, "summary.csv", &error) ||
      (request->trace && !output_file_open(&commands, request->out_dir, "commands.csv", &error))) {
    output_file_discard(&sessions);
    output_file_discard(&summary);
    return fail_usage(error->message);
  }
  output_remove_on_signal();

  report_sessions_header(sessions.stream);
  if (request->trace)
    report_commands_header(commands.stream);
  CsvSink csv = {.sessions = sessions.stream, .commands = commands.stream};
  run_breakdown_init(&csv.breakdown);
  RunProgress progress;
  run_progress_init(&progress);
  const EngineOptions engine_options = {
      .seed = request->seed,
      .sink = {.data = &csv, .session_ended = csv_session_ended, .exchange = request->trace ? csv_exchange : NULL},
      .progress = {.data = &progress, .tick = request->quiet ? NULL : run_progress_tick},
      .memory = {.budget = budget->bytes == G_MAXUINT64 ? 0 : budget->bytes,
                 .data = budget,
                 .exceeded = memory_budget_exceeded},
      .quiet = request->quiet};
  RunStats run = {0};
  double simulated_time = 0;
  gboolean ok = engine_run(scenario, &engine_options, &run, &simulated_time, &error);
  run_progress_finish(&progress);
  if (ok) {
    report_summary(summary.stream, scenario, request->seed, &run, simulated_time);
    ok = provenance_write(request->out_dir, request->seed, &error) && output_file_commit(&sessions, &error) &&
         output_file_commit(&summary, &error) && (!request->trace || output_file_commit(&commands, &error));
  }
  if (ok && !request->quiet)
    print_summary(request, scenario, &run, &csv.breakdown, simulated_time);
  run_stats_clear(&run);
  run_breakdown_clear(&csv.breakdown);
  if (!ok) {
    output_file_discard(&sessions);
    output_file_discard(&summary);
    output_file_discard(&commands);
    return fail_runtime(error->message);
  }
  return 0;
}

int run_simulation(const RunRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *platform_text = NULL;
  gsize platform_length = 0;
  /* A bare name such as two-sites.xml may be a bundled platform; the label stays as given. */
  g_autofree gchar *found_path = request->platform_path ? platform_search(request->platform_path) : NULL;
  if (!read_platform(found_path, &platform_text, &platform_length, &error) ||
      !check_deployment_readable(request->deployment_path, &error))
    return fail_usage(error->message);

  const char *label = request->platform_path ? request->platform_path : BUILTIN_PLATFORM_LABEL;
  g_autoptr(Scenario) scenario = scenario_load(label, platform_text, platform_length, request->deployment_path,
                                               (const char *const *)request->assignments, &error);
  if (scenario == NULL)
    return fail_usage(error->message);
  restart_if_large(request, scenario);
  /* read once: the run's guard keeps the budget the scenario was checked against */
  MemoryBudget budget;
  memory_budget_read(&budget);
  if (!memory_check_scenario(scenario, &budget, request->quiet, &error))
    return fail_usage(error->message);

  g_autofree gchar *builtin_path = NULL;
  int builtin_fd = -1;
  if (request->platform_path == NULL && (builtin_path = builtin_platform_open_file(&builtin_fd, &error)) == NULL)
    return fail_runtime(error->message);
  const char *platform_path = found_path ? found_path : builtin_path;
  g_autoptr(GPtrArray) simgrid_args = simgrid_arguments(request, scenario);
  g_autoptr(GPtrArray) route_pairs = scenario_route_pairs(scenario);
  /* A deployment is checked in a forked child: loading it here would start its actors. */
  if (request->deployment_path != NULL && !request->simgrid_inputs_checked &&
      !simgrid_precheck(platform_path, request->deployment_path, (char **)simgrid_args->pdata, route_pairs, &error))
    fail_simgrid_load(request, label, error);

  int simgrid_argc = (int)simgrid_args->len - 1;
  if (!simgrid_load_checked(&simgrid_argc, (char **)simgrid_args->pdata, platform_path, route_pairs, &error))
    fail_simgrid_load(request, label, error);
  if (builtin_fd >= 0)
    close(builtin_fd);
  return run_engine(request, scenario, &budget);
}
