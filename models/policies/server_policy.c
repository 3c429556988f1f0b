/* A server policy bound to its state, and the text of its replies. The policies are listed in catalog.c. */
#include "server_policy.h"

gboolean port_gate_init(PortGate *gate, const ServerPolicy *policy, const ParamSet *params, GError **error)
{
  gate->policy = policy;
  gate->state = NULL;
  if (policy->create == NULL)
    return TRUE;
  GError *local = NULL;
  gate->state = policy->create(params, &local);
  if (local != NULL) {
    g_propagate_error(error, local);
    return FALSE;
  }
  return TRUE;
}

void port_gate_clear(PortGate *gate)
{
  if (gate->policy != NULL && gate->policy->destroy != NULL && gate->state != NULL)
    gate->policy->destroy(gate->state);
  gate->policy = NULL;
  gate->state = NULL;
}

gchar *server_policy_render_text(FtpReply reply, const PortRequest *request)
{
  char address[16], peer[16], port[8];
  ftp_format_ipv4(request->address, address, sizeof address);
  ftp_format_ipv4(request->peer_address, peer, sizeof peer);
  g_snprintf(port, sizeof port, "%u", (guint)request->port);
  GString *text = g_string_new(reply.text);
  g_string_replace(text, "{address}", address, 0);
  g_string_replace(text, "{peer_address}", peer, 0);
  g_string_replace(text, "{port}", port, 0);
  return g_string_free(text, FALSE);
}
