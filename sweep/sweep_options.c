/* The sweep's options and the command line of its runs elsewhere (sweep_options.h). */
#include "sweep_options.h"

#include <string.h>
#include <unistd.h>

#include "option_hint.h"
#include "sweep_slurm.h"

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
    "Beyond one machine (DIR on a folder every machine shares), the same arguments plus:\n"
    "  --list         one line per run, tab-separated: run id, point, rep, seed, the command that runs\n"
    "                 it alone (cut -f5 | parallel --joblog LOG --resume runs them with GNU parallel)\n"
    "  --runs 3-7,9   run only these run ids (as --list numbers them), beside other such processes\n"
    "  --executor slurm  submit the runs not done or running as one Slurm job array: each task runs\n"
    "                 --chunk runs (default 10, more when there are over 10,000), at most --max-tasks\n"
    "                 tasks at a time (the array's %N, default 64); DIR/slurm/submit-K.sh is the\n"
    "                 script (--sbatch LINE adds '#SBATCH LINE', --script-only writes it only)\n"
    "  --status       how many runs are done, running, failed and missing\n"
    "  --collect      write runs.csv (sessions.csv, commands.csv, failures.csv) from the finished runs,\n"
    "                 byte for byte what the local pool writes\n"
    "\n"
    "Examples:\n"
    "  ftpsim sweep --vary client.start_port=900..1100 --vary server.policy=nt351,nt351sp2 --out kb\n"
    "  ftpsim sweep experiments/e1-kb.ini --out results/e1\n"
    "  ftpsim sweep experiments/e1-kb.ini --out /shared/e1 --executor slurm --sbatch '--time=10'\n"
    "\n"
    "Exit status: 0 when every run succeeded, 1 when one failed or the sweep was interrupted (--collect:\n"
    "when runs are not done), 2 for a usage or input error (nothing run).";

void sweep_options_clear(SweepOptions *options)
{
  g_strfreev(options->varies);
  g_strfreev(options->assignments);
  g_strfreev(options->platforms);
  g_free(options->reps_text);
  g_free(options->seed_text);
  g_free(options->jobs_text);
  g_free(options->out_dir);
  g_free(options->runs_text);
  g_free(options->executor);
  g_free(options->chunk_text);
  g_free(options->max_tasks_text);
  g_strfreev(options->sbatch_lines);
  if (options->simgrid_args)
    g_ptr_array_unref(options->simgrid_args);
}

gboolean sweep_options_parse(int argc, char **argv, SweepOptions *options, GError **error)
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
      {"list", 0, 0, G_OPTION_ARG_NONE, &options->list, "List the runs and the command of each", NULL},
      {"runs", 0, 0, G_OPTION_ARG_STRING, &options->runs_text, "Run only these run ids", "ID|FIRST-LAST[,...]"},
      {"executor", 0, 0, G_OPTION_ARG_STRING, &options->executor, "Where the runs go (default local)", "local|slurm"},
      {"chunk", 0, 0, G_OPTION_ARG_STRING, &options->chunk_text, "Slurm: runs per array task", "N"},
      {"max-tasks", 0, 0, G_OPTION_ARG_STRING, &options->max_tasks_text, "Slurm: array tasks at a time (%N)", "N"},
      {"sbatch", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->sbatch_lines, "Slurm: an extra #SBATCH line (repeatable)",
       "'--OPTION=VALUE'"},
      {"script-only", 0, 0, G_OPTION_ARG_NONE, &options->script_only, "Slurm: write the job script, do not submit",
       NULL},
      {"status", 0, 0, G_OPTION_ARG_NONE, &options->status, "Count the runs done, running, failed and missing", NULL},
      {"collect", 0, 0, G_OPTION_ARG_NONE, &options->collect, "Write runs.csv and the rest from the finished runs",
       NULL},
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
                  "--sessions, --force, --quiet, --list, --runs, --executor, --chunk, --max-tasks, --sbatch, "
                  "--script-only, --status, --collect, --cfg=..., --log=...; see 'ftpsim sweep --help')",
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
  int modes = (options->list != FALSE) + (options->status != FALSE) + (options->collect != FALSE) +
              (options->runs_text != NULL) + (options->executor != NULL && strcmp(options->executor, "local") != 0);
  if (modes > 1) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                "--list, --runs, --executor slurm, --status and --collect exclude each other (accepted: one of them)");
    return FALSE;
  }
  if (options->executor != NULL && strcmp(options->executor, "local") != 0 && strcmp(options->executor, "slurm") != 0) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--executor '%s' (accepted: local, slurm)",
                options->executor);
    return FALSE;
  }
  return TRUE;
}

/* Options that choose what to do with the sweep rather than what the sweep is: left out of the command
 * of its runs. with_value: the option takes a value ("--jobs 2", "--jobs=2", "-j 2", "-j2"). */
static const struct {
  const char *name;
  char short_name;
  gboolean with_value;
} mode_options[] = {
    {"--runs", 0, TRUE},      {"--jobs", 'j', TRUE},   {"--executor", 0, TRUE},     {"--chunk", 0, TRUE},
    {"--max-tasks", 0, TRUE}, {"--sbatch", 0, TRUE},   {"--quiet", 'q', FALSE},     {"--list", 0, FALSE},
    {"--status", 0, FALSE},   {"--collect", 0, FALSE}, {"--script-only", 0, FALSE},
};

/* How many words of args, from i, are a mode option and its value (0: none). */
static int mode_option_words(char **args, int i)
{
  const char *arg = args[i];
  for (gsize k = 0; k < G_N_ELEMENTS(mode_options); k++) {
    gsize length = strlen(mode_options[k].name);
    gboolean value = mode_options[k].with_value;
    if (strncmp(arg, mode_options[k].name, length) == 0 && (arg[length] == '\0' || (value && arg[length] == '=')))
      return value && arg[length] == '\0' && args[i + 1] != NULL ? 2 : 1;
    if (mode_options[k].short_name != 0 && arg[0] == '-' && arg[1] == mode_options[k].short_name)
      return value && arg[2] == '\0' && args[i + 1] != NULL ? 2 : 1;
  }
  return 0;
}

gchar *sweep_options_base_command(char **args)
{
  g_autofree gchar *binary = g_file_read_link("/proc/self/exe", NULL);
  g_autofree gchar *cwd = g_get_current_dir();
  g_autofree gchar *quoted_cwd = sweep_shell_word(cwd);
  g_autofree gchar *quoted_binary = sweep_shell_word(binary ? binary : "ftpsim");
  GString *command = g_string_new(NULL);
  g_string_append_printf(command, "cd %s && %s sweep", quoted_cwd, quoted_binary);
  for (int i = 1; args[i] != NULL;) {
    int skip = strcmp(args[i], "--") == 0 ? 1 : mode_option_words(args, i);
    if (skip > 0) {
      i += skip;
      continue;
    }
    g_autofree gchar *word = sweep_shell_word(args[i]);
    g_string_append_printf(command, " %s", word);
    i++;
  }
  return g_string_free(command, FALSE);
}
