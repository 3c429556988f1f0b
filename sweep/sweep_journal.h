/* DIR/sweep.journal, what lets an interrupted sweep resume: the first line names the sweep's digest,
 * then one line "run POINT REP SEED" per finished run, appended and fsync'd only once the run's folder
 * is in place. The local pool holds an exclusive lock on it, which keeps every other sweep process out
 * of the folder; processes that run a selection of the runs (--runs, a Slurm task, GNU parallel) hold
 * a shared lock and append their lines side by side, each line one write(2) to a file opened O_APPEND. */
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
  gchar *out_dir;  /* DIR, as messages name it */
  gboolean shared; /* set before opening: a shared lock (--runs), and no repair or cleaning of others' */
} SweepJournal;

#define SWEEP_JOURNAL_CLOSED ((SweepJournal){.fd = -1})

/* Opens DIR/sweep.journal and locks it, creating it for a new sweep (atomically: processes of one sweep
 * may start at once), or reading the finished runs of an
 * interrupted one of the same digest into runs (those whose folder still holds summary.csv). Removes
 * the stale temporary run folders once the lock is held. A line cut short by a kill is dropped (its run
 * is simply run again); a damaged line, another sweep's journal or a held lock is an error. */
gboolean sweep_journal_open(SweepJournal *journal, SweepRuns *runs, const SweepPlan *plan, const char *digest,
                            GError **error);

/* Reads the finished runs of DIR/sweep.journal into runs, without creating, locking or repairing it
 * (--list, --status, --collect); no journal means no run finished yet. The same checks as opening. */
gboolean sweep_journal_read(const char *out_dir, SweepRuns *runs, const SweepPlan *plan, const char *digest,
                            GError **error);

/* Records run (point, rep) as finished, durably. */
gboolean sweep_journal_append(SweepJournal *journal, guint64 point, guint64 rep, guint64 seed, GError **error);

/* Closes the journal, which releases the lock. */
void sweep_journal_close(SweepJournal *journal);

G_END_DECLS

#endif
