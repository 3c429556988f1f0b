/* The memory this process may use: the least of what the machine has available, the address-space
 * limit (ulimit -v) and the cgroup's memory.max, with the name of the bound that holds. */
#ifndef FTPSIM_MEMORY_BUDGET_H
#define FTPSIM_MEMORY_BUDGET_H

#include <glib.h>

#include "scenario.h"

G_BEGIN_DECLS

typedef struct MemoryBudget {
  guint64 bytes;     /* G_MAXUINT64 when nothing could be read */
  const char *bound; /* "available memory", "the address-space limit (ulimit -v)", "the cgroup's memory.max" */
} MemoryBudget;

void memory_budget_read(MemoryBudget *budget);

/* Before SimGrid starts: a run whose estimate fits goes on; one that fits only on the event loop, where
 * that gives the same bytes, is moved there with a note on stderr; any other is refused with FALSE and a
 * one-line error naming the estimate, the budget and the options that fit. */
gboolean memory_check_scenario(Scenario *scenario, const MemoryBudget *budget, gboolean quiet, GError **error);

/* During the run (EngineMemoryGuard.exceeded; data: the MemoryBudget): sessions that arrive over time have
 * piled up beyond the budget. One line on stderr naming them, the budget and what fits; the output's
 * temporary files removed; the process ends with EXIT_USAGE, before the kernel or malloc would end it. */
G_NORETURN void memory_budget_exceeded(gpointer data, guint64 sessions_alive, double simulated_time);

G_END_DECLS

#endif
