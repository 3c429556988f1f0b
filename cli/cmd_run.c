/* ftpsim run: its command line, read into a RunRequest for run_simulation() (simulate.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "option_hint.h"
#include "run_request.h"
#include "scenario.h"
#include "simgrid_info.h"
#include "simulate.h"

static const char run_description[] =
    "Simulates FTP sessions between the client and server hosts of a SimGrid platform, and writes\n"
    "  DIR/sessions.csv  one row per session\n"
    "  DIR/summary.csv   one row for the run\n"
    "  DIR/commands.csv  one row per PORT exchange (with --trace)\n"
    "  DIR/provenance.csv  ftpsim's version and commit, SimGrid's version, the command line, the seed\n"
    "Without PLATFORM, the built-in KB Q140424 platform (one AS/400, one NT 3.51 SP2 server) is used;\n"
    "a bare file name such as two-sites.xml is also looked for among the bundled platforms.\n"
    "A long run shows its simulated time, sessions done, data commands begun and ETA on standard error\n"
    "(not with --quiet).\n"
    "\n"
    "Parameters (see 'ftpsim params' for every key, 'ftpsim models' for the models) are taken from, in\n"
    "increasing precedence: the defaults, the platform's host properties, the deployment's actor\n"
    "arguments, --set. SimGrid's own --cfg=KEY:VALUE and --log=... options are passed to SimGrid\n"
    "('ftpsim --help-cfg' and 'ftpsim --help-log-categories' list them; --log=ftpsim_session.thres:debug\n"
    "shows every PORT exchange, in every build type).\n"
    "\n"
    "Examples:\n"
    "  ftpsim run\n"
    "  ftpsim run --set client.start_port=600 --set session.commands=500 --out kb600\n"
    "  ftpsim run --set server.policy=nt351 --trace\n"
    "  ftpsim run platforms/two-sites.xml --set client.counter=host --seed 7\n"
    "\n"
    "Exit status: 0 on success, 2 for a usage or input error (nothing written), 1 if the run failed.";

/* What GOption fills in, before it becomes a request. */
typedef struct RunOptions {
  gchar **assignments;
  gchar *seed_text;
  gchar *out_dir;
  gboolean trace;
  gboolean quiet;
} RunOptions;

static void run_options_clear(RunOptions *options)
{
  g_strfreev(options->assignments);
  g_free(options->seed_text);
  g_free(options->out_dir);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RunOptions, run_options_clear)

static gboolean parse_seed(const char *text, guint64 *seed, GError **error)
{
  if (text == NULL) {
    *seed = 1;
    return TRUE;
  }
  if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, seed, NULL)) {
    g_set_error(error, FTPSIM_SCENARIO_ERROR, 0,
                "--seed: '%s' is not a whole number (accepted: 0..%" G_GUINT64_FORMAT ")", text, G_MAXUINT64);
    return FALSE;
  }
  return TRUE;
}

/* Fills the request from argv; the options' values move into it. The seed is parsed last, after the
 * positional arguments, so that its error comes after theirs as it always has. */
static gboolean parse_run_options(int argc, char **argv, RunRequest *request, GError **error)
{
  g_auto(RunOptions) options = {0};
  const GOptionEntry entries[] = {
      {"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &options.assignments, "Set a parameter for every host (repeatable)",
       "KEY=VALUE"},
      {"seed", 0, 0, G_OPTION_ARG_STRING, &options.seed_text, "Seed of the run's random streams (default 1)", "N"},
      {"out", 'o', 0, G_OPTION_ARG_FILENAME, &options.out_dir,
       "Folder for the CSV files (default " RUN_DEFAULT_OUT_DIR ")", "DIR"},
      {"trace", 0, 0, G_OPTION_ARG_NONE, &options.trace, "Also write commands.csv, one row per PORT exchange", NULL},
      {"quiet", 'q', 0, G_OPTION_ARG_NONE, &options.quiet, "Print nothing on success", NULL},
      G_OPTION_ENTRY_NULL,
  };
  g_set_prgname("ftpsim run");
  g_autoptr(GOptionContext) context = g_option_context_new("[PLATFORM.xml [DEPLOYMENT.xml]] - simulate FTP sessions");
  g_option_context_add_main_entries(context, entries, NULL);
  g_option_context_set_description(context, run_description);
  g_option_context_set_ignore_unknown_options(context, TRUE);
  if (!g_option_context_parse(context, &argc, &argv, error))
    return FALSE;

  g_autoptr(GStrvBuilder) simgrid_options = g_strv_builder_new();
  g_autoptr(GPtrArray) positional = g_ptr_array_new();
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (engine_simgrid_help_option(arg) != NULL)
      exit(engine_simgrid_help(engine_simgrid_help_option(arg))); /* 'ftpsim run --help-cfg' as 'ftpsim --help-cfg' */
    else if (g_str_has_prefix(arg, "--cfg=") || g_str_has_prefix(arg, "--log="))
      g_strv_builder_add(simgrid_options, arg);
    else if (strcmp(arg, "--") == 0)
      continue;
    else if (arg[0] == '-' && arg[1] != '\0') {
      g_autofree gchar *hint = option_hint(arg, entries);
      g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
                  "unknown option '%s' (%saccepted: --set, --seed, --out, --trace, --quiet, --cfg=..., --log=...; "
                  "see 'ftpsim run --help')",
                  arg, hint);
      return FALSE;
    } else
      g_ptr_array_add(positional, (gpointer)arg);
  }
  if (positional->len > 2) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                "too many arguments: '%s' (accepted: [PLATFORM.xml [DEPLOYMENT.xml]])",
                (const char *)g_ptr_array_index(positional, 2));
    return FALSE;
  }
  request->platform_path = positional->len > 0 ? g_strdup(g_ptr_array_index(positional, 0)) : NULL;
  request->deployment_path = positional->len > 1 ? g_strdup(g_ptr_array_index(positional, 1)) : NULL;
  request->simgrid_options = g_strv_builder_end(simgrid_options);
  request->assignments = g_steal_pointer(&options.assignments);
  request->trace = options.trace;
  request->quiet = options.quiet;
  if (options.out_dir != NULL) {
    g_free(request->out_dir);
    request->out_dir = g_steal_pointer(&options.out_dir);
  }
  return parse_seed(options.seed_text, &request->seed, error);
}

int cmd_run(int argc, char **argv)
{
  g_autoptr(RunRequest) request = run_request_new();
  g_autoptr(GError) error = NULL;
  request->restart_arguments = g_strdupv(argv); /* before option parsing rearranges it */
  if (!parse_run_options(argc, argv, request, &error))
    return fail_usage(error->message);
  int status = run_simulation(request);
#ifndef __SANITIZE_ADDRESS__
  /* The outputs are committed (or discarded): SimGrid's teardown of the platform and the actors' stacks
   * would change nothing and cost 2-3% of a large run. LeakSanitizer needs the normal exit to look. */
  fflush(NULL);
  _exit(status);
#endif
  return status;
}
