/* The five ephemeral port selection algorithms of RFC 6056 s3.3 ("Recommendations for
 * Transport-Protocol Port Randomization"), as the RFC's pseudo-code gives them:
 *   rfc6056-1 s3.3.1 simple randomization: random start, then +1 with wrap until a suitable port;
 *   rfc6056-2 s3.3.2 another random port on every try;
 *   rfc6056-3 s3.3.3 hash: min + (next_ephemeral + F(laddr, faddr, fport, key)) mod num, next++;
 *   rfc6056-4 s3.3.4 double hash: min + (F(...) + table[G(...) mod TABLE_LENGTH]) mod num, table[]++;
 *   rfc6056-5 s3.3.5 random increments: next += random() mod N + 1.
 * They are one family in one file because they share the range, the search loop and the hash; each
 * is still its own registered model. All are host scope: the kernel's state serves every socket.
 * check_suitable_port() is the context's port_in_use callback when there is one (port_search.h). Where
 * the RFC returns ERROR (every port unsuitable), the model names the first candidate anyway.
 * F and G are SipHash-2-4 over the bytes laddr|faddr|fport in network byte order, keyed with
 * (client.key, 1) for F and (client.key, 2) for G, so that G's key differs from F's (s3.3.4). */
#include "client_model.h"
#include "keyed_hash.h"
#include "port_search.h"
#include "rng.h"

#define RFC6056_RANGE_PARAMS                                                                                           \
  {.key = "client.low",                                                                                                \
   .type = PARAM_INT,                                                                                                  \
   .min = 1,                                                                                                           \
   .max = 65535,                                                                                                       \
   .default_value = "1024",                                                                                            \
   .unit = "port",                                                                                                     \
   .help = "low end of the client's port range (sequential with client.range=custom, rfc6056-*)"},                     \
  {                                                                                                                    \
    .key = "client.high", .type = PARAM_INT, .min = 1, .max = 65535, .default_value = "65535", .unit = "port",         \
    .help = "high end of the client's port range (sequential with client.range=custom, rfc6056-*)"                     \
  }

#define RFC6056_KEY_PARAM                                                                                              \
  {                                                                                                                    \
    .key = "client.key", .type = PARAM_INT, .min = 0, .max = 9007199254740991.0, .default_value = "0",                 \
    .help = "secret key of rfc6056-3/4's hash; 0 = drawn per host from the run's seed, like a key chosen at boot"      \
  }

static const ParamSpec simple_params[] = {RFC6056_RANGE_PARAMS, {.key = NULL}};
static const ParamSpec hash_params[] = {RFC6056_RANGE_PARAMS, RFC6056_KEY_PARAM, {.key = NULL}};
static const ParamSpec double_hash_params[] = {
    RFC6056_RANGE_PARAMS,
    RFC6056_KEY_PARAM,
    {.key = "client.table_length",
     .type = PARAM_INT,
     .min = 1,
     .max = 65536,
     .default_value = "10",
     .help = "rfc6056-4's TABLE_LENGTH, counters in the increment table (the RFC's example: 10; Linux: 65536)"},
    {.key = NULL},
};
static const ParamSpec increments_params[] = {
    RFC6056_RANGE_PARAMS,
    {.key = "client.max_increment",
     .type = PARAM_INT,
     .min = 1,
     .max = 65535,
     .default_value = "500",
     .help = "rfc6056-5's N: each port is 1..N above the previous one (NetBSD: 500)"},
    {.key = NULL},
};

typedef enum {
  ALGORITHM_SIMPLE = 1,
  ALGORITHM_RANDOM = 2,
  ALGORITHM_HASH = 3,
  ALGORITHM_DOUBLE_HASH = 4,
  ALGORITHM_INCREMENTS = 5,
} Rfc6056Algorithm;

typedef struct {
  Rfc6056Algorithm algorithm;
  guint32 min_ephemeral, num_ephemeral;
  guint32 next_ephemeral; /* algorithms 3 and 5 */
  guint32 max_increment;  /* algorithm 5's N */
  guint64 key;            /* algorithms 3 and 4 */
  guint32 table_length;   /* algorithm 4 */
  guint32 *table;
  GRand *rand;
  ClientModelContext context;
  PortSearchMemo memo; /* algorithms 1, 3 and 4, whose every search goes all round the range */
} Rfc6056State;

static PortScope rfc6056_scope(const ParamSet *params)
{
  (void)params;
  return PORT_SCOPE_HOST;
}

static gpointer rfc6056_create(Rfc6056Algorithm algorithm, const ParamSet *params, const ClientModelContext *context,
                               GError **error)
{
  guint32 low = (guint32)param_set_int(params, "client.low");
  guint32 high = (guint32)param_set_int(params, "client.high");
  if (low > high) {
    g_set_error(error, FTPSIM_MODEL_ERROR, FTPSIM_MODEL_ERROR_INVALID,
                "client.low (%u) is above client.high (%u): the range must not be empty", low, high);
    return NULL;
  }
  Rfc6056State *state = g_new0(Rfc6056State, 1);
  state->algorithm = algorithm;
  state->min_ephemeral = low;
  state->num_ephemeral = high - low + 1;
  state->rand = rng_new(context->seed, RNG_STREAM_PORTS, context->stream_id);
  state->context = *context;
  switch (algorithm) {
    case ALGORITHM_HASH:
    case ALGORITHM_DOUBLE_HASH:
      state->key = (guint64)param_set_int(params, "client.key");
      if (state->key == 0) /* a boot-time random key, from this host's stream */
        state->key = ((guint64)g_rand_int(state->rand) << 32) | g_rand_int(state->rand);
      state->next_ephemeral = 0; /* s3.3.3: "next_ephemeral = 0" at boot */
      if (algorithm == ALGORITHM_DOUBLE_HASH) {
        state->table_length = (guint32)param_set_int(params, "client.table_length");
        state->table = g_new(guint32, state->table_length);
        for (guint32 i = 0; i < state->table_length; i++) /* s3.3.4: table[i] = random() % 65536 */
          state->table[i] = (guint32)g_rand_int_range(state->rand, 0, 65536);
      }
      break;
    case ALGORITHM_INCREMENTS:
      state->max_increment = (guint32)param_set_int(params, "client.max_increment");
      state->next_ephemeral = (guint32)g_rand_int_range(state->rand, 0, 65536); /* s3.3.5: random() % 65536 */
      break;
    case ALGORITHM_SIMPLE:
    case ALGORITHM_RANDOM:
      break;
  }
  return state;
}

static guint32 random_below(Rfc6056State *state, guint32 bound)
{
  return (guint32)g_rand_int_range(state->rand, 0, (gint32)bound);
}

/* F(laddr, faddr, fport, key) and G(...): the same bytes, keys differing in their second half. */
static guint64 connection_hash(const Rfc6056State *state, const PortQuery *query, guint64 purpose)
{
  const guint8 bytes[10] = {
      (guint8)(query->local_address >> 24),  (guint8)(query->local_address >> 16),
      (guint8)(query->local_address >> 8),   (guint8)query->local_address,
      (guint8)(query->remote_address >> 24), (guint8)(query->remote_address >> 16),
      (guint8)(query->remote_address >> 8),  (guint8)query->remote_address,
      (guint8)(query->remote_port >> 8),     (guint8)query->remote_port,
  };
  return siphash24(state->key, purpose, bytes, sizeof bytes);
}

#define HASH_F 1
#define HASH_G 2

/* One search: what the algorithm computed once per connection, and the candidate it tried last. */
typedef struct {
  Rfc6056State *state;
  guint32 port;     /* algorithm 1: the last candidate */
  guint32 offset;   /* algorithms 3 and 4: F(...) mod num */
  guint32 *counter; /* algorithm 3: next_ephemeral; algorithm 4: table[G(...) mod TABLE_LENGTH] */
} Rfc6056Search;

static guint32 rfc6056_candidate(gpointer opaque, guint32 attempt)
{
  Rfc6056Search *search = opaque;
  Rfc6056State *state = search->state;
  const guint32 min = state->min_ephemeral, num = state->num_ephemeral;
  switch (state->algorithm) {
    case ALGORITHM_SIMPLE:
      if (attempt > 0) /* s3.3.1: next_ephemeral++ with wrap */
        search->port = search->port == min + num - 1 ? min : search->port + 1;
      return search->port;
    case ALGORITHM_RANDOM:
      return min + random_below(state, num);
    case ALGORITHM_HASH:
    case ALGORITHM_DOUBLE_HASH: {
      /* (offset + counter) mod num, with both reduced first so the sum cannot overflow */
      guint32 port = min + (guint32)(((guint64)search->offset + *search->counter % num) % num);
      (*search->counter)++;
      return port;
    }
    case ALGORITHM_INCREMENTS:
      state->next_ephemeral += random_below(state, state->max_increment) + 1;
      return min + state->next_ephemeral % num;
  }
  g_assert_not_reached();
}

static guint16 rfc6056_next_port(gpointer opaque, const PortQuery *query)
{
  Rfc6056State *state = opaque;
  Rfc6056Search search = {.state = state};
  switch (state->algorithm) {
    case ALGORITHM_SIMPLE:
      search.port = state->min_ephemeral + random_below(state, state->num_ephemeral);
      break;
    case ALGORITHM_HASH:
      search.offset = (guint32)(connection_hash(state, query, HASH_F) % state->num_ephemeral);
      search.counter = &state->next_ephemeral;
      break;
    case ALGORITHM_DOUBLE_HASH:
      search.offset = (guint32)(connection_hash(state, query, HASH_F) % state->num_ephemeral);
      search.counter = &state->table[connection_hash(state, query, HASH_G) % state->table_length];
      break;
    case ALGORITHM_RANDOM:
    case ALGORITHM_INCREMENTS:
      break;
  }
  /* Algorithms 1, 3 and 4 try every port of the range once: when the last search found them all busy and
   * none has freed, this one would too, naming its first candidate, with counter num_ephemeral steps on. */
  const gboolean laps = state->algorithm != ALGORITHM_RANDOM && state->algorithm != ALGORITHM_INCREMENTS;
  if (laps && port_search_still_exhausted(&state->context, &state->memo)) {
    const guint32 first = rfc6056_candidate(&search, 0);
    if (search.counter != NULL)
      *search.counter += state->num_ephemeral - 1; /* the first candidate took one step */
    return (guint16)first;
  }
  guint32 port = 0;
  const gboolean found =
      port_search_first_free(&state->context, state->num_ephemeral, rfc6056_candidate, &search, &port);
  if (laps)
    port_search_remember(&state->context, &state->memo, found);
  return (guint16)port;
}

static void rfc6056_destroy(gpointer opaque)
{
  Rfc6056State *state = opaque;
  g_rand_free(state->rand);
  g_free(state->table);
  g_free(state);
}

#define DEFINE_RFC6056_CREATE(suffix, algorithm)                                                                       \
  static gpointer rfc6056_create_##suffix(const ParamSet *params, const ClientModelContext *context, GError **error)   \
  {                                                                                                                    \
    return rfc6056_create(algorithm, params, context, error);                                                          \
  }

DEFINE_RFC6056_CREATE(simple, ALGORITHM_SIMPLE)
DEFINE_RFC6056_CREATE(random, ALGORITHM_RANDOM)
DEFINE_RFC6056_CREATE(hash, ALGORITHM_HASH)
DEFINE_RFC6056_CREATE(double_hash, ALGORITHM_DOUBLE_HASH)
DEFINE_RFC6056_CREATE(increments, ALGORITHM_INCREMENTS)

const ClientModel client_model_rfc6056_1 = {
    .name = "rfc6056-1",
    .summary = "simple randomization: random start, then +1 with wrap until a free port",
    .source = "RFC 6056 s3.3.1 (Algorithm 1)",
    .params = simple_params,
    .scope = rfc6056_scope,
    .create = rfc6056_create_simple,
    .next_port = rfc6056_next_port,
    .destroy = rfc6056_destroy,
};

const ClientModel client_model_rfc6056_2 = {
    .name = "rfc6056-2",
    .summary = "a new random port on every try",
    .source = "RFC 6056 s3.3.2 (Algorithm 2)",
    .params = simple_params,
    .scope = rfc6056_scope,
    .create = rfc6056_create_random,
    .next_port = rfc6056_next_port,
    .destroy = rfc6056_destroy,
};

const ClientModel client_model_rfc6056_3 = {
    .name = "rfc6056-3",
    .summary = "hash: min + (next++ + F(laddr, faddr, fport, key)) mod num",
    .source = "RFC 6056 s3.3.3 (Algorithm 3); F = SipHash-2-4",
    .params = hash_params,
    .scope = rfc6056_scope,
    .create = rfc6056_create_hash,
    .next_port = rfc6056_next_port,
    .destroy = rfc6056_destroy,
};

const ClientModel client_model_rfc6056_4 = {
    .name = "rfc6056-4",
    .summary = "double hash: min + (F(...) + table[G(...)]++) mod num",
    .source = "RFC 6056 s3.3.4 (Algorithm 4); F, G = SipHash-2-4; Linux __inet_hash_connect uses such a table",
    .params = double_hash_params,
    .scope = rfc6056_scope,
    .create = rfc6056_create_double_hash,
    .next_port = rfc6056_next_port,
    .destroy = rfc6056_destroy,
};

const ClientModel client_model_rfc6056_5 = {
    .name = "rfc6056-5",
    .summary = "random increments: next += 1..N, port = min + next mod num",
    .source = "RFC 6056 s3.3.5 (Algorithm 5); N = 500 as NetBSD",
    .params = increments_params,
    .scope = rfc6056_scope,
    .create = rfc6056_create_increments,
    .next_port = rfc6056_next_port,
    .destroy = rfc6056_destroy,
};
