/* A sweep's Slurm job-array script (sweep_slurm.h). */
#include "sweep_slurm.h"

#include <string.h>

gchar *sweep_shell_word(const char *word)
{
  gboolean plain = word[0] != '\0';
  for (const char *c = word; *c != '\0' && plain; c++)
    plain = g_ascii_isalnum(*c) || strchr("_./=:,+-@%", *c) != NULL;
  return plain ? g_strdup(word) : g_shell_quote(word);
}

guint64 sweep_slurm_chunk(guint64 n, guint64 requested)
{
  if (requested > 0)
    return requested;
  guint64 fitting = (n + SWEEP_SLURM_MAX_TASKS - 1) / SWEEP_SLURM_MAX_TASKS;
  return MAX(fitting, (guint64)SWEEP_SLURM_DEFAULT_CHUNK);
}

gchar *sweep_slurm_script(const SlurmJob *job)
{
  g_autofree gchar *runs_file = sweep_shell_word(job->runs_file);
  GString *text = g_string_new("#!/bin/bash\n");
  g_string_append_printf(
      text,
      "# An ftpsim sweep as a Slurm job array, written by 'ftpsim sweep --executor slurm'.\n"
      "# %" G_GUINT64_FORMAT " runs in %u tasks of at most %" G_GUINT64_FORMAT " runs, at most %" G_GUINT64_FORMAT
      " tasks at a time.\n"
      "# Task i runs the run ids on line i+1 of %s (ids as 'ftpsim sweep ... --list'\n"
      "# numbers them) with 'ftpsim sweep ... --runs IDS', one worker per CPU of the task. Each finished run\n"
      "# lands in %s/runs/ and its journal, whichever node ran it.\n"
      "# Afterwards, the same sweep command with:\n"
      "#   --status    done, running, failed and missing runs\n"
      "#   --executor slurm  again: submits the runs that are missing (not done, not running) only\n"
      "#   --collect   writes runs.csv, as the local pool would\n"
      "#SBATCH --job-name=ftpsim-sweep\n"
      "#SBATCH --array=0-%u%%%" G_GUINT64_FORMAT "\n"
      "#SBATCH --output=%s\n",
      job->runs, job->tasks, job->chunk, job->max_tasks, job->runs_file, job->out_dir, job->tasks - 1, job->max_tasks,
      job->log_pattern);
  if (job->extra_lines != NULL && job->extra_lines[0] != NULL) {
    g_string_append(text, "# From --sbatch:\n");
    for (guint i = 0; job->extra_lines[i] != NULL; i++) {
      const char *line = job->extra_lines[i];
      if (g_str_has_prefix(line, "#SBATCH "))
        line += 8;
      g_string_append_printf(text, "#SBATCH %s\n", line);
    }
  }
  g_string_append_printf(text,
                         "set -euo pipefail\n"
                         "runs=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" %s)\n"
                         "%s --runs \"$runs\" --jobs \"${SLURM_CPUS_PER_TASK:-1}\" --quiet\n",
                         runs_file, job->base_command);
  return g_string_free(text, FALSE);
}
