/* Server PORT policies: how a server answers a PORT (or EPRT) command.
 *
 * A policy is a ServerPolicy table in its own file, listed by one row in the catalog (catalog.c).
 * Contract: create() reads the policy's knobs from a validated ParamSet (NULL state is fine for a
 * policy without knobs); check_port() is the hot path: no allocation, formatting or logging, and it
 * returns a reply whose text is a static string. */
#ifndef FTPSIM_SERVER_POLICY_H
#define FTPSIM_SERVER_POLICY_H

#include <glib.h>

#include "data_phase.h"
#include "ftp_protocol.h"
#include "model_info.h"
#include "params.h"

G_BEGIN_DECLS

typedef struct ServerPolicy {
  MODEL_INFO_HEADER; /* name, summary, source, params */

  gpointer (*create)(const ParamSet *params, GError **error); /* may be NULL: no state */
  FtpReply (*check_port)(gconstpointer state, const PortRequest *request);
  /* What follows the PORT (data_phase.h): a static DataPhase for these knobs and this request. May be NULL:
   * data_phase_assumed. Hot path, as check_port. */
  const DataPhase *(*data_phase)(gconstpointer state, const PortRequest *request);
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

static inline const DataPhase *port_gate_data_phase(const PortGate *gate, const PortRequest *request)
{
  return gate->policy->data_phase != NULL ? gate->policy->data_phase(gate->state, request) : &data_phase_assumed;
}

/* The first line of an accepted PORT's reply when the server sends two (pure-ftpd FXP), or NULL. */
const char *data_phase_port_preamble(const DataPhase *phase, const PortRequest *request, FtpReply port_reply);

/* The whole exchange as the server plays it: PORT/EPRT reply, then the data command's replies and the
 * session's fate, for a client that sends the data command right after the PORT (path unchanged between).
 * The engine runs the same functions (data_phase.h), one step at a time. */
typedef struct ServerPrediction {
  FtpReply port_reply;
  const char *port_preamble; /* NULL, or the reply's first line */
  DataFailure port_failure;  /* a server that connects before replying: why its connection failed */
  DataCommandResult data;
} ServerPrediction;

ServerPrediction server_policy_predict(const PortGate *gate, const PortRequest *request, const DataPath *path);

/* Reply texts that quote the request (pure-ftpd, pyftpdlib) hold placeholders {address}, {port} and
 * {peer_address}, so that FtpReply.text stays a static string on the hot path. This renders the text
 * a real server would send for that request; off the hot path only (it allocates). Free with g_free. */
gchar *server_policy_render_text(FtpReply reply, const PortRequest *request);
/* The same for a data-phase reply, whose {n} is the number of names the listing holds: the folder's entries
 * (files) and the ones the server adds (DataPhase.listing_dot_entries), as pure-ftpd's "226 {n} matches total". */
gchar *data_phase_render_text(const DataPhase *phase, FtpReply reply, const PortRequest *request, guint files);

G_END_DECLS

#endif
