/* The deployment file: each <actor function="ftp_client"> is one session of a client host, with its
 * server, KEY=VALUE parameters (above the host's, below --set) and start time. */
#include "scenario_internal.h"

#include <string.h>

#include "param_keys.h"

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
    const char *host = xml_attribute(names, values, "host");
    const char *function = xml_attribute(names, values, "function");
    if (function == NULL || strcmp(function, DEPLOY_FUNCTION_CLIENT) != 0) {
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "line %d: function '%s' is not known (accepted: %s)", line,
                  function ? function : "", DEPLOY_FUNCTION_CLIENT);
      return;
    }
    gint client = host ? scenario_find_client(scenario, host) : -1;
    if (client < 0) {
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "line %d: host '%s' is not a client host of the platform", line,
                  host ? host : "");
      return;
    }
    const char *start_text = xml_attribute(names, values, "start_time");
    double start_time = 0;
    if (start_text != NULL) {
      char *end = NULL;
      start_time = g_ascii_strtod(start_text, &end);
      if (start_text[0] == '\0' || *end != '\0' || !(start_time >= 0 && start_time < 1e15)) {
        g_set_error(error, FTPSIM_SCENARIO_ERROR, 0,
                    "line %d: start_time '%s' is not a time in seconds (accepted: 0 or more)", line, start_text);
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
    const char *value = xml_attribute(names, values, "value");
    if (value == NULL) {
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "line %d: <argument> without a value", line);
      return;
    }
    if (strchr(value, '=') != NULL) {
      if (!param_set_assign_text(reader->current->params, value, error))
        g_prefix_error(error, "line %d: ", line);
    } else if (!reader->has_server_argument) {
      gint server = scenario_find_server(scenario, value);
      if (server < 0) {
        g_autofree gchar *known = scenario_server_names(scenario);
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
    if (!scenario_apply_overrides(session->params, reader->overrides, error))
      return;
    session->model = client_model_find(param_set_string(session->params, KEY_CLIENT_MODEL), NULL);
    const ClientSpec *client = g_ptr_array_index(reader->scenario->clients, session->client_index);
    scenario_check_models(client->host.name, session->model, NULL, session->params, error);
  }
}

gboolean scenario_load_deployment(Scenario *scenario, const char *path, const char *const *overrides, GError **error)
{
  g_autofree gchar *text = NULL;
  gsize length = 0;
  if (!g_file_get_contents(path, &text, &length, error))
    return FALSE;
  static const GMarkupParser parser = {.start_element = deployment_start, .end_element = deployment_end};
  scenario->deployed = g_ptr_array_new_with_free_func(deployed_session_free);
  DeploymentReader reader = {.scenario = scenario, .overrides = overrides};
  if (!scenario_parse_xml(&parser, &reader, text, length, error)) {
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
