/* Where each run of a sweep stands, from its folder alone (so it works the same whoever ran the runs:
 * the local pool, --runs by hand, Slurm tasks, GNU parallel): done (journaled, its folder in place),
 * running (a live process holds its temporary folder's lock), failed (its last attempt failed), or
 * missing (never run, or its process was killed). */
#ifndef FTPSIM_SWEEP_STATUS_H
#define FTPSIM_SWEEP_STATUS_H

#include <glib.h>

#include "sweep_runs.h"

G_BEGIN_DECLS

typedef enum SweepRunState {
  SWEEP_RUN_MISSING,
  SWEEP_RUN_DONE,
  SWEEP_RUN_RUNNING,
  SWEEP_RUN_FAILED,
} SweepRunState;

typedef struct SweepStatus {
  guint64 runs, done, running, failed, missing; /* done + running + failed + missing = runs */
} SweepStatus;

/* The state of every run (runs->count of them, in run-id order), runs->done read from the journal
 * already; counts go to *status. */
guint8 *sweep_status_scan(const SweepRuns *runs, SweepStatus *status);

/* "N runs: D done, R running, F failed, M missing" */
gchar *sweep_status_text(const SweepStatus *status);

/* The failures.csv rows (gchar*) of the runs whose state is failed, read from their records. */
GPtrArray *sweep_status_failure_rows(const SweepRuns *runs, const guint8 *states);

G_END_DECLS

#endif
