/* Client reaction pasv-fallback: switch to PASV after client.fallback_after rejections */
#include "client_reaction.h"

static const ParamSpec pasv_fallback_params[] = {
    {.key = "client.fallback_after",
     .type = PARAM_INT,
     .min = 1,
     .max = 1000000000,
     .default_value = "1",
     .help = "pasv-fallback: rejections in a session after which the client uses PASV"},
    {.key = NULL},
};

static gpointer pasv_fallback_create(const ParamSet *params)
{
  guint64 *after = g_new(guint64, 1);
  *after = (guint64)param_set_int(params, "client.fallback_after");
  return after;
}

static ReactionDecision pasv_fallback_on_rejection(gconstpointer state, const RejectionFacts *facts)
{
  const guint64 *after = state;
  /* FileZilla retries the same command in the other mode; so does this client once it switches. */
  if (facts->session_rejections >= *after)
    return (ReactionDecision){REACTION_USE_PASV, 0};
  return (ReactionDecision){REACTION_NEXT_COMMAND, 0};
}

const ClientReaction client_reaction_pasv_fallback = {
    .name = "pasv-fallback",
    .summary = "after client.fallback_after rejections, redoes the command and all later ones with PASV",
    .source = "RFC 1579; FileZilla falls back PORT -> PASV; IBM i SENDPASV",
    .params = pasv_fallback_params,
    .create = pasv_fallback_create,
    .on_rejection = pasv_fallback_on_rejection,
    .destroy = g_free,
    .may_use_pasv = TRUE,
};
