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

gchar *data_phase_render_text(const DataPhase *phase, FtpReply reply, const PortRequest *request, guint files)
{
  g_autofree gchar *text = server_policy_render_text(reply, request);
  char entries[16];
  g_snprintf(entries, sizeof entries, "%u", files + phase->listing_dot_entries);
  GString *rendered = g_string_new(text);
  g_string_replace(rendered, "{n}", entries, 0);
  return g_string_free(rendered, FALSE);
}

const char *data_phase_port_preamble(const DataPhase *phase, const PortRequest *request, FtpReply port_reply)
{
  if (phase->foreign_preamble == NULL || !ftp_reply_is_positive(port_reply) ||
      request->address == request->peer_address)
    return NULL;
  return phase->foreign_preamble;
}

ServerPrediction server_policy_predict(const PortGate *gate, const PortRequest *request, const DataPath *path)
{
  const DataPhase *phase = port_gate_data_phase(gate, request);
  ServerPrediction prediction = {0};
  prediction.port_reply = data_phase_port_reply(phase, port_gate_check(gate, request), path, &prediction.port_failure);
  prediction.port_preamble = data_phase_port_preamble(phase, request, prediction.port_reply);
  prediction.data = data_phase_data_command(phase, prediction.port_reply, path);
  return prediction;
}
