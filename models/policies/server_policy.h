/* Server PORT policies: how a server answers a PORT (or EPRT) command.
 *
 * A policy is a ServerPolicy table in its own file, listed by one row in the catalog (catalog.c).
 * Contract: create() reads the policy's knobs from a validated ParamSet (NULL state is fine for a
 * policy without knobs); check_port() is the hot path: no allocation, formatting or logging, and it
 * returns a reply whose text is a static string. */
#ifndef FTPSIM_SERVER_POLICY_H
#define FTPSIM_SERVER_POLICY_H

#include <glib.h>

#include "ftp_protocol.h"
#include "model_info.h"
#include "params.h"

G_BEGIN_DECLS

typedef struct PortRequest {
  guint16 port;         /* the port the client names */
  guint32 address;      /* the address the client names, host byte order */
  guint32 peer_address; /* the control connection's source address */
  gboolean extended;    /* EPRT rather than PORT */
} PortRequest;

typedef struct ServerPolicy {
  MODEL_INFO_HEADER; /* name, summary, source, params */

  gpointer (*create)(const ParamSet *params, GError **error); /* may be NULL: no state */
  FtpReply (*check_port)(gconstpointer state, const PortRequest *request);
  void (*destroy)(gpointer state); /* may be NULL */
} ServerPolicy;

G_STATIC_ASSERT(G_STRUCT_OFFSET(ServerPolicy, info) == 0); /* the catalog reads every table as a ModelInfo */

/* The policy called name, from the catalog (catalog.c); an unknown name is reported with the known ones. */
const ServerPolicy *server_policy_find(const char *name, GError **error);

/* A policy bound to its state. */
typedef struct PortGate {
  const ServerPolicy *policy;
  gpointer state;
} PortGate;

gboolean port_gate_init(PortGate *gate, const ServerPolicy *policy, const ParamSet *params, GError **error);
void port_gate_clear(PortGate *gate);

static inline FtpReply port_gate_check(const PortGate *gate, const PortRequest *request)
{
  return gate->policy->check_port(gate->state, request);
}

/* Reply texts that quote the request (pure-ftpd, pyftpdlib) hold placeholders {address}, {port} and
 * {peer_address}, so that FtpReply.text stays a static string on the hot path. This renders the text
 * a real server would send for that request; off the hot path only (it allocates). Free with g_free. */
gchar *server_policy_render_text(FtpReply reply, const PortRequest *request);

G_END_DECLS

#endif
