/* A sweep's runs addressed from outside its process: --list, --status, --collect and the Slurm
 * executor. All of them work on the sweep folder alone (its journal, run folders and failure records),
 * so any mix of the local pool, --runs by hand, Slurm tasks and GNU parallel adds up to one sweep. */
#ifndef FTPSIM_SWEEP_CLUSTER_H
#define FTPSIM_SWEEP_CLUSTER_H

#include <glib.h>

#include "sweep_options.h"
#include "sweep_plan.h"
#include "sweep_runs.h"

G_BEGIN_DECLS

/* Each returns the exit status. base_command: sweep_options_base_command(). */
int sweep_list(const SweepPlan *plan, const SweepRuns *runs, const char *base_command);
int sweep_show_status(const SweepPlan *plan, SweepRuns *runs, const char *digest);
int sweep_collect_all(const SweepPlan *plan, SweepRuns *runs, const char *digest, gboolean quiet);
int sweep_submit_slurm(const SweepPlan *plan, SweepRuns *runs, const char *digest, const SweepOptions *options,
                       const char *base_command);

G_END_DECLS

#endif
