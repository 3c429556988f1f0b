/* A scenario: the platform's hosts resolved into clients and servers with their parameters (defaults,
 * host properties, deployment arguments, --set), checked before SimGrid reads anything. */
#include "scenario_internal.h"

#include <string.h>

#include "param_keys.h"
#include "settings.h"

G_DEFINE_QUARK(ftpsim - scenario - error - quark, ftpsim_scenario_error)

gboolean scenario_apply_overrides(ParamSet *params, const char *const *overrides, GError **error)
{
  for (guint i = 0; overrides != NULL && overrides[i] != NULL; i++)
    if (!param_set_assign_text(params, overrides[i], error)) {
      g_prefix_error(error, "--set: ");
      return FALSE;
    }
  return TRUE;
}

static void host_spec_clear(HostSpec *host)
{
  g_free(host->name);
  param_set_free(host->params);
}

static void client_spec_free(gpointer data)
{
  ClientSpec *client = data;
  host_spec_clear(&client->host);
  g_free(client);
}

static void server_spec_free(gpointer data)
{
  ServerSpec *server = data;
  host_spec_clear(&server->host);
  g_free(server);
}

void deployed_session_free(gpointer data)
{
  DeployedSession *session = data;
  param_set_free(session->params);
  g_free(session);
}

void scenario_free(Scenario *scenario)
{
  if (scenario == NULL)
    return;
  g_free(scenario->platform_label);
  g_ptr_array_unref(scenario->clients);
  g_ptr_array_unref(scenario->servers);
  if (scenario->deployed)
    g_ptr_array_unref(scenario->deployed);
  if (scenario->middleboxes)
    g_ptr_array_unref(scenario->middleboxes);
  g_free(scenario);
}

gint scenario_find_server(const Scenario *scenario, const char *name)
{
  for (guint i = 0; i < scenario->servers->len; i++) {
    const ServerSpec *server = g_ptr_array_index(scenario->servers, i);
    if (strcmp(server->host.name, name) == 0)
      return (gint)i;
  }
  return -1;
}

gint scenario_find_client(const Scenario *scenario, const char *name)
{
  for (guint i = 0; i < scenario->clients->len; i++) {
    const ClientSpec *client = g_ptr_array_index(scenario->clients, i);
    if (strcmp(client->host.name, name) == 0)
      return (gint)i;
  }
  return -1;
}

gchar *scenario_server_names(const Scenario *scenario)
{
  GString *text = g_string_new(NULL);
  for (guint i = 0; i < scenario->servers->len; i++) {
    const ServerSpec *server = g_ptr_array_index(scenario->servers, i);
    g_string_append_printf(text, "%s%s", i ? ", " : "", server->host.name);
  }
  return g_string_free(text, FALSE);
}

/* Models check combinations of keys (an empty port range) when they are created: create each one
 * once here, so that such a mistake is refused before the run like any other bad value. */
gboolean scenario_check_models(const char *host, const ClientModel *model, const ServerPolicy *policy,
                               const ParamSet *params, GError **error)
{
  if (model != NULL && param_set_choice(params, KEY_NETWORK_TRANSFERS) == NETWORK_TRANSFERS_LOADED &&
      (param_set_choice(params, KEY_NETWORK_CONTROL) != NETWORK_CONTROL_LOADED ||
       param_set_choice(params, KEY_ENGINE_SESSIONS) != SESSION_ENGINE_EVENT_LOOP)) {
    /* the loaded transfers share links with control messages timed the same way, not with SimGrid flows; the
     * event loop is told when the links' next message leaves */
    g_set_error(error, FTPSIM_SCENARIO_ERROR, 0,
                "host '%s': network.transfers=loaded needs network.control=loaded and engine.sessions=event-loop "
                "(with network.control=%s and engine.sessions=%s, network.transfers accepts: flows)",
                host, param_set_string(params, KEY_NETWORK_CONTROL), param_set_string(params, KEY_ENGINE_SESSIONS));
    return FALSE;
  }
  if (model != NULL) {
    const ClientModelContext context = {.seed = 1};
    PortAllocator allocator;
    if (!port_allocator_init(&allocator, model, params, &context, error)) {
      g_prefix_error(error, "host '%s': ", host);
      return FALSE;
    }
    port_allocator_clear(&allocator);
  }
  if (policy != NULL) {
    PortGate gate;
    if (!port_gate_init(&gate, policy, params, error)) {
      g_prefix_error(error, "host '%s': ", host);
      return FALSE;
    }
    port_gate_clear(&gate);
  }
  return TRUE;
}

/* Turns one <host> into a client or server spec (or nothing, for a host without a role). */
gboolean scenario_resolve_host(Scenario *scenario, const RawHost *raw, guint index, const char *const *overrides,
                               GPtrArray *wanted_servers, GError **error)
{
  const char *role = NULL;
  const char *address_text = NULL;
  const char *server_name = NULL;
  const char *advertised_text = NULL;
  g_autoptr(ParamSet) params = param_set_new();

  /* A property in a parameter's namespace (client., network., ...) is a parameter, so a typo in one is an
   * error; SimGrid's own properties, and any other, are left alone. */
  for (guint i = 0; i + 1 < raw->props->len; i += 2) {
    const char *key = g_ptr_array_index(raw->props, i);
    const char *value = g_ptr_array_index(raw->props, i + 1);
    if (strcmp(key, PROP_ROLE) == 0)
      role = value;
    else if (strcmp(key, PROP_ADDRESS) == 0)
      address_text = value;
    else if (strcmp(key, PROP_SERVER) == 0)
      server_name = value;
    else if (strcmp(key, PROP_ADVERTISED) == 0)
      advertised_text = value;
    else if (strcmp(key, MIDDLEBOX_PROPERTY) == 0)
      continue; /* middlebox_specs.c */
    else if (g_str_has_prefix(key, "ftpsim.")) {
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "host '%s': unknown property '%s' (known: %s, %s, %s, %s, %s)",
                  raw->name, key, PROP_ROLE, PROP_ADDRESS, PROP_SERVER, PROP_ADVERTISED, MIDDLEBOX_PROPERTY);
      return FALSE;
    } else if (params_in_known_namespace(key) && !param_set_assign(params, key, value, error)) {
      g_prefix_error(error, "host '%s': ", raw->name);
      return FALSE;
    }
  }
  if (role == NULL)
    return TRUE; /* a router or an unrelated host */
  if (strcmp(role, "client") != 0 && strcmp(role, "server") != 0) {
    g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "host '%s': %s '%s' is not a known role (accepted: client, server)",
                raw->name, PROP_ROLE, role);
    return FALSE;
  }
  guint32 address = 0x0a000000u + index + 1; /* 10.0.0.1, 10.0.0.2, ... in platform order */
  if (address_text != NULL && !ftp_parse_ipv4(address_text, &address)) {
    g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "host '%s': %s '%s' is not an IPv4 address (like 192.0.2.10)",
                raw->name, PROP_ADDRESS, address_text);
    return FALSE;
  }
  guint32 advertised = address;
  if (advertised_text != NULL && !ftp_parse_ipv4(advertised_text, &advertised)) {
    g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "host '%s': %s '%s' is not an IPv4 address (like 10.1.2.3)", raw->name,
                PROP_ADVERTISED, advertised_text);
    return FALSE;
  }
  if (!scenario_apply_overrides(params, overrides, error))
    return FALSE;

  if (strcmp(role, "server") == 0) {
    ServerSpec *server = g_new0(ServerSpec, 1);
    server->host.name = g_strdup(raw->name);
    server->host.address = address;
    server->policy = server_policy_find(param_set_string(params, KEY_SERVER_POLICY), NULL);
    if (!scenario_check_models(raw->name, NULL, server->policy, params, error)) {
      g_free(server->host.name);
      g_free(server);
      return FALSE;
    }
    server->host.params = g_steal_pointer(&params);
    g_ptr_array_add(scenario->servers, server);
  } else {
    ClientSpec *client = g_new0(ClientSpec, 1);
    client->host.name = g_strdup(raw->name);
    client->host.address = address;
    client->advertised_address = advertised;
    client->model = client_model_find(param_set_string(params, KEY_CLIENT_MODEL), NULL);
    client->sessions = (guint64)param_set_int(params, KEY_CLIENT_SESSIONS);
    if (!scenario_check_models(raw->name, client->model, NULL, params, error)) {
      g_free(client->host.name);
      g_free(client);
      return FALSE;
    }
    client->host.params = g_steal_pointer(&params);
    g_ptr_array_add(scenario->clients, client);
    g_ptr_array_add(wanted_servers, g_strdup(server_name));
  }
  return TRUE;
}

Scenario *scenario_load(const char *platform_label, const char *platform_xml, gsize platform_length,
                        const char *deployment_path, const char *const *overrides, GError **error)
{
  /* Check every --set first, so that a typo is reported as such even on a broken platform. */
  g_autoptr(ParamSet) probe = param_set_new();
  if (!scenario_apply_overrides(probe, overrides, error))
    return NULL;

  PlatformReader reader = {.hosts = g_ptr_array_new_with_free_func(raw_host_free),
                           .names = g_hash_table_new(g_str_hash, g_str_equal)};
  static const GMarkupParser parser = {.start_element = platform_start, .end_element = platform_end};
  g_autoptr(Scenario) scenario = g_new0(Scenario, 1);
  scenario->platform_label = g_strdup(platform_label);
  scenario->clients = g_ptr_array_new_with_free_func(client_spec_free);
  scenario->servers = g_ptr_array_new_with_free_func(server_spec_free);
  scenario->middleboxes = g_ptr_array_new_with_free_func(middlebox_spec_free);
  g_autoptr(GPtrArray) wanted_servers = g_ptr_array_new_with_free_func(g_free);
  gboolean ok = scenario_parse_xml(&parser, &reader, platform_xml, platform_length, error);
  if (!ok)
    g_prefix_error(error, "%s: ", platform_label);
  for (guint i = 0; ok && i < reader.hosts->len; i++) {
    ok = scenario_resolve_host(scenario, g_ptr_array_index(reader.hosts, i), i, overrides, wanted_servers, error);
    if (!ok)
      g_prefix_error(error, "%s: ", platform_label);
  }
  g_ptr_array_unref(reader.hosts);
  g_hash_table_unref(reader.names);
  if (!ok || !scenario_load_middleboxes(scenario, platform_xml, platform_length, overrides, error))
    return NULL;

  if (scenario->clients->len == 0 || scenario->servers->len == 0) {
    g_set_error(error, FTPSIM_SCENARIO_ERROR, 0,
                "%s: the platform has no %s host (mark one with <prop id=\"%s\" value=\"%s\"/>)", platform_label,
                scenario->clients->len == 0 ? "client" : "server", PROP_ROLE,
                scenario->clients->len == 0 ? "client" : "server");
    return NULL;
  }

  /* Sessions go to the server the client names, or else round-robin over the servers. */
  guint64 next_id = 1;
  for (guint i = 0; i < scenario->clients->len; i++) {
    ClientSpec *client = g_ptr_array_index(scenario->clients, i);
    const char *wanted = g_ptr_array_index(wanted_servers, i);
    if (wanted != NULL) {
      gint server = scenario_find_server(scenario, wanted);
      if (server < 0) {
        g_autofree gchar *known = scenario_server_names(scenario);
        g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "%s: host '%s': %s '%s' is not a server host (known: %s)",
                    platform_label, client->host.name, PROP_SERVER, wanted, known);
        return NULL;
      }
      client->server_index = (guint)server;
    } else {
      client->server_index = i % scenario->servers->len;
    }
    client->first_session_id = next_id;
    next_id += client->sessions;
  }
  scenario->total_sessions = next_id - 1;

  if (deployment_path != NULL && !scenario_load_deployment(scenario, deployment_path, overrides, error))
    return NULL;
  return g_steal_pointer(&scenario);
}

GPtrArray *scenario_route_pairs(const Scenario *scenario)
{
  GPtrArray *pairs = g_ptr_array_new();
  g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  guint count = scenario->deployed ? scenario->deployed->len : scenario->clients->len;
  for (guint i = 0; i < count; i++) {
    guint client_index = i, server_index;
    if (scenario->deployed != NULL) {
      const DeployedSession *session = g_ptr_array_index(scenario->deployed, i);
      client_index = session->client_index;
      server_index = session->server_index;
    } else {
      server_index = ((const ClientSpec *)g_ptr_array_index(scenario->clients, i))->server_index;
    }
    const ClientSpec *client = g_ptr_array_index(scenario->clients, client_index);
    const ServerSpec *server = g_ptr_array_index(scenario->servers, server_index);
    gchar *key = g_strdup_printf("%u/%u", client_index, server_index);
    if (!g_hash_table_add(seen, key))
      continue;
    g_ptr_array_add(pairs, client->host.name);
    g_ptr_array_add(pairs, server->host.name);
  }
  return pairs;
}

gchar *scenario_effective_value(const Scenario *scenario, const char *key)
{
  /* Middleboxes' keys are read on the middleboxes (when there are some). */
  if (g_str_has_prefix(key, "middlebox.") && scenario->middleboxes->len > 0) {
    const char *first =
        param_set_string(((const MiddleboxSpec *)g_ptr_array_index(scenario->middleboxes, 0))->params, key);
    for (guint i = 1; i < scenario->middleboxes->len; i++)
      if (strcmp(first, param_set_string(((const MiddleboxSpec *)g_ptr_array_index(scenario->middleboxes, i))->params,
                                         key)) != 0)
        return g_strdup("mixed");
    return g_strdup(first);
  }
  /* Client-side keys are read on client hosts (or deployed sessions), server-side keys on servers. */
  gboolean server_key = g_str_has_prefix(key, "server.");
  const char *value = NULL;
  guint count = scenario->deployed != NULL && !server_key ? scenario->deployed->len
                : server_key                              ? scenario->servers->len
                                                          : scenario->clients->len;
  for (guint i = 0; i < count; i++) {
    const ParamSet *params;
    if (server_key)
      params = ((const ServerSpec *)g_ptr_array_index(scenario->servers, i))->host.params;
    else if (scenario->deployed != NULL)
      params = ((const DeployedSession *)g_ptr_array_index(scenario->deployed, i))->params;
    else
      params = ((const ClientSpec *)g_ptr_array_index(scenario->clients, i))->host.params;
    const char *here = param_set_string(params, key);
    if (value == NULL)
      value = here;
    else if (strcmp(value, here) != 0)
      return g_strdup("mixed");
  }
  return g_strdup(value ? value : "");
}
