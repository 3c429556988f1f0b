#include "server_policy.h"

#include <string.h>

#include "client_model.h" /* FTPSIM_MODEL_ERROR */

extern const ServerPolicy server_policy_nt351;
extern const ServerPolicy server_policy_nt351sp2;
extern const ServerPolicy server_policy_iis4;
extern const ServerPolicy server_policy_rfc2577;
extern const ServerPolicy server_policy_min_port;
extern const ServerPolicy server_policy_pasv_only;

/* The registry: a new policy is one file and one line here. */
static const ServerPolicy *const registry[] = {
    &server_policy_nt351,
    &server_policy_nt351sp2,
    &server_policy_iis4,
    &server_policy_rfc2577,
    &server_policy_min_port,
    &server_policy_pasv_only,
    NULL,
};

const ServerPolicy *const *server_policies(void)
{
  return registry;
}

const char *const *server_policy_names(void)
{
  static const char *names[G_N_ELEMENTS(registry)];
  if (names[0] == NULL)
    for (guint i = 0; registry[i] != NULL; i++)
      names[i] = registry[i]->name;
  return names;
}

const ServerPolicy *server_policy_find(const char *name, GError **error)
{
  for (guint i = 0; registry[i] != NULL; i++)
    if (strcmp(registry[i]->name, name) == 0)
      return registry[i];
  g_autofree gchar *known = g_strjoinv(", ", (gchar **)server_policy_names());
  g_set_error(error, FTPSIM_MODEL_ERROR, FTPSIM_MODEL_ERROR_UNKNOWN, "unknown server policy '%s' (known: %s)", name,
              known);
  return NULL;
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
