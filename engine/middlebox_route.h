/* Middleboxes on a session's route (models/middleboxes/): the boxes between a client host and a server host
 * found once per pair, in route order (the client's host, the route's links, the server's host), and each
 * PORT/EPRT passed through them before the server sees it. A session whose route has none carries NULL
 * and pays one pointer test per PORT. */
#ifndef FTPSIM_MIDDLEBOX_ROUTE_H
#define FTPSIM_MIDDLEBOX_ROUTE_H

#include <glib.h>

#include "ftp_protocol.h"
#include "middlebox.h"

G_BEGIN_DECLS

struct Session;
struct ClientHost;
struct ServerHost;
struct DataPath;

typedef struct MiddleboxRoute {
  MiddleboxChain chain;
  double reply_timeout; /* the client host's client.reply_timeout */
} MiddleboxRoute;

/* What the session's last PORT met on its way (Session.middlebox). */
typedef struct MiddleboxPass {
  const MiddleboxRoute *route; /* NULL: no middlebox between the session's client and server */
  MiddleboxAction action;      /* MIDDLEBOX_PASS, or what the box that acted did */
  const char *acted;           /* that box's host or link */
  gboolean no_expectation;     /* a stateful firewall will drop the data connection */
  gboolean refused;            /* a NAT expects it elsewhere: the box refuses the data connection */
  guint32 destination;         /* where the data connection ends (the address the client named) */
  double port_sent;            /* when the PORT left the client */
} MiddleboxPass;

/* The run's boxes, one per host or link that carries one (engine.scenario->middleboxes). */
gboolean middlebox_routes_init(GError **error);
void middlebox_routes_clear(void);

/* The boxes between the client's host and the server's, or NULL: looked up once per pair. */
const MiddleboxRoute *middlebox_route_of(struct ClientHost *client, struct ServerHost *server);

/* The server's side of a PORT/EPRT: passes request through the route. FALSE when a box answered, dropped
 * or closed instead of the server: the caller then sends *reply (the box's, or a reset's stand-in) and
 * goes on with the connection if *open. TRUE: request is what the server sees. */
gboolean middlebox_route_port(struct Session *session, PortRequest *request, FtpReply *reply, gboolean *open);
/* The server's data connection as the route lets it through: to the address the client named, dropped
 * by a firewall without an expectation, refused by a NAT that expects it elsewhere. When the server does
 * connect (its data phase is not fatal, no TIME_WAIT stops it first) and a box expected it, the boxes use
 * up their expectation. */
void middlebox_route_data_path(struct Session *session, struct DataPath *path);
/* The client's side of a PORT that a box dropped or closed on: the session ends, as no reply came. Returns
 * when the client gives up: now for a closed connection, client.reply_timeout after the PORT for a drop. */
double middlebox_route_port_unanswered(struct Session *session);
DataFailure middlebox_route_failure(const struct Session *session);
/* The session ended: the boxes forget its control connection. */
void middlebox_route_session_ended(struct Session *session);

G_END_DECLS

#endif
