/* The sweep's worker processes: each run is a fork of the sweep that carries out a RunRequest made from
 * the plan, in a temporary folder kept as DIR/runs/pP-rR once it succeeded and journaled; --jobs of them
 * at a time; a failed run is reported and listed while the others go on; Ctrl-C or kill stops them. */
#ifndef FTPSIM_SWEEP_WORKERS_H
#define FTPSIM_SWEEP_WORKERS_H

#include <glib.h>

#include "sweep_journal.h"
#include "sweep_plan.h"
#include "sweep_progress.h"
#include "sweep_runs.h"

G_BEGIN_DECLS

/* A sweep under way. */
typedef struct Sweep {
  const SweepPlan *plan;
  SweepRuns runs;
  SweepJournal journal;
  SweepProgress progress;
  GPtrArray *failures;    /* gchar* failures.csv rows of this invocation */
  const char *digest;     /* the plan's (sweep_plan_digest) */
  const guint8 *selected; /* --runs: runs.count flags of the runs to run; NULL: every run */
} Sweep;

/* Runs every (selected) run not done yet, jobs at a time, in (point, rep) order. Returns FALSE only when the sweep
 * itself failed (a folder or the journal could not be written); failed runs are in sweep->failures. On
 * SIGINT, SIGTERM or SIGHUP (handled from here on) the workers are stopped and it returns. */
gboolean sweep_run_workers(Sweep *sweep, guint jobs, GError **error);

/* The signal that interrupted the sweep, 0 if none (yet). */
int sweep_interrupt_signal(void);

G_END_DECLS

#endif
