/* The Slurm job script of a sweep: one job array whose task i runs the run ids on line i + 1 of a runs
 * file (sweep_select.h), by the sweep's own command with --runs, in the sweep's folder on a shared file
 * system. Plain text from the values given, so the unit tests check it whole. */
#ifndef FTPSIM_SWEEP_SLURM_H
#define FTPSIM_SWEEP_SLURM_H

#include <glib.h>

G_BEGIN_DECLS

/* Runs per task by default: an array task's start costs about a second, a small run far less. */
#define SWEEP_SLURM_DEFAULT_CHUNK 10
/* Slurm's MaxArraySize defaults to 1001: bigger sweeps get bigger chunks rather than a refused array. */
#define SWEEP_SLURM_MAX_TASKS 1000
/* The array's %N by default: tasks running at once, so that one sweep does not take a whole cluster. */
#define SWEEP_SLURM_DEFAULT_MAX_TASKS 64

typedef struct SlurmJob {
  const char *base_command;       /* "cd CWD && BINARY sweep ARGS" (sweep_options.h) */
  const char *out_dir;            /* DIR, absolute */
  const char *runs_file;          /* absolute: one line of run ids per task */
  const char *log_pattern;        /* absolute #SBATCH --output, with %A (job) and %a (task) */
  guint64 runs;                   /* run ids in the runs file */
  guint tasks;                    /* its lines */
  guint64 chunk;                  /* at most this many run ids per line */
  guint64 max_tasks;              /* %N */
  const char *const *extra_lines; /* --sbatch values, NULL-terminated; may be NULL */
} SlurmJob;

/* Runs per task for n runs: requested if not 0, else the default or what keeps the array within
 * SWEEP_SLURM_MAX_TASKS tasks. */
guint64 sweep_slurm_chunk(guint64 n, guint64 requested);

/* The job script, commented for people who read it before sbatch does. */
gchar *sweep_slurm_script(const SlurmJob *job);

/* The word as the shell reads it: as it is when it holds no special character, else single-quoted. */
gchar *sweep_shell_word(const char *word);

G_END_DECLS

#endif
