/* The event-loop driver (engine.sessions=event-loop): one actor runs every client host's sessions from a queue
 * of timed events, with no actor per session (with network.control=shared, one actor per host, and an actor
 * per session only while its flows are in flight). */
#ifndef FTPSIM_DRIVER_EVENT_LOOP_H
#define FTPSIM_DRIVER_EVENT_LOOP_H

#include "session.h"

G_BEGIN_DECLS

typedef struct SessionLoop SessionLoop;

/* Before the run's sessions are made: one loop for every event-loop host (one_for_all), or one per host.
 * One for all runs the hosts' simultaneous events host after host, as loops of their own would, and lets
 * the loop move time itself while it has no flow in flight (no SimGrid wait per event). */
void session_loops_init(gboolean one_for_all);
/* The host's loop, made on first use. */
SessionLoop *session_loop_of(ClientHost *client);
/* For every client host: frees the host's loop if it is the loop's first host, and lets every host of it go. */
void session_loop_free(ClientHost *client);
/* A deployed session, queued before the run: it starts when the host's loop does. */
void session_loop_queue(ClientHost *client, Session *session);
/* Starts an actor per loop: it runs its hosts' sessions (those of their workloads, or the deployed ones
 * queued beforehand) as events, waiting in SimGrid only for the next event's time, if at all. */
void session_loops_start(void);

G_END_DECLS

#endif
