/* How much memory a run will need at its peak, estimated before SimGrid starts from the sessions
 * alive at time 0 and the driver each host runs them on, so that a run too large for the machine is
 * refused in one line (or moved to the light driver) instead of being killed by the kernel. Pure C. */
#ifndef FTPSIM_MEMORY_ESTIMATE_H
#define FTPSIM_MEMORY_ESTIMATE_H

#include <glib.h>

#include "scenario.h"

G_BEGIN_DECLS

/* Measured on the default platform, 10 commands a session (peak RSS, /usr/bin/time), from 10,000 to
 * 20,000 sessions at once: 37.9 KiB a session with an actor each on the shared control model (two
 * 16 KiB stacks, client and server side, and 2.5 KiB of state), 18.1 KiB with network.control=uncongested
 * (one actor), 0.6 KiB on the event loop (the state alone), over about 35 MiB for the program and
 * SimGrid. The event loop on the shared model gives a session an actor while its flows are in flight, and
 * sessions at once all have theirs in flight: 20.2 KiB (10,000 at once, 3 commands). On the other models
 * the event loop starts an actor for each transfer: 20,000 sessions at once, one command each, took 54 MiB
 * with no transfer and 415 MiB with 19,976 in flight at once (18.5 KiB each), actors 397 and 422 MiB.
 * Sessions at once may all be in a transfer (as there), but a PORT transfer holds a listening port of its
 * client host: at most 65,535 a host. Rounded up, so that the estimate errs on the safe side. */
#define MEMORY_BASE_BYTES (64u << 20)
#define MEMORY_ACTOR_SESSION_BYTES (40u << 10)
#define MEMORY_ACTOR_UNCONGESTED_SESSION_BYTES (20u << 10)
#define MEMORY_LOOP_SESSION_BYTES (1u << 10)
#define MEMORY_LOOP_SHARED_SESSION_BYTES (24u << 10)
#define MEMORY_LOOP_TRANSFER_BYTES (20u << 10)
#define MEMORY_HOST_PORTS 65535u

typedef struct MemoryEstimate {
  guint64 sessions_at_once; /* sessions that start at time 0: a lower bound of the peak */
  guint64 actor_sessions;   /* of those, the ones whose host runs an actor per session */
  guint64 bytes;            /* with each host's own driver */
  guint64 event_loop_bytes; /* with every session on the event loop, and a control model other than shared
                             * (its transfers in flight included) */
  guint64 fluid_bytes;      /* with every session on the event loop, network.control=loaded and
                             * network.transfers=loaded: no actor for a transfer either */
  gboolean stackless;       /* no session ever has an actor: every host on the event loop, none on the
                             * shared control model */
  gboolean event_loop_same; /* every actor host is on network.control=uncongested, where the event
                             * loop gives the same bytes as actors */
} MemoryEstimate;

void memory_estimate(const Scenario *scenario, MemoryEstimate *estimate);

/* A live session's cost on its driver and control model, without the event loop's transfers
 * (MEMORY_LOOP_TRANSFER_BYTES each): what the estimate counts, and the engine as sessions start and end. */
guint64 memory_session_bytes(SessionEngine driver, NetworkControl control);

/* Moves every client host (and deployed session) onto the event loop; only when event_loop_same. */
void memory_estimate_use_event_loop(Scenario *scenario);

G_END_DECLS

#endif
