/* Client reaction give-up: abort the session after client.give_up_after rejections */
#include "client_reaction.h"

static const ParamSpec give_up_params[] = {
    {.key = "client.give_up_after",
     .type = PARAM_INT,
     .min = 1,
     .max = 1000000000,
     .default_value = "3",
     .help = "give-up: rejections a session tolerates; the client quits at the next one"},
    {.key = NULL},
};

static gpointer give_up_create(const ParamSet *params)
{
  guint64 *after = g_new(guint64, 1);
  *after = (guint64)param_set_int(params, "client.give_up_after");
  return after;
}

static ReactionDecision give_up_on_rejection(gconstpointer state, const RejectionFacts *facts)
{
  const guint64 *after = state;
  if (facts->session_rejections > *after)
    return (ReactionDecision){REACTION_GIVE_UP, 0};
  return (ReactionDecision){REACTION_NEXT_COMMAND, 0};
}

const ClientReaction client_reaction_give_up = {
    .name = "give-up",
    .summary = "quits the session at the first rejection beyond client.give_up_after",
    .source = "z/OS: a PORT rejected with 504 just fails; users and scripts give up",
    .params = give_up_params,
    .create = give_up_create,
    .on_rejection = give_up_on_rejection,
    .destroy = g_free,
};
