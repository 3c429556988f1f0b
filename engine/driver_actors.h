/* The actor driver (engine.sessions=actors): a SimGrid actor per session carries out each wait of
 * session_step() itself, blocking in SimGrid; and an actor per client host opens the host's sessions. */
#ifndef FTPSIM_DRIVER_ACTORS_H
#define FTPSIM_DRIVER_ACTORS_H

#include "session.h"

G_BEGIN_DECLS

/* Starts the session's actor on its client host. */
void start_session(Session *session);
/* One per client host: opens the host's sessions as its workload says, an actor each. */
void client_host_actor(int argc, char *argv[]);
/* Uncongested or loaded: the route the data command's bytes take (STOR to the server, the others back) and
 * *bytes, its bytes with the control bytes it carries (control_bytes, then cleared). */
const ControlRoute *transfer_route(Session *session, double *bytes);
/* Moves the data command's bytes, as a SimGrid flow in both control models; blocks until they arrive.
 * The event-loop driver calls it from an actor of the transfer's own. */
void move_data(Session *session);
/* network.control=loaded: the session's control message goes on the route's links now
 * (control_message_enter()), its bytes counted, when they shared a link with a transfer, for the session's
 * next transfer to carry. */
void message_enter(Session *session, const ControlRoute *route, long bytes);

G_END_DECLS

#endif
