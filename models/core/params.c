#include "params.h"
#include "param_keys.h"
#include "nearest.h"
#include "number_text.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK(ftpsim - param - error - quark, ftpsim_param_error)

/* Generated from param_keys.h, beside the enums that param_set_choice() decodes them into. */
static const char *const arrival_kinds[] = {ARRIVAL_CHOICES(CHOICE_NAME) NULL};
static const char *const count_distributions[] = {COUNT_DISTRIBUTION_CHOICES(CHOICE_NAME) NULL};
static const char *const size_distributions[] = {VALUE_DISTRIBUTION_CHOICES(CHOICE_NAME) NULL};
static const char *const port_commands[] = {PORT_COMMAND_CHOICES(CHOICE_NAME) NULL};
static const char *const closers[] = {TCP_CLOSER_CHOICES(CHOICE_NAME) NULL};
static const char *const control_channels[] = {NETWORK_CONTROL_CHOICES(CHOICE_NAME) NULL};
static const char *const transfer_models[] = {NETWORK_TRANSFERS_CHOICES(CHOICE_NAME) NULL};
static const char *const session_engines[] = {SESSION_ENGINE_CHOICES(CHOICE_NAME) NULL};
static const char *const client_listens[] = {CLIENT_LISTEN_CHOICES(CHOICE_NAME) NULL};
static const char *const third_parties[] = {THIRD_PARTY_CHOICES(CHOICE_NAME) NULL};
static const char *const data_after_rejects[] = {DATA_AFTER_REJECT_CHOICES(CHOICE_NAME) NULL};

/* Keys that belong to no single model. Models declare their own keys (client_*.c, policy_*.c); the catalog
 * brings them and the keys that choose a model (client.model, ...) to the table (param_table.c). */
static const ParamSpec core_params[] = {
    {.key = KEY_CLIENT_PORT_COMMAND,
     .type = PARAM_CHOICE,
     .default_value = "port",
     .choices = port_commands,
     .help = "port: PORT h1,h2,h3,h4,p1,p2 (RFC 959); eprt: EPRT |1|addr|port| (RFC 2428)"},
    {.key = KEY_CLIENT_LISTEN,
     .type = PARAM_CHOICE,
     .default_value = "yes",
     .choices = client_listens,
     .help = "yes: the client listens on the port its PORT names; no: it does not (misconfigured or firewalled "
             "client), so the server's connection is refused"},
    {.key = KEY_CLIENT_DATA_AFTER_REJECT,
     .type = PARAM_CHOICE,
     .default_value = "no",
     .choices = data_after_rejects,
     .help = "after a refused PORT, no: the data command fails at once (KB Q140424's closed forms); yes: the client "
             "sends it anyway and gets the server's reply to a data command without a usable PORT (vsftpd 425, "
             "pyftpdlib 150 then nothing: the session stalls)"},
    {.key = KEY_CLIENT_ACCEPT_TIMEOUT,
     .type = PARAM_DOUBLE,
     .min = 0,
     .max = 1e9,
     .default_value = "60",
     .unit = "s",
     .help = "how long the client waits for the server's data connection after a 150 before it gives up and ends "
             "the session (outcome stalled); curl's CURLOPT_ACCEPTTIMEOUT_MS default, 60000 ms"},
    {.key = KEY_SERVER_CONNECT_TIMEOUT,
     .type = PARAM_DOUBLE,
     .min = 0,
     .max = 1e9,
     .default_value = "127",
     .unit = "s",
     .help = "how long the server's data connection to an address that does not answer takes to fail (its 425 comes "
             "then): Linux's connect() gives up after net.ipv4.tcp_syn_retries=6 retransmissions, 1+2+...+64 = 127 s; "
             "a server's own shorter limit comes first (vsftpd connect_timeout 60 s, pyftpdlib 30 s)"},
    {.key = KEY_NETWORK_THIRD_PARTY,
     .type = PARAM_CHOICE,
     .default_value = "unreachable",
     .choices = third_parties,
     .help = "a PORT address other than the client's own (ftpsim.advertised_address): unreachable (a private address "
             "behind NAT: the connection times out) or reachable and listening (FXP, a third-party host)"},
    {.key = KEY_TCP_TIME_WAIT,
     .type = PARAM_DOUBLE,
     .min = 0,
     .max = 1e9,
     .default_value = "240",
     .unit = "s",
     .help = "2MSL: how long a closed data connection's ports stay unusable (Windows NT 240, Linux 60)"},
    {.key = KEY_TCP_CLOSER,
     .type = PARAM_CHOICE,
     .default_value = "server",
     .choices = closers,
     .help = "which side closes data connections and holds TIME_WAIT (server: the client is not told)"},
    {.key = KEY_NETWORK_CONTROL,
     .type = PARAM_CHOICE,
     .default_value = "shared",
     .choices = control_channels,
     .help = "shared: commands and replies are SimGrid flows sharing links; loaded: each takes its latency plus its "
             "equal share of each link of its route with the transfers and other messages on it (equal when idle, "
             "within 1% on congested fleets, fast); uncongested: its time alone on its route, whatever the load "
             "(docs/performance.md)"},
    {.key = KEY_NETWORK_TRANSFERS,
     .type = PARAM_CHOICE,
     .default_value = "flows",
     .choices = transfer_models,
     .help =
         "flows: each data transfer is a SimGrid flow, its share of the links solved by SimGrid with every other "
         "flow's; loaded: it shares each link of its route equally with the other transfers and control messages, "
         "as network.control=loaded times messages (needs it): no SimGrid flow, so a congested fleet costs the same "
         "per transfer whatever the transfers in flight (docs/performance.md)"},
    {.key = KEY_ENGINE_SESSIONS,
     .type = PARAM_CHOICE,
     .default_value = "actors",
     .choices = session_engines,
     .help = "flows: each data transfer is a SimGrid flow, its share of the links solved by SimGrid with every other "
             "flow's; loaded: transfers and control messages are timed together by ftpsim's fluid model of the links "
             "(SimGrid's max-min sharing, weighted by each route's sharing penalty), no SimGrid flow, so a congested "
             "fleet costs the same per transfer whatever the transfers in flight (needs network.control=loaded and "
             "engine.sessions=event-loop; docs/performance.md)"},
    {.key = KEY_CLIENT_SESSIONS,
     .type = PARAM_INT,
     .min = 0,
     .max = 100000000,
     .default_value = "1",
     .help = "FTP sessions opened by each client host"},
    {.key = KEY_SESSION_COMMANDS,
     .type = PARAM_INT,
     .min = 0,
     .max = 1000000000,
     .default_value = "30",
     .help = "data commands (PORT + RETR) each session issues"},
    {.key = KEY_SESSION_FILE_SIZE,
     .type = PARAM_INT,
     .min = 0,
     .max = 1e15,
     .default_value = "65536",
     .unit = "bytes",
     .help = "bytes moved by each accepted data command"},
    {.key = KEY_SESSION_COMMANDS_DIST,
     .type = PARAM_CHOICE,
     .default_value = "fixed",
     .choices = count_distributions,
     .help = "data commands per session: fixed, uniform on 0..2*session.commands, or geometric with that mean"},
    {.key = KEY_SESSION_FILE_SIZE_DIST,
     .type = PARAM_CHOICE,
     .default_value = "fixed",
     .choices = size_distributions,
     .help = "RETR/STOR sizes: fixed, or exponential with mean session.file_size"},
    {.key = KEY_SESSION_MIX_LIST,
     .type = PARAM_DOUBLE,
     .min = 0,
     .max = 1e9,
     .default_value = "0",
     .help = "weight of LIST among data commands"},
    {.key = KEY_SESSION_MIX_RETR,
     .type = PARAM_DOUBLE,
     .min = 0,
     .max = 1e9,
     .default_value = "1",
     .help = "weight of RETR among data commands"},
    {.key = KEY_SESSION_MIX_STOR,
     .type = PARAM_DOUBLE,
     .min = 0,
     .max = 1e9,
     .default_value = "0",
     .help = "weight of STOR among data commands"},
    {.key = KEY_SESSION_LIST_SIZE,
     .type = PARAM_INT,
     .min = 0,
     .max = 1e12,
     .default_value = "2048",
     .unit = "bytes",
     .help = "bytes of a LIST reply"},
    {.key = KEY_SESSION_THINK_DIST,
     .type = PARAM_CHOICE,
     .default_value = "fixed",
     .choices = size_distributions,
     .help = "pauses between data commands: fixed, or exponential with mean session.think_time"},
    {.key = KEY_SESSION_THINK_TIME,
     .type = PARAM_DOUBLE,
     .min = 0,
     .max = 1e9,
     .default_value = "0",
     .unit = "s",
     .help = "pause between two data commands of a session"},
    {.key = KEY_WORKLOAD_ARRIVAL,
     .type = PARAM_CHOICE,
     .default_value = "at-once",
     .choices = arrival_kinds,
     .help = "how a client host's sessions arrive: all at time 0, one every workload.interval, or Poisson"},
    {.key = KEY_WORKLOAD_INTERVAL,
     .type = PARAM_DOUBLE,
     .min = 0,
     .max = 1e9,
     .default_value = "1",
     .unit = "s",
     .help = "time between two session arrivals on a host (workload.arrival=interval)"},
    {.key = KEY_WORKLOAD_RATE,
     .type = PARAM_DOUBLE,
     .min = 1e-9,
     .max = 1e9,
     .default_value = "1",
     .unit = "sessions/s",
     .help = "mean arrival rate of a host's sessions (workload.arrival=poisson)"},
    {.key = NULL},
};

const ParamSpec *params_core(void)
{
  return core_params;
}

gchar *params_known_keys(void)
{
  const GPtrArray *all = params_all();
  GString *text = g_string_new(NULL);
  for (guint i = 0; i < all->len; i++) {
    const ParamSpec *spec = g_ptr_array_index(all, i);
    g_string_append_printf(text, "%s%s", i ? ", " : "", spec->key);
  }
  return g_string_free(text, FALSE);
}

gchar *params_unknown_key_message(const char *key)
{
  const GPtrArray *all = params_all();
  g_autofree const char **keys = g_new(const char *, all->len);
  for (guint i = 0; i < all->len; i++)
    keys[i] = ((const ParamSpec *)g_ptr_array_index(all, i))->key;
  g_autofree gchar *hint = nearest_hint(key, keys, (gint)all->len);
  return g_strdup_printf("unknown parameter '%s' (%s%s'ftpsim params' lists every key)", key, hint ? hint : "",
                         hint ? " " : "");
}

gboolean params_in_known_namespace(const char *key)
{
  const char *dot = strchr(key, '.');
  if (dot == NULL)
    return FALSE;
  const gsize length = (gsize)(dot - key) + 1; /* the dot included: "client." is not "clientele." */
  const GPtrArray *all = params_all();
  for (guint i = 0; i < all->len; i++)
    if (strncmp(((const ParamSpec *)g_ptr_array_index(all, i))->key, key, length) == 0)
      return TRUE;
  return FALSE;
}

static const char *const *spec_choices(const ParamSpec *spec)
{
  return spec->choices_func != NULL ? spec->choices_func() : spec->choices;
}

static void append_number(GString *text, double value, ParamType type)
{
  if (isinf(value))
    g_string_append(text, "inf");
  else if (type == PARAM_INT)
    g_string_append_printf(text, "%.0f", value);
  else
    g_string_append_printf(text, "%g", value);
}

gchar *param_spec_accepted(const ParamSpec *spec)
{
  if (spec->type == PARAM_STRING)
    return g_strdup(spec->syntax);
  GString *text = g_string_new(NULL);
  if (spec->type == PARAM_CHOICE) {
    const char *const *choices = spec_choices(spec);
    for (guint i = 0; choices[i] != NULL; i++)
      g_string_append_printf(text, "%s%s", i ? "|" : "", choices[i]);
  } else {
    append_number(text, spec->min, spec->type);
    g_string_append(text, "..");
    append_number(text, spec->max, spec->type);
  }
  return g_string_free(text, FALSE);
}

static gboolean bad_value(const ParamSpec *spec, const char *value, const char *problem, GError **error)
{
  g_autofree gchar *accepted = param_spec_accepted(spec);
  g_autofree gchar *hint = spec->type == PARAM_CHOICE ? nearest_hint(value, spec_choices(spec), -1) : NULL;
  g_set_error(error, FTPSIM_PARAM_ERROR, FTPSIM_PARAM_ERROR_BAD_VALUE, "%s: '%s' %s (%s%saccepted: %s)", spec->key,
              value, problem, hint ? hint : "", hint ? " " : "", accepted);
  return FALSE;
}

gboolean param_spec_validate(const ParamSpec *spec, const char *value, gchar **canonical, GError **error)
{
  if (spec->type == PARAM_CHOICE) {
    const char *const *choices = spec_choices(spec);
    for (guint i = 0; choices[i] != NULL; i++) {
      if (strcmp(choices[i], value) == 0) {
        if (canonical)
          *canonical = g_strdup(choices[i]);
        return TRUE;
      }
    }
    return bad_value(spec, value, "is not a known value", error);
  }
  if (spec->type == PARAM_STRING) {
    gchar *checked = NULL;
    const char *problem = spec->validate != NULL ? spec->validate(value, &checked) : NULL;
    if (problem == NULL && checked == NULL)
      checked = g_strdup(value);
    if (problem != NULL)
      return bad_value(spec, value, problem, error);
    if (canonical)
      *canonical = checked;
    else
      g_free(checked);
    return TRUE;
  }

  char *end = NULL;
  errno = 0;
  if (spec->type == PARAM_INT) {
    gint64 number = g_ascii_strtoll(value, &end, 10);
    if (value[0] == '\0' || *end != '\0' || errno != 0 || g_ascii_isspace(value[0]))
      return bad_value(spec, value, "is not a whole number", error);
    if ((double)number < spec->min || (double)number > spec->max)
      return bad_value(spec, value, "is out of range", error);
    if (canonical)
      *canonical = g_strdup_printf("%" G_GINT64_FORMAT, number);
    return TRUE;
  }

  double number = g_ascii_strtod(value, &end);
  if (value[0] == '\0' || *end != '\0' || errno != 0 || !isfinite(number) || g_ascii_isspace(value[0]))
    return bad_value(spec, value, "is not a number", error);
  if (number < spec->min || number > spec->max)
    return bad_value(spec, value, "is out of range", error);
  if (canonical) { /* the shortest text that reads back as the same double: 0.025, not 0.025000000000000001 */
    char buf[NUMBER_TEXT_SIZE];
    number_text_shortest(buf, sizeof buf, number);
    *canonical = g_strdup(buf);
  }
  return TRUE;
}

struct ParamSet {
  GHashTable *values; /* key (static, from the spec) -> canonical value (owned) */
};

ParamSet *param_set_new(void)
{
  ParamSet *set = g_new0(ParamSet, 1);
  set->values = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
  const GPtrArray *all = params_all();
  for (guint i = 0; i < all->len; i++) {
    const ParamSpec *spec = g_ptr_array_index(all, i);
    g_autofree gchar *canonical = NULL;
    gboolean valid = param_spec_validate(spec, spec->default_value, &canonical, NULL);
    g_assert(valid); /* a default outside its own range is a programming error */
    g_hash_table_insert(set->values, (gpointer)spec->key, g_steal_pointer(&canonical));
  }
  return set;
}

ParamSet *param_set_copy(const ParamSet *set)
{
  ParamSet *copy = g_new0(ParamSet, 1);
  copy->values = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init(&iter, set->values);
  while (g_hash_table_iter_next(&iter, &key, &value))
    g_hash_table_insert(copy->values, key, g_strdup(value));
  return copy;
}

void param_set_free(ParamSet *set)
{
  if (set == NULL)
    return;
  g_hash_table_destroy(set->values);
  g_free(set);
}

gboolean param_set_assign(ParamSet *set, const char *key, const char *value, GError **error)
{
  const ParamSpec *spec = params_find(key);
  if (spec == NULL) {
    g_autofree gchar *message = params_unknown_key_message(key);
    g_set_error_literal(error, FTPSIM_PARAM_ERROR, FTPSIM_PARAM_ERROR_UNKNOWN_KEY, message);
    return FALSE;
  }
  gchar *canonical = NULL;
  if (!param_spec_validate(spec, value, &canonical, error))
    return FALSE;
  g_hash_table_insert(set->values, (gpointer)spec->key, canonical);
  return TRUE;
}

gboolean param_set_assign_text(ParamSet *set, const char *assignment, GError **error)
{
  const char *equals = strchr(assignment, '=');
  if (equals == NULL || equals == assignment) {
    g_set_error(error, FTPSIM_PARAM_ERROR, FTPSIM_PARAM_ERROR_SYNTAX,
                "'%s' is not KEY=VALUE (for example client.start_port=1000)", assignment);
    return FALSE;
  }
  g_autofree gchar *key = g_strndup(assignment, (gsize)(equals - assignment));
  return param_set_assign(set, key, equals + 1, error);
}

static const char *lookup(const ParamSet *set, const char *key, ParamType type)
{
  const ParamSpec *spec = params_find(key);
  if (spec == NULL || spec->type != type)
    g_error("parameter '%s' read as the wrong type or not registered", key);
  return g_hash_table_lookup(set->values, key);
}

gint64 param_set_int(const ParamSet *set, const char *key)
{
  return g_ascii_strtoll(lookup(set, key, PARAM_INT), NULL, 10);
}

double param_set_double(const ParamSet *set, const char *key)
{
  return g_ascii_strtod(lookup(set, key, PARAM_DOUBLE), NULL);
}

const char *param_set_string(const ParamSet *set, const char *key)
{
  const ParamSpec *spec = params_find(key);
  if (spec == NULL)
    g_error("parameter '%s' is not registered", key);
  return g_hash_table_lookup(set->values, key);
}

gint param_set_choice(const ParamSet *set, const char *key)
{
  const char *value = lookup(set, key, PARAM_CHOICE);
  const char *const *choices = spec_choices(params_find(key));
  for (gint i = 0; choices[i] != NULL; i++)
    if (strcmp(choices[i], value) == 0)
      return i;
  g_error("parameter '%s' holds '%s', which is not one of its choices", key, value);
}
