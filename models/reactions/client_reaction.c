#include "client_reaction.h"

#include "registry.h"



/* ---- next-command: Microsoft KB Q140424's AS/400 client ---- */

static ReactionDecision next_command_on_rejection(gconstpointer state, const RejectionFacts *facts)
{
  (void)state;
  (void)facts;
  return (ReactionDecision){REACTION_NEXT_COMMAND, 0};
}

static const ClientReaction reaction_next_command = {
    .name = "next-command",
    .summary = "the data command fails; the next command names the next port",
    .source = "Microsoft KB Q140424 (the AS/400 client does not retry)",
    .on_rejection = next_command_on_rejection,
};

/* ---- retry: send PORT again with the next port, up to client.retries times ---- */

static const ParamSpec retry_params[] = {
    {.key = "client.retries", .type = PARAM_INT, .min = 0, .max = 1000000000, .default_value = "3",
     .help = "retry: extra PORT commands sent for one data command after a rejection"},
    {.key = "client.retry_delay", .type = PARAM_DOUBLE, .min = 0, .max = 1e9, .default_value = "0", .unit = "s",
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

static const ClientReaction reaction_retry = {
    .name = "retry",
    .summary = "sends PORT again for the same command with the next port, up to client.retries times",
    .source = "a scripted client that retries (ftpsim's own model)",
    .params = retry_params,
    .create = retry_create,
    .on_rejection = retry_on_rejection,
    .destroy = g_free,
};

/* ---- pasv-fallback: switch to PASV after client.fallback_after rejections ---- */

static const ParamSpec pasv_fallback_params[] = {
    {.key = "client.fallback_after", .type = PARAM_INT, .min = 1, .max = 1000000000, .default_value = "1",
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

static const ClientReaction reaction_pasv_fallback = {
    .name = "pasv-fallback",
    .summary = "after client.fallback_after rejections, redoes the command and all later ones with PASV",
    .source = "RFC 1579; FileZilla falls back PORT -> PASV; IBM i SENDPASV",
    .params = pasv_fallback_params,
    .create = pasv_fallback_create,
    .on_rejection = pasv_fallback_on_rejection,
    .destroy = g_free,
};

/* ---- give-up: abort the session after client.give_up_after rejections ---- */

static const ParamSpec give_up_params[] = {
    {.key = "client.give_up_after", .type = PARAM_INT, .min = 1, .max = 1000000000, .default_value = "3",
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

static const ClientReaction reaction_give_up = {
    .name = "give-up",
    .summary = "quits the session at the first rejection beyond client.give_up_after",
    .source = "z/OS: a PORT rejected with 504 just fails; users and scripts give up",
    .params = give_up_params,
    .create = give_up_create,
    .on_rejection = give_up_on_rejection,
    .destroy = g_free,
};

/* The registry. These four are small enough to share a file; a larger one gets its own. */
static const ClientReaction *const registry[] = {
    &reaction_next_command,
    &reaction_retry,
    &reaction_pasv_fallback,
    &reaction_give_up,
    NULL,
};

const ClientReaction *const *client_reactions(void)
{
  return registry;
}

const char *const *client_reaction_names(void)
{
  static const char *names[G_N_ELEMENTS(registry)];
  return registry_names((const void *const *)registry, names);
}

const ClientReaction *client_reaction_find(const char *name, GError **error)
{
  return registry_find((const void *const *)registry, "client reaction", name, error);
}
