/* The SimGrid side: client and server actors that play FTP sessions over the platform's routes. */
#ifndef FTPSIM_ENGINE_H
#define FTPSIM_ENGINE_H

#include <glib.h>

#include "records.h"
#include "scenario.h"

G_BEGIN_DECLS

/* Told as each session ends and every ENGINE_PROGRESS_COMMANDS data commands begun (a burst may run for
 * minutes before its first session ends), never per exchange, for a progress line; it must not touch the
 * run. */
#define ENGINE_PROGRESS_COMMANDS 4096
typedef struct EngineProgress {
  gpointer data;
  /* simulated time reached, sessions finished of total, data commands begun; NULL: no progress */
  void (*tick)(gpointer data, double simulated_time, guint64 sessions_done, guint64 sessions_total,
               guint64 data_commands);
} EngineProgress;

/* Stops a run whose sessions alive at once outgrow the memory it may use, as counted by
 * memory_estimate.h's costs while sessions start and end: sessions arriving over time may pile up, which
 * the estimate before the run (from the sessions at time 0) cannot see. */
typedef struct EngineMemoryGuard {
  guint64 budget; /* bytes; 0: no guard */
  gpointer data;
  /* told once, when the count passes the budget; must end the process (the run cannot go on) */
  void (*exceeded)(gpointer data, guint64 sessions_alive, double simulated_time);
} EngineMemoryGuard;

typedef struct EngineOptions {
  guint64 seed;
  RecordSink sink; /* every finished session, and every exchange when sink.exchange is set */
  EngineProgress progress;
  EngineMemoryGuard memory;
  gboolean quiet; /* no warning on stderr (network.control=uncongested on loaded links) */
} EngineOptions;

/* Runs the scenario on an engine whose platform is loaded already (simgrid_init + load_platform).
 * Fills *run, whose per-session values the caller then frees (run_stats_clear); returns FALSE when sessions did not all
 * finish (a deadlock), which is our bug, not the user's. */
gboolean engine_run(const Scenario *scenario, const EngineOptions *options, RunStats *run, double *simulated_time,
                    GError **error);

G_END_DECLS

#endif
