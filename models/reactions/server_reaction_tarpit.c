/* Server reaction tarpit: hold every rejection back */
#include "server_reaction.h"

static const ParamSpec tarpit_params[] = {
    {.key = "server.tarpit_delay",
     .type = PARAM_DOUBLE,
     .min = 0,
     .max = 1e9,
     .default_value = "1",
     .unit = "s",
     .help = "tarpit: delay before each rejection reply"},
    {.key = NULL},
};

static gpointer tarpit_create(const ParamSet *params)
{
  double *delay = g_new(double, 1);
  *delay = param_set_double(params, "server.tarpit_delay");
  return delay;
}

static ServerVerdict tarpit_on_rejection(gpointer state, guint32 address, guint64 rejections, double now)
{
  (void)address;
  (void)rejections;
  (void)now;
  return (ServerVerdict){SERVER_KEEP, *(const double *)state};
}

const ServerReaction server_reaction_tarpit = {
    .name = "tarpit",
    .summary = "delays every rejection reply by server.tarpit_delay",
    .source = "RFC 2577 s5 (a delay after a bad PASS), applied to rejected PORTs",
    .params = tarpit_params,
    .create = tarpit_create,
    .on_rejection = tarpit_on_rejection,
    .destroy = g_free,
};
