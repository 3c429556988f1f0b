#include "server_reaction.h"

#include "registry.h"



/* ---- none: what every real server does by default ---- */

static ServerVerdict none_on_rejection(gpointer state, guint32 address, guint64 rejections, double now)
{
  (void)state;
  (void)address;
  (void)rejections;
  (void)now;
  return (ServerVerdict){SERVER_KEEP, 0};
}

static const ServerReaction reaction_none = {
    .name = "none",
    .summary = "keeps answering (vsftpd, ProFTPD, pure-ftpd, pyftpdlib all do by default)",
    .source = "tested against the real servers with 500 rejected PORTs in one session (ftp-facts.md)",
    .on_rejection = none_on_rejection,
};

/* ---- disconnect: 421 and close after N rejections in a session ---- */

static const ParamSpec disconnect_params[] = {
    {.key = "server.disconnect_after", .type = PARAM_INT, .min = 1, .max = 1000000000, .default_value = "5",
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

static const ServerReaction reaction_disconnect = {
    .name = "disconnect",
    .summary = "answers 421 and closes after server.disconnect_after rejections in a session",
    .source = "RFC 2577 s5 (421 and close after repeated failures, there for logins)",
    .params = disconnect_params,
    .create = disconnect_create,
    .on_rejection = disconnect_on_rejection,
    .destroy = g_free,
};

/* ---- ban: N rejections from one address within W seconds ban it for D seconds ---- */

static const ParamSpec ban_params[] = {
    {.key = "server.ban_after", .type = PARAM_INT, .min = 1, .max = 1000000, .default_value = "5",
     .help = "ban: rejections from one address within server.ban_window that trigger a ban"},
    {.key = "server.ban_window", .type = PARAM_DOUBLE, .min = 0, .max = 1e9, .default_value = "60", .unit = "s",
     .help = "ban: the window in which server.ban_after rejections count"},
    {.key = "server.ban_time", .type = PARAM_DOUBLE, .min = 0, .max = 1e9, .default_value = "300", .unit = "s",
     .help = "ban: how long a banned address is refused (421 at connect)"},
    {.key = NULL},
};

typedef struct {
  double banned_until;
  guint count, head; /* a ring of the last ban_after rejection times */
  double times[];
} BanEntry;

typedef struct {
  guint after;
  double window;
  double duration;
  GHashTable *entries; /* address -> BanEntry */
} BanState;

static gpointer ban_create(const ParamSet *params)
{
  BanState *state = g_new0(BanState, 1);
  state->after = (guint)param_set_int(params, "server.ban_after");
  state->window = param_set_double(params, "server.ban_window");
  state->duration = param_set_double(params, "server.ban_time");
  state->entries = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
  return state;
}

static gboolean ban_admit(gpointer state, guint32 address, double now)
{
  const BanState *ban = state;
  const BanEntry *entry = g_hash_table_lookup(ban->entries, GUINT_TO_POINTER(address));
  return entry == NULL || now >= entry->banned_until;
}

static ServerVerdict ban_on_rejection(gpointer state, guint32 address, guint64 rejections, double now)
{
  (void)rejections;
  BanState *ban = state;
  BanEntry *entry = g_hash_table_lookup(ban->entries, GUINT_TO_POINTER(address));
  if (entry == NULL) { /* once per address, not per exchange */
    entry = g_malloc0(sizeof(BanEntry) + ban->after * sizeof(double));
    g_hash_table_insert(ban->entries, GUINT_TO_POINTER(address), entry);
  }
  entry->times[entry->head] = now;
  entry->head = (entry->head + 1) % ban->after;
  if (entry->count < ban->after)
    entry->count++;
  /* The oldest of the last `after` rejections is at head once the ring is full. */
  if (entry->count == ban->after && now - entry->times[entry->head] <= ban->window) {
    entry->banned_until = now + ban->duration;
    entry->count = 0;
    return (ServerVerdict){SERVER_BAN, 0}; /* mod_ban also drops the offending connection */
  }
  return (ServerVerdict){SERVER_KEEP, 0};
}

static void ban_destroy(gpointer state)
{
  BanState *ban = state;
  g_hash_table_destroy(ban->entries);
  g_free(ban);
}

static const ServerReaction reaction_ban = {
    .name = "ban",
    .summary = "bans an address for server.ban_time after server.ban_after rejections within server.ban_window",
    .source = "ProFTPD mod_ban (BanOnEvent), off by default",
    .params = ban_params,
    .create = ban_create,
    .admit = ban_admit,
    .on_rejection = ban_on_rejection,
    .destroy = ban_destroy,
};

/* ---- tarpit: hold every rejection back ---- */

static const ParamSpec tarpit_params[] = {
    {.key = "server.tarpit_delay", .type = PARAM_DOUBLE, .min = 0, .max = 1e9, .default_value = "1", .unit = "s",
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

static const ServerReaction reaction_tarpit = {
    .name = "tarpit",
    .summary = "delays every rejection reply by server.tarpit_delay",
    .source = "RFC 2577 s5 (a delay after a bad PASS), applied to rejected PORTs",
    .params = tarpit_params,
    .create = tarpit_create,
    .on_rejection = tarpit_on_rejection,
    .destroy = g_free,
};

static const ServerReaction *const registry[] = {
    &reaction_none,
    &reaction_disconnect,
    &reaction_ban,
    &reaction_tarpit,
    NULL,
};

const ServerReaction *const *server_reactions(void)
{
  return registry;
}

const char *const *server_reaction_names(void)
{
  static const char *names[G_N_ELEMENTS(registry)];
  return registry_names((const void *const *)registry, names);
}

const ServerReaction *server_reaction_find(const char *name, GError **error)
{
  return registry_find((const void *const *)registry, "server reaction", name, error);
}
