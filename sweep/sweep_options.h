/* 'ftpsim sweep''s command line: the options, and the command that runs some of the same sweep's runs
 * elsewhere (a --list line, a Slurm task), which is this command line without the options that choose
 * what to do with the sweep. */
#ifndef FTPSIM_SWEEP_OPTIONS_H
#define FTPSIM_SWEEP_OPTIONS_H

#include <glib.h>

G_BEGIN_DECLS

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
  /* What to do with the sweep, besides running it all here (sweep_cluster.h). */
  gboolean list;
  gboolean status;
  gboolean collect;
  gchar *runs_text;
  gchar *executor;
  gchar *chunk_text;
  gchar *max_tasks_text;
  gchar **sbatch_lines;
  gboolean script_only;
  const char *experiment_path;
  GPtrArray *simgrid_args;
} SweepOptions;

void sweep_options_clear(SweepOptions *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SweepOptions, sweep_options_clear)

/* Parses argv (argv[0] is "sweep"); rearranges it. */
gboolean sweep_options_parse(int argc, char **argv, SweepOptions *options, GError **error);

/* "cd 'CWD' && 'BINARY' sweep ARGS": args (a copy of argv made before parsing) without --runs, --jobs,
 * --quiet, --list, --status, --collect and the executor's options, each word quoted for the shell.
 * BINARY is this program's own file; CWD the current folder, since the arguments' paths are relative
 * to it (a shared folder, on a cluster). */
gchar *sweep_options_base_command(char **args);

G_END_DECLS

#endif
