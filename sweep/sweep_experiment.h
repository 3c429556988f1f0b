/* An experiment file (.ini, read with GKeyFile): [sweep] seed, reps, jobs, out, platforms, trace,
 * sessions, force; [set] KEY=VALUE; [vary] KEY=VALUES. The command line overrides it key by key. */
#ifndef FTPSIM_SWEEP_EXPERIMENT_H
#define FTPSIM_SWEEP_EXPERIMENT_H

#include <glib.h>

#include "sweep_plan.h"

G_BEGIN_DECLS

/* What the experiment file and the command line decide besides the plan. */
typedef struct SweepSettings {
  guint64 jobs;
  gchar *out_dir; /* owned; NULL until given */
  gboolean force;
} SweepSettings;

/* Adds the file's keys to the plan and settings (platforms resolve against the file's folder). A missing
 * key leaves the value as it was; an unknown group or key, or a bad value, is an error naming the file.
 * force (the command line's --force) allows large ranges as the file's own force key does. */
gboolean sweep_experiment_load(const char *path, SweepPlan *plan, SweepSettings *settings, gboolean force,
                               GError **error);

G_END_DECLS

#endif
