/* A client that names the same port in every PORT command (a client configured with one data port,
 * or a test probe of a server policy). RFC 959's default data port is U, the client's own control
 * connection port, which the model does not know, so the default is 1024 (IPPORT_RESERVED): the
 * first port a BSD ephemeral allocator hands out. Reusing one port back to back is what TIME_WAIT
 * forbids on real stacks; this model shows the server's side of that. */
#include "client_model.h"

static const ParamSpec fixed_params[] = {
    {.key = "client.port",
     .type = PARAM_INT,
     .min = 1,
     .max = 65535,
     .default_value = "1024",
     .unit = "port",
     .help = "the port the fixed model names in every PORT command"},
    {.key = NULL},
};

static PortScope fixed_scope(const ParamSet *params)
{
  (void)params;
  return PORT_SCOPE_SESSION; /* no shared state to speak of */
}

static gpointer fixed_create(const ParamSet *params, const ClientModelContext *context, GError **error)
{
  (void)context;
  (void)error;
  guint16 *port = g_new(guint16, 1);
  *port = (guint16)param_set_int(params, "client.port");
  return port;
}

static guint16 fixed_next_port(gpointer state, const PortQuery *query)
{
  (void)query;
  return *(const guint16 *)state;
}

const ClientModel client_model_fixed = {
    .name = "fixed",
    .summary = "names client.port in every PORT command",
    .source = "RFC 959 s3.2 (one data port per user); baseline for probing server policies",
    .params = fixed_params,
    .scope = fixed_scope,
    .create = fixed_create,
    .next_port = fixed_next_port,
    .destroy = g_free,
};
