/* Server reaction disconnect: 421 and close after N rejections in a session */
#include "server_reaction.h"

static const ParamSpec disconnect_params[] = {
    {.key = "server.disconnect_after",
     .type = PARAM_INT,
     .min = 1,
     .max = 1000000000,
     .default_value = "5",
     .help = "disconnect: rejected PORTs in one session after which the server answers 421 and closes"},
    {.key = NULL},
};

static gpointer disconnect_create(const ParamSet *params)
{
  guint64 *after = g_new(guint64, 1);
  *after = (guint64)param_set_int(params, "server.disconnect_after");
  return after;
}

static ServerVerdict disconnect_on_rejection(gpointer state, guint32 address, guint64 rejections, double now)
{
  (void)address;
  (void)now;
  return (ServerVerdict){rejections >= *(const guint64 *)state ? SERVER_DISCONNECT : SERVER_KEEP, 0};
}

const ServerReaction server_reaction_disconnect = {
    .name = "disconnect",
    .summary = "answers 421 and closes after server.disconnect_after rejections in a session",
    .source = "RFC 2577 s5 (421 and close after repeated failures, there for logins)",
    .params = disconnect_params,
    .create = disconnect_create,
    .on_rejection = disconnect_on_rejection,
    .destroy = g_free,
};
