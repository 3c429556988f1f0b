/* Client reaction retry: send PORT again with the next port, up to client.retries times */
#include "client_reaction.h"

static const ParamSpec retry_params[] = {
    {.key = "client.retries",
     .type = PARAM_INT,
     .min = 0,
     .max = 1000000000,
     .default_value = "3",
     .help = "retry: extra PORT commands sent for one data command after a rejection"},
    {.key = "client.retry_delay",
     .type = PARAM_DOUBLE,
     .min = 0,
     .max = 1e9,
     .default_value = "0",
     .unit = "s",
     .help = "retry: pause before each retry"},
    {.key = NULL},
};

typedef struct {
  guint64 retries;
  double delay;
} RetryState;

static gpointer retry_create(const ParamSet *params)
{
  RetryState *state = g_new(RetryState, 1);
  state->retries = (guint64)param_set_int(params, "client.retries");
  state->delay = param_set_double(params, "client.retry_delay");
  return state;
}

static ReactionDecision retry_on_rejection(gconstpointer state, const RejectionFacts *facts)
{
  const RetryState *retry = state;
  if (facts->attempts <= retry->retries)
    return (ReactionDecision){REACTION_RETRY, retry->delay};
  return (ReactionDecision){REACTION_NEXT_COMMAND, 0};
}

const ClientReaction client_reaction_retry = {
    .name = "retry",
    .summary = "sends PORT again for the same command with the next port, up to client.retries times",
    .source = "a scripted client that retries (ftpsim's own model)",
    .params = retry_params,
    .create = retry_create,
    .on_rejection = retry_on_rejection,
    .destroy = g_free,
};
