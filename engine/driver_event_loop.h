/* The event-loop driver (engine.sessions=event-loop): one actor per client host runs all the host's sessions
 * from a queue of timed events, with no actor per session (with network.control=shared, an actor per session
 * only while its flows are in flight). */
#ifndef FTPSIM_DRIVER_EVENT_LOOP_H
#define FTPSIM_DRIVER_EVENT_LOOP_H

#include "session.h"

G_BEGIN_DECLS

typedef struct SessionLoop SessionLoop;

/* The host's loop, made on first use. */
SessionLoop *session_loop_of(ClientHost *client);
void session_loop_free(SessionLoop *loop);
/* A deployed session, queued before the run: it starts when the host's loop does. */
void session_loop_queue(ClientHost *client, Session *session);
/* One per client host with a loop: runs the host's sessions (those of its workload, or the deployed ones
 * queued beforehand) as events, waiting in SimGrid only for the next event's time. */
void host_loop_actor(int argc, char *argv[]);

G_END_DECLS

#endif
