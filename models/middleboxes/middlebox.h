/* Middleboxes: the firewalls and NATs on the route between a client and a server that read the FTP
 * control connection (an "FTP helper" or ALG), and may rewrite, refuse, drop or end a PORT/EPRT before the
 * server sees it (ftp-facts.md, "Middleboxes").
 *
 * A model is a MiddleboxModel table in its own file (middlebox_NAME.c), listed by one row in the catalog
 * (catalog.c). A platform puts one on a host or a link with the property ftpsim.middlebox=NAME; its knobs
 * are the parameter keys middlebox.* (--set for every box, a middlebox.* property per host or link).
 * Contract: create() reads the knobs from a validated ParamSet; on_port() is on a PORT's path: no
 * formatting or logging, replies with static texts; time comes in as an argument (no SimGrid here). */
#ifndef FTPSIM_MIDDLEBOX_H
#define FTPSIM_MIDDLEBOX_H

#include <glib.h>

#include "ftp_protocol.h"
#include "model_info.h"
#include "param_keys.h"
#include "params.h"
#include "port_ranges.h"

G_BEGIN_DECLS

/* The platform property (on a <host> or a <link>) that names a middlebox model. */
#define MIDDLEBOX_PROPERTY "ftpsim.middlebox"

/* What a box does with a PORT/EPRT. */
typedef enum {
  MIDDLEBOX_PASS,   /* on to the next box and the server, maybe rewritten */
  MIDDLEBOX_REJECT, /* the box answers the client with `reply`; the server never sees the command */
  MIDDLEBOX_DROP,   /* the segment is dropped, and so is every retransmission: the client waits for its timeout */
  MIDDLEBOX_CLOSE,  /* the box tears the control connection down: no reply reaches the client */
} MiddleboxAction;

typedef struct MiddleboxVerdict {
  MiddleboxAction action;
  FtpReply reply; /* MIDDLEBOX_REJECT */
} MiddleboxVerdict;

/* A PORT/EPRT on its way through the boxes, as each box sees it, and what the boxes before it did. */
typedef struct MiddleboxPort {
  PortRequest request;    /* address and port as named now; peer_address: the control connection's source here */
  guint32 server_address; /* where the control connection goes */
  guint64 connection;     /* the control connection (session id): a helper keeps an expectation per connection */
  double now;
  guint32 destination;     /* where the data connection ends: the address the client named (a NAT keeps it) */
  gboolean no_expectation; /* a stateful firewall on the way recorded no expectation: it drops the data connection */
  gboolean refused;        /* a NAT named its own address but expects another: the box refuses the data connection */
  guint ports_moved;       /* boxes that changed the port (a NAT whose port was taken) */
} MiddleboxPort;

typedef struct MiddleboxModel {
  MODEL_INFO_HEADER; /* name, summary, source, params */

  gpointer (*create)(const ParamSet *params, GError **error); /* may be NULL: no state */
  MiddleboxVerdict (*on_port)(gpointer state, MiddleboxPort *port);
  /* The control connection's source address after this box (a NAT's address); may be NULL: unchanged. */
  guint32 (*source_after)(gconstpointer state, guint32 source);
  /* The control connection ended: forget what the box keeps for it. May be NULL. */
  void (*connection_closed)(gpointer state, guint64 connection);
  /* The server's data connection for the connection's last PORT reached the box and used what it expected for
   * it. May be NULL. */
  void (*data_connected)(gpointer state, guint64 connection);
  void (*destroy)(gpointer state); /* may be NULL */
} MiddleboxModel;

G_STATIC_ASSERT(G_STRUCT_OFFSET(MiddleboxModel, info) == 0);

/* The model called name, from the catalog; an unknown name gets the nearest one and the known ones. */
const MiddleboxModel *middlebox_model_find(const char *name, GError **error);

/* A model bound to its state: one per host or link that carries it, shared by every connection through it. */
typedef struct Middlebox {
  const MiddleboxModel *model;
  gpointer state;
  const char *element; /* the host or link it is on, for messages and results */
} Middlebox;

gboolean middlebox_init(Middlebox *box, const MiddleboxModel *model, const ParamSet *params, GError **error);
void middlebox_clear(Middlebox *box);

/* The boxes of a route, in route order (client to server). */
typedef struct MiddleboxChain {
  Middlebox *const *boxes;
  guint count;
} MiddleboxChain;

/* Passes port through every box in order, each seeing the control connection's source as the boxes before
 * it left it. Returns the first verdict other than MIDDLEBOX_PASS (and that box's index in *acted), or
 * MIDDLEBOX_PASS with port as the server sees it. port->destination is set from the request first. */
MiddleboxVerdict middlebox_chain_port(const MiddleboxChain *chain, MiddleboxPort *port, guint *acted);
/* The control connection's source address as the server sees it. */
guint32 middlebox_chain_source(const MiddleboxChain *chain, guint32 source);
void middlebox_chain_connection_closed(const MiddleboxChain *chain, guint64 connection);
void middlebox_chain_data_connected(const MiddleboxChain *chain, guint64 connection);

/* client.reply_timeout: the models that drop a command (netfilter, alg) list it among their keys; the engine
 * reads it on the client's host. */
#define MIDDLEBOX_REPLY_TIMEOUT_SPEC                                                                                   \
  {                                                                                                                    \
    .key = KEY_CLIENT_REPLY_TIMEOUT, .type = PARAM_DOUBLE, .min = 0, .max = 1e9, .default_value = "60", .unit = "s",   \
    .help = "how long a client waits for a reply that a middlebox dropped, then gives the session up (TCP "            \
            "retransmits the command, which the box drops again; assumed: 60 s)"                                       \
  }

G_END_DECLS

#endif
