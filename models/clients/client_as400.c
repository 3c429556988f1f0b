/* The IBM AS/400 FTP client of Microsoft KB Q140424: the port it names in PORT goes up by one for
 * every command issued, starting below 1024, so a server that refuses ports below 1024 rejects each
 * command until the counter reaches 1024. Whether the counter is per session or shared by the whole
 * system is not documented, so both are modelled (client.counter). Where it goes after 65535 is not
 * documented either (client.wrap_to). */
#include "client_model.h"

/* client.counter's names, in the order of PortScope's values. */
static const char *const counter_scopes[] = {[PORT_SCOPE_SESSION] = "session", [PORT_SCOPE_HOST] = "host", NULL};

static const ParamSpec as400_params[] = {
    {.key = "client.start_port",
     .type = PARAM_INT,
     .min = 1,
     .max = 65535,
     .default_value = "1000",
     .unit = "port",
     .help = "first port the counter names"},
    {.key = "client.step",
     .type = PARAM_INT,
     .min = 1,
     .max = 65535,
     .default_value = "1",
     .help = "how far the counter advances for every command issued, accepted or not"},
    {.key = "client.counter",
     .type = PARAM_CHOICE,
     .default_value = "session",
     .choices = counter_scopes,
     .help = "session: each session counts from the start port; host: one counter shared by the host's sessions"},
    {.key = "client.wrap_to",
     .type = PARAM_INT,
     .min = 1,
     .max = 65535,
     .default_value = "1024",
     .unit = "port",
     .help = "port the counter goes to once it would pass 65535"},
    {.key = NULL},
};

typedef struct {
  guint32 next; /* wider than a port so that next + step cannot overflow */
  guint32 step;
  guint32 wrap_to;
} As400Counter;

static PortScope as400_scope(const ParamSet *params)
{
  return (PortScope)param_set_choice(params, "client.counter");
}

static gpointer as400_create(const ParamSet *params, const ClientModelContext *context, GError **error)
{
  (void)context;
  (void)error;
  As400Counter *counter = g_new(As400Counter, 1);
  counter->next = (guint32)param_set_int(params, "client.start_port");
  counter->step = (guint32)param_set_int(params, "client.step");
  counter->wrap_to = (guint32)param_set_int(params, "client.wrap_to");
  return counter;
}

static guint16 as400_next_port(gpointer state, const PortQuery *query)
{
  (void)query;
  As400Counter *counter = state;
  guint16 port = (guint16)counter->next;
  counter->next += counter->step;
  if (counter->next > 65535)
    counter->next = counter->wrap_to;
  return port;
}

const ClientModel client_model_as400 = {
    .name = "as400",
    .summary = "counter from a start port, +step for every command issued (accepted or not), wraps past 65535",
    .source = "Microsoft KB Q140424 (IBM AS/400 FTP client against Windows NT 3.51 SP2)",
    .params = as400_params,
    .scope = as400_scope,
    .create = as400_create,
    .next_port = as400_next_port,
    .destroy = g_free,
};
