#include "scenario.h"

#include <string.h>

G_DEFINE_QUARK(ftpsim-scenario-error-quark, ftpsim_scenario_error)

/* ---- reading the platform's hosts with GMarkup ---- */

typedef struct RawHost {
  gchar *name;
  GPtrArray *props; /* alternating key, value (owned), in file order */
} RawHost;

typedef struct PlatformReader {
  gboolean saw_root;
  RawHost *current; /* inside a <host> */
  GPtrArray *hosts; /* RawHost* */
  GHashTable *names;
} PlatformReader;

static void raw_host_free(gpointer data)
{
  RawHost *host = data;
  g_free(host->name);
  g_ptr_array_unref(host->props);
  g_free(host);
}

static const char *attribute(const gchar **names, const gchar **values, const char *wanted)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (strcmp(names[i], wanted) == 0)
      return values[i];
  return NULL;
}

static void platform_start(GMarkupParseContext *context, const gchar *element, const gchar **names,
                           const gchar **values, gpointer data, GError **error)
{
  PlatformReader *reader = data;
  int line = 0;
  g_markup_parse_context_get_position(context, &line, NULL);
  if (!reader->saw_root) {
    reader->saw_root = TRUE;
    if (strcmp(element, "platform") != 0)
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "line %d: the root element is <%s>, expected <platform>", line,
                  element);
    return;
  }
  if (strcmp(element, "host") == 0) {
    const char *id = attribute(names, values, "id");
    if (id == NULL) {
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "line %d: <host> without an id", line);
      return;
    }
    if (g_hash_table_contains(reader->names, id)) {
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "line %d: host '%s' is defined twice", line, id);
      return;
    }
    RawHost *host = g_new0(RawHost, 1);
    host->name = g_strdup(id);
    host->props = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(reader->hosts, host);
    g_hash_table_add(reader->names, host->name);
    reader->current = host;
  } else if (strcmp(element, "prop") == 0 && reader->current != NULL) {
    const char *key = attribute(names, values, "id");
    const char *value = attribute(names, values, "value");
    if (key == NULL || value == NULL) {
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "line %d: <prop> needs both id and value", line);
      return;
    }
    g_ptr_array_add(reader->current->props, g_strdup(key));
    g_ptr_array_add(reader->current->props, g_strdup(value));
  }
}

static void platform_end(GMarkupParseContext *context, const gchar *element, gpointer data, GError **error)
{
  (void)context;
  (void)error;
  PlatformReader *reader = data;
  if (strcmp(element, "host") == 0)
    reader->current = NULL;
}

/* SimGrid's parser refuses a file without the DOCTYPE line ("Unexpected character in prolog"). */
static gboolean has_simgrid_doctype(const char *text, gsize length, GError **error)
{
  if (g_strstr_len(text, (gssize)length, "<!DOCTYPE platform") != NULL)
    return TRUE;
  g_set_error(error, FTPSIM_SCENARIO_ERROR, 0,
              "SimGrid needs the line <!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\"> before <platform>");
  return FALSE;
}

static gboolean parse_xml(const GMarkupParser *parser, gpointer reader, const char *text, gsize length,
                          GError **error)
{
  if (!has_simgrid_doctype(text, length, error))
    return FALSE;
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new(parser, 0, reader, NULL);
  return g_markup_parse_context_parse(context, text, (gssize)length, error) &&
         g_markup_parse_context_end_parse(context, error);
}

/* ---- resolving hosts into clients and servers ---- */

static gboolean apply_overrides(ParamSet *params, const char *const *overrides, GError **error)
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

static void deployed_free(gpointer data)
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
  g_free(scenario);
}

static gint find_server(const Scenario *scenario, const char *name)
{
  for (guint i = 0; i < scenario->servers->len; i++) {
    const ServerSpec *server = g_ptr_array_index(scenario->servers, i);
    if (strcmp(server->host.name, name) == 0)
      return (gint)i;
  }
  return -1;
}

static gint find_client(const Scenario *scenario, const char *name)
{
  for (guint i = 0; i < scenario->clients->len; i++) {
    const ClientSpec *client = g_ptr_array_index(scenario->clients, i);
    if (strcmp(client->host.name, name) == 0)
      return (gint)i;
  }
  return -1;
}

static gchar *server_names(const Scenario *scenario)
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
static gboolean check_models(const char *host, const ClientModel *model, const ServerPolicy *policy,
                             const ParamSet *params, GError **error)
{
  if (model != NULL && g_str_equal(param_set_string(params, "engine.sessions"), "event-loop") &&
      !g_str_equal(param_set_string(params, "network.control"), "uncongested")) {
    g_set_error(error, FTPSIM_SCENARIO_ERROR, 0,
                "host '%s': engine.sessions=event-loop needs network.control=uncongested (accepted with "
                "network.control=%s: engine.sessions=actors)",
                host, param_set_string(params, "network.control"));
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
static gboolean resolve_host(Scenario *scenario, const RawHost *raw, guint index, const char *const *overrides,
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
    else if (g_str_has_prefix(key, "ftpsim.")) {
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "host '%s': unknown property '%s' (known: %s, %s, %s, %s)",
                  raw->name, key, PROP_ROLE, PROP_ADDRESS, PROP_SERVER, PROP_ADVERTISED);
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
    g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "host '%s': %s '%s' is not an IPv4 address (like 10.1.2.3)",
                raw->name, PROP_ADVERTISED, advertised_text);
    return FALSE;
  }
  if (!apply_overrides(params, overrides, error))
    return FALSE;

  if (strcmp(role, "server") == 0) {
    ServerSpec *server = g_new0(ServerSpec, 1);
    server->host.name = g_strdup(raw->name);
    server->host.address = address;
    server->policy = server_policy_find(param_set_string(params, "server.policy"), NULL);
    if (!check_models(raw->name, NULL, server->policy, params, error)) {
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
    client->model = client_model_find(param_set_string(params, "client.model"), NULL);
    client->sessions = (guint64)param_set_int(params, "client.sessions");
    if (!check_models(raw->name, client->model, NULL, params, error)) {
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

/* ---- the deployment file ---- */

typedef struct DeploymentReader {
  Scenario *scenario;
  const char *const *overrides;
  gboolean saw_root;
  DeployedSession *current;
  gboolean has_server_argument;
} DeploymentReader;

static void deployment_start(GMarkupParseContext *context, const gchar *element, const gchar **names,
                             const gchar **values, gpointer data, GError **error)
{
  DeploymentReader *reader = data;
  Scenario *scenario = reader->scenario;
  int line = 0;
  g_markup_parse_context_get_position(context, &line, NULL);
  if (!reader->saw_root) {
    reader->saw_root = TRUE;
    if (strcmp(element, "platform") != 0)
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "line %d: the root element is <%s>, expected <platform>", line,
                  element);
    return;
  }
  if (strcmp(element, "actor") == 0) {
    const char *host = attribute(names, values, "host");
    const char *function = attribute(names, values, "function");
    if (function == NULL || strcmp(function, DEPLOY_FUNCTION_CLIENT) != 0) {
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "line %d: function '%s' is not known (accepted: %s)", line,
                  function ? function : "", DEPLOY_FUNCTION_CLIENT);
      return;
    }
    gint client = host ? find_client(scenario, host) : -1;
    if (client < 0) {
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "line %d: host '%s' is not a client host of the platform", line,
                  host ? host : "");
      return;
    }
    const char *start_text = attribute(names, values, "start_time");
    double start_time = 0;
    if (start_text != NULL) {
      char *end = NULL;
      start_time = g_ascii_strtod(start_text, &end);
      if (start_text[0] == '\0' || *end != '\0' || !(start_time >= 0 && start_time < 1e15)) {
        g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "line %d: start_time '%s' is not a time in seconds (accepted: 0 or more)",
                    line, start_text);
        return;
      }
    }
    const ClientSpec *spec = g_ptr_array_index(scenario->clients, client);
    DeployedSession *session = g_new0(DeployedSession, 1);
    session->start_time = start_time;
    session->client_index = (guint)client;
    session->server_index = spec->server_index;
    session->params = param_set_copy(spec->host.params);
    g_ptr_array_add(scenario->deployed, session);
    reader->current = session;
    reader->has_server_argument = FALSE;
  } else if (strcmp(element, "argument") == 0 && reader->current != NULL) {
    const char *value = attribute(names, values, "value");
    if (value == NULL) {
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "line %d: <argument> without a value", line);
      return;
    }
    if (strchr(value, '=') != NULL) {
      if (!param_set_assign_text(reader->current->params, value, error))
        g_prefix_error(error, "line %d: ", line);
    } else if (!reader->has_server_argument) {
      gint server = find_server(scenario, value);
      if (server < 0) {
        g_autofree gchar *known = server_names(scenario);
        g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "line %d: '%s' is not a server host (known: %s)", line, value,
                    known);
        return;
      }
      reader->current->server_index = (guint)server;
      reader->has_server_argument = TRUE;
    } else {
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0,
                  "line %d: argument '%s' is neither KEY=VALUE nor the server host (given already)", line, value);
    }
  }
}

static void deployment_end(GMarkupParseContext *context, const gchar *element, gpointer data, GError **error)
{
  (void)context;
  DeploymentReader *reader = data;
  if (strcmp(element, "actor") == 0 && reader->current != NULL) {
    DeployedSession *session = reader->current;
    reader->current = NULL;
    /* --set has the last word over the actor's own arguments. */
    if (!apply_overrides(session->params, reader->overrides, error))
      return;
    session->model = client_model_find(param_set_string(session->params, "client.model"), NULL);
    const ClientSpec *client = g_ptr_array_index(reader->scenario->clients, session->client_index);
    check_models(client->host.name, session->model, NULL, session->params, error);
  }
}

static gboolean load_deployment(Scenario *scenario, const char *path, const char *const *overrides, GError **error)
{
  g_autofree gchar *text = NULL;
  gsize length = 0;
  if (!g_file_get_contents(path, &text, &length, error))
    return FALSE;
  static const GMarkupParser parser = {.start_element = deployment_start, .end_element = deployment_end};
  scenario->deployed = g_ptr_array_new_with_free_func(deployed_free);
  DeploymentReader reader = {.scenario = scenario, .overrides = overrides};
  if (!parse_xml(&parser, &reader, text, length, error)) {
    g_prefix_error(error, "%s: ", path);
    return FALSE;
  }
  if (scenario->deployed->len == 0) {
    g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "%s: no <actor function=\"%s\"> in the deployment", path,
                DEPLOY_FUNCTION_CLIENT);
    return FALSE;
  }
  scenario->total_sessions = scenario->deployed->len;
  return TRUE;
}

Scenario *scenario_load(const char *platform_label, const char *platform_xml, gsize platform_length,
                        const char *deployment_path, const char *const *overrides, GError **error)
{
  /* Check every --set first, so that a typo is reported as such even on a broken platform. */
  g_autoptr(ParamSet) probe = param_set_new();
  if (!apply_overrides(probe, overrides, error))
    return NULL;

  PlatformReader reader = {.hosts = g_ptr_array_new_with_free_func(raw_host_free),
                           .names = g_hash_table_new(g_str_hash, g_str_equal)};
  static const GMarkupParser parser = {.start_element = platform_start, .end_element = platform_end};
  g_autoptr(Scenario) scenario = g_new0(Scenario, 1);
  scenario->platform_label = g_strdup(platform_label);
  scenario->clients = g_ptr_array_new_with_free_func(client_spec_free);
  scenario->servers = g_ptr_array_new_with_free_func(server_spec_free);
  g_autoptr(GPtrArray) wanted_servers = g_ptr_array_new_with_free_func(g_free);
  gboolean ok = parse_xml(&parser, &reader, platform_xml, platform_length, error);
  if (!ok)
    g_prefix_error(error, "%s: ", platform_label);
  for (guint i = 0; ok && i < reader.hosts->len; i++) {
    ok = resolve_host(scenario, g_ptr_array_index(reader.hosts, i), i, overrides, wanted_servers, error);
    if (!ok)
      g_prefix_error(error, "%s: ", platform_label);
  }
  g_ptr_array_unref(reader.hosts);
  g_hash_table_unref(reader.names);
  if (!ok)
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
      gint server = find_server(scenario, wanted);
      if (server < 0) {
        g_autofree gchar *known = server_names(scenario);
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

  if (deployment_path != NULL && !load_deployment(scenario, deployment_path, overrides, error))
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
  /* Client-side keys are read on client hosts (or deployed sessions), server-side keys on servers. */
  gboolean server_key = g_str_has_prefix(key, "server.");
  const char *value = NULL;
  guint count = scenario->deployed != NULL && !server_key ? scenario->deployed->len
                : server_key                               ? scenario->servers->len
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
