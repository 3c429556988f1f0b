/* DIR/sweep.journal, what lets an interrupted sweep resume: the first line names the sweep's digest,
 * then one line "run POINT REP SEED" per finished run, appended and fsync'd only once the run's folder
 * is in place. An exclusive lock on it keeps a second sweep out of the folder. */
#ifndef FTPSIM_SWEEP_JOURNAL_H
#define FTPSIM_SWEEP_JOURNAL_H

#include <glib.h>

#include "sweep_plan.h"
#include "sweep_runs.h"

G_BEGIN_DECLS

#define SWEEP_JOURNAL_NAME "sweep.journal"

typedef struct SweepJournal {
  int fd; /* -1 when closed */
  gchar *path;
  gchar *out_dir; /* DIR, as messages name it */
} SweepJournal;

#define SWEEP_JOURNAL_CLOSED ((SweepJournal){.fd = -1})

/* Opens DIR/sweep.journal and locks it, creating it for a new sweep, or reading the finished runs of an
 * interrupted one of the same digest into runs (those whose folder still holds summary.csv). Removes
 * the stale temporary run folders once the lock is held. A line cut short by a kill is dropped (its run
 * is simply run again); a damaged line, another sweep's journal or a held lock is an error. */
gboolean sweep_journal_open(SweepJournal *journal, SweepRuns *runs, const SweepPlan *plan, const char *digest,
                            GError **error);

/* Records run (point, rep) as finished, durably. */
gboolean sweep_journal_append(SweepJournal *journal, guint64 point, guint64 rep, guint64 seed, GError **error);

/* Closes the journal, which releases the lock. */
void sweep_journal_close(SweepJournal *journal);

G_END_DECLS

#endif
