/* Server reaction ban: N rejections from one address within W seconds ban it for D seconds */
#include "server_reaction.h"

static const ParamSpec ban_params[] = {
    {.key = "server.ban_after",
     .type = PARAM_INT,
     .min = 1,
     .max = 1000000,
     .default_value = "5",
     .help = "ban: rejections from one address within server.ban_window that trigger a ban"},
    {.key = "server.ban_window",
     .type = PARAM_DOUBLE,
     .min = 0,
     .max = 1e9,
     .default_value = "60",
     .unit = "s",
     .help = "ban: the window in which server.ban_after rejections count"},
    {.key = "server.ban_time",
     .type = PARAM_DOUBLE,
     .min = 0,
     .max = 1e9,
     .default_value = "300",
     .unit = "s",
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

const ServerReaction server_reaction_ban = {
    .name = "ban",
    .summary = "bans an address for server.ban_time after server.ban_after rejections within server.ban_window",
    .source = "ProFTPD mod_ban (BanOnEvent), off by default",
    .params = ban_params,
    .create = ban_create,
    .admit = ban_admit,
    .on_rejection = ban_on_rejection,
    .destroy = ban_destroy,
};
