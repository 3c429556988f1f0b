#include "server_policy.h"

#include "registry.h"



extern const ServerPolicy server_policy_nt351;
extern const ServerPolicy server_policy_nt351sp2;
extern const ServerPolicy server_policy_iis4;
extern const ServerPolicy server_policy_rfc2577;
extern const ServerPolicy server_policy_min_port;
extern const ServerPolicy server_policy_pasv_only;
extern const ServerPolicy server_policy_vsftpd;
extern const ServerPolicy server_policy_proftpd;
extern const ServerPolicy server_policy_pure_ftpd;
extern const ServerPolicy server_policy_pyftpdlib;

/* The registry: a new policy is one file and one line here. */
static const ServerPolicy *const registry[] = {
    &server_policy_nt351,
    &server_policy_nt351sp2,
    &server_policy_iis4,
    &server_policy_rfc2577,
    &server_policy_min_port,
    &server_policy_pasv_only,
    &server_policy_vsftpd,
    &server_policy_proftpd,
    &server_policy_pure_ftpd,
    &server_policy_pyftpdlib,
    NULL,
};

const ServerPolicy *const *server_policies(void)
{
  return registry;
}

const char *const *server_policy_names(void)
{
  static const char *names[G_N_ELEMENTS(registry)];
  return registry_names((const void *const *)registry, names);
}

const ServerPolicy *server_policy_find(const char *name, GError **error)
{
  return registry_find((const void *const *)registry, "server policy", name, error);
}

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
