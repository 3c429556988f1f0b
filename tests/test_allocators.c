/* Client port allocators: exact sequences, ranges, wrap, skipping of ports in use, scope, and the
 * validation of their parameters. Randomized models are pinned for seed 1 so that a change in the
 * generator or the hash shows up here. */
#include <check.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "catalog.h"
#include "client_model.h"
#include "keyed_hash.h"
#include "params.h"
#include "port_search.h"

#define MANY_DRAWS 200000

/* Pinned outputs for seed 1, stream 0, query A (10.0.0.1 -> 10.0.0.2:20), default parameters. They
 * change only if GRand, rng_new() or the hash changes, which must then be a deliberate decision.
 * Algorithms 1 and 2 agree while no port is in use: each draws one uniform port per allocation. */
#define FILEZILLA_SEED1_FIRST 6637
#define RFC6056_SEED1_EXPECTED                                                                                         \
  {                                                                                                                    \
    {24894, 53744, 8340, 3003, 54232}, {24894, 53744, 8340, 3003, 54232}, {56718, 56719, 56720, 56721, 56722},         \
        {15906, 15907, 15908, 15909, 15910}, {55751, 56208, 56404, 56421, 56814},                                      \
  }
#define RFC6056_3_KEY12345_QUERY_A 56982

/* A client host with a set of ports in use, for the port_in_use callback. */
typedef struct {
  gboolean busy[65536];
  guint64 calls;
} FakeHost;

static gboolean fake_port_in_use(gpointer host, guint16 port)
{
  FakeHost *fake = host;
  fake->calls++;
  return fake->busy[port];
}

/* A ParamSet with client.model=MODEL and the given KEY=VALUE assignments (NULL-terminated). */
static ParamSet *params_for(const char *model, ...)
{
  ParamSet *params = param_set_new();
  GError *error = NULL;
  ck_assert_msg(param_set_assign(params, "client.model", model, &error), "%s", error ? error->message : "");
  va_list args;
  va_start(args, model);
  for (const char *assignment; (assignment = va_arg(args, const char *)) != NULL;) {
    ck_assert_msg(param_set_assign_text(params, assignment, &error), "%s: %s", assignment, error ? error->message : "");
  }
  va_end(args);
  return params;
}

static void allocator_open(PortAllocator *allocator, const ParamSet *params, guint64 seed, guint64 stream,
                           FakeHost *host)
{
  const ClientModel *model = client_model_find(param_set_string(params, "client.model"), NULL);
  ck_assert_ptr_nonnull(model);
  const ClientModelContext context = {
      .seed = seed, .stream_id = stream, .port_in_use = host ? fake_port_in_use : NULL, .host = host};
  GError *error = NULL;
  ck_assert_msg(port_allocator_init(allocator, model, params, &context, &error), "%s", error ? error->message : "");
}

static const PortQuery query_a = {.local_address = 0x0a000001, .remote_address = 0x0a000002, .remote_port = 20};
static const PortQuery query_b = {.local_address = 0x0a000001, .remote_address = 0x0a000003, .remote_port = 20};

static void assert_sequence(PortAllocator *allocator, const PortQuery *query, const guint16 *expected, guint count)
{
  for (guint i = 0; i < count; i++) {
    guint16 port = port_allocator_next(allocator, query);
    ck_assert_msg(port == expected[i], "draw %u: got %u, expected %u", i, (guint)port, (guint)expected[i]);
  }
}

/* Long loops check in plain C and assert once: every Check assertion writes to the parent process. */
static void assert_stays_in(PortAllocator *allocator, guint low, guint high)
{
  guint outside = 0, example = 0;
  for (guint i = 0; i < MANY_DRAWS; i++) {
    guint port = port_allocator_next(allocator, &query_a);
    if (port < low || port > high) {
      outside++;
      example = port;
    }
  }
  ck_assert_msg(outside == 0, "%u of %u draws outside %u..%u, e.g. %u", outside, MANY_DRAWS, low, high, example);
}

static PortScope scope_of(const ParamSet *params)
{
  return client_model_find(param_set_string(params, "client.model"), NULL)->scope(params);
}

/* ---- sequential ---- */

START_TEST(sequential_bsd_walks_the_range_and_wraps)
{
  g_autoptr(ParamSet) params = params_for("sequential", NULL);
  PortAllocator allocator;
  allocator_open(&allocator, params, 1, 0, NULL);
  /* 4.4BSD: 1024 first, 5000 last, then 1024 again: 3977 ports per lap. */
  guint mismatches = 0;
  for (guint port = 1024; port <= 5000; port++)
    mismatches += port_allocator_next(&allocator, &query_a) != port;
  ck_assert_uint_eq(mismatches, 0);
  ck_assert_uint_eq(port_allocator_next(&allocator, &query_a), 1024);
  ck_assert_uint_eq(port_allocator_next(&allocator, &query_a), 1025);
  ck_assert_int_eq(scope_of(params), PORT_SCOPE_HOST);
  port_allocator_clear(&allocator);
}
END_TEST

static void check_preset(const char *preset, guint low, guint high)
{
  g_autofree gchar *assignment = g_strdup_printf("client.range=%s", preset);
  g_autoptr(ParamSet) params = params_for("sequential", assignment, NULL);
  PortAllocator allocator;
  allocator_open(&allocator, params, 1, 0, NULL);
  ck_assert_uint_eq(port_allocator_next(&allocator, &query_a), low);
  ck_assert_uint_eq(port_allocator_next(&allocator, &query_a), low + 1);
  guint mismatches = 0;
  for (guint port = low + 2; port < high; port++)
    mismatches += port_allocator_next(&allocator, &query_a) != port;
  ck_assert_uint_eq(mismatches, 0);
  ck_assert_uint_eq(port_allocator_next(&allocator, &query_a), high);
  ck_assert_uint_eq(port_allocator_next(&allocator, &query_a), low);
  assert_stays_in(&allocator, low, high);
  port_allocator_clear(&allocator);
}

START_TEST(sequential_presets)
{
  check_preset("bsd", 1024, 5000);
  check_preset("nt", 1025, 5000);
  check_preset("linux", 32768, 60999);
  check_preset("iana", 49152, 65535); /* 65535 + 1 must wrap, not overflow to 0 */
}
END_TEST

START_TEST(sequential_custom_range_uses_low_and_high)
{
  g_autoptr(ParamSet) params =
      params_for("sequential", "client.range=custom", "client.low=2000", "client.high=2002", NULL);
  PortAllocator allocator;
  allocator_open(&allocator, params, 1, 0, NULL);
  const guint16 expected[] = {2000, 2001, 2002, 2000, 2001};
  assert_sequence(&allocator, &query_a, expected, G_N_ELEMENTS(expected));
  port_allocator_clear(&allocator);

  /* A one-port range names that port forever. */
  g_autoptr(ParamSet) single =
      params_for("sequential", "client.range=custom", "client.low=65535", "client.high=65535", NULL);
  allocator_open(&allocator, single, 1, 0, NULL);
  for (guint i = 0; i < 3; i++)
    ck_assert_uint_eq(port_allocator_next(&allocator, &query_a), 65535);
  port_allocator_clear(&allocator);
}
END_TEST

START_TEST(sequential_presets_ignore_low_and_high)
{
  g_autoptr(ParamSet) params = params_for("sequential", "client.range=nt", "client.low=3000", "client.high=3001", NULL);
  PortAllocator allocator;
  allocator_open(&allocator, params, 1, 0, NULL);
  ck_assert_uint_eq(port_allocator_next(&allocator, &query_a), 1025);
  port_allocator_clear(&allocator);
}
END_TEST

START_TEST(sequential_skips_ports_in_use)
{
  g_autoptr(ParamSet) params =
      params_for("sequential", "client.range=custom", "client.low=2000", "client.high=2004", NULL);
  FakeHost *host = g_new0(FakeHost, 1);
  host->busy[2001] = host->busy[2002] = TRUE;
  PortAllocator allocator;
  allocator_open(&allocator, params, 1, 0, host);
  const guint16 expected[] = {2000, 2003, 2004, 2000, 2003};
  assert_sequence(&allocator, &query_a, expected, G_N_ELEMENTS(expected));
  port_allocator_clear(&allocator);
  g_free(host);
}
END_TEST

START_TEST(sequential_all_in_use_names_the_next_port_after_one_lap)
{
  g_autoptr(ParamSet) params =
      params_for("sequential", "client.range=custom", "client.low=2000", "client.high=2002", NULL);
  FakeHost *host = g_new0(FakeHost, 1);
  for (guint port = 2000; port <= 2002; port++)
    host->busy[port] = TRUE;
  PortAllocator allocator;
  allocator_open(&allocator, params, 1, 0, host);
  const guint16 expected[] = {2000, 2001, 2002, 2000};
  assert_sequence(&allocator, &query_a, expected, G_N_ELEMENTS(expected));
  ck_assert_uint_eq(host->calls, 4 * 3); /* exactly one lap per draw */
  port_allocator_clear(&allocator);
  g_free(host);
}
END_TEST

START_TEST(sequential_empty_custom_range_is_an_error)
{
  g_autoptr(ParamSet) params =
      params_for("sequential", "client.range=custom", "client.low=5000", "client.high=4000", NULL);
  const ClientModelContext context = {.seed = 1};
  PortAllocator allocator;
  GError *error = NULL;
  ck_assert(!port_allocator_init(&allocator, client_model_find("sequential", NULL), params, &context, &error));
  ck_assert_str_eq(error->message, "client.low (5000) is above client.high (4000): the range must not be empty");
  g_error_free(error);
}
END_TEST

/* ---- fixed ---- */

START_TEST(fixed_names_one_port)
{
  g_autoptr(ParamSet) defaults = params_for("fixed", NULL);
  PortAllocator allocator;
  allocator_open(&allocator, defaults, 1, 0, NULL);
  for (guint i = 0; i < 5; i++)
    ck_assert_uint_eq(port_allocator_next(&allocator, &query_a), 1024);
  ck_assert_int_eq(scope_of(defaults), PORT_SCOPE_SESSION);
  port_allocator_clear(&allocator);

  g_autoptr(ParamSet) params = params_for("fixed", "client.port=20", NULL);
  FakeHost *host = g_new0(FakeHost, 1);
  host->busy[20] = TRUE; /* a fixed port is named even when in use: that is the point of the model */
  allocator_open(&allocator, params, 1, 0, host);
  for (guint i = 0; i < 5; i++)
    ck_assert_uint_eq(port_allocator_next(&allocator, &query_b), 20);
  port_allocator_clear(&allocator);
  g_free(host);
}
END_TEST

/* ---- filezilla ---- */

START_TEST(filezilla_pinned_sequence_for_seed_1)
{
  g_autoptr(ParamSet) params = params_for("filezilla", NULL);
  PortAllocator allocator;
  allocator_open(&allocator, params, 1, 0, NULL);
  guint16 first = port_allocator_next(&allocator, &query_a);
  ck_assert_uint_eq(first, FILEZILLA_SEED1_FIRST);
  for (guint i = 1; i < 10; i++) /* +1 per transfer */
    ck_assert_uint_eq(port_allocator_next(&allocator, &query_a), first + i);
  ck_assert_int_eq(scope_of(params), PORT_SCOPE_HOST);
  port_allocator_clear(&allocator);
}
END_TEST

START_TEST(filezilla_counts_up_and_restarts_at_random_after_high)
{
  g_autoptr(ParamSet) params = params_for("filezilla", "client.filezilla_low=6000", "client.filezilla_high=6009", NULL);
  PortAllocator allocator;
  allocator_open(&allocator, params, 1, 0, NULL);
  guint previous = port_allocator_next(&allocator, &query_a);
  guint restarts = 0, outside = 0, not_next = 0;
  for (guint i = 0; i < MANY_DRAWS; i++) {
    guint port = port_allocator_next(&allocator, &query_a);
    outside += port < 6000 || port > 6009;
    if (previous < 6009)
      not_next += port != previous + 1;
    else
      restarts++; /* after 'high' the start is drawn again (transfersocket.cpp) */
    previous = port;
  }
  ck_assert_uint_eq(outside, 0);
  ck_assert_uint_eq(not_next, 0);
  /* A fresh start is uniform on 10 ports, so a lap is 5.5 ports long on average. */
  ck_assert(restarts > MANY_DRAWS / 6 && restarts < MANY_DRAWS / 5);
  port_allocator_clear(&allocator);
}
END_TEST

START_TEST(filezilla_default_range_and_streams)
{
  g_autoptr(ParamSet) params = params_for("filezilla", NULL);
  PortAllocator one, same, other;
  allocator_open(&one, params, 1, 0, NULL);
  allocator_open(&same, params, 1, 0, NULL);
  allocator_open(&other, params, 1, 1, NULL);
  gboolean differs = FALSE;
  for (guint i = 0; i < 10; i++) {
    guint16 port = port_allocator_next(&one, &query_a);
    ck_assert_uint_eq(port, port_allocator_next(&same, &query_a));
    differs |= port != port_allocator_next(&other, &query_a);
  }
  ck_assert(differs);
  assert_stays_in(&one, 6000, 7000);
  port_allocator_clear(&one);
  port_allocator_clear(&same);
  port_allocator_clear(&other);
}
END_TEST

START_TEST(filezilla_skips_ports_in_use)
{
  g_autoptr(ParamSet) params = params_for("filezilla", "client.filezilla_low=6000", "client.filezilla_high=6009", NULL);
  FakeHost *host = g_new0(FakeHost, 1);
  for (guint port = 6000; port <= 6009; port++)
    host->busy[port] = port != 6005;
  PortAllocator allocator;
  allocator_open(&allocator, params, 1, 0, host);
  guint others = 0;
  for (guint i = 0; i < 100; i++)
    others += port_allocator_next(&allocator, &query_a) != 6005;
  ck_assert_uint_eq(others, 0);
  port_allocator_clear(&allocator);

  /* All in use: one lap per draw, then the first candidate anyway. */
  host->busy[6005] = TRUE;
  host->calls = 0;
  allocator_open(&allocator, params, 1, 0, host);
  guint16 first = port_allocator_next(&allocator, &query_a);
  ck_assert(first >= 6000 && first <= 6009);
  ck_assert_uint_eq(host->calls, 10);
  port_allocator_clear(&allocator);
  g_free(host);
}
END_TEST

START_TEST(filezilla_low_above_high_is_taken_as_high)
{
  g_autoptr(ParamSet) params = params_for("filezilla", "client.filezilla_low=7000", "client.filezilla_high=6000", NULL);
  PortAllocator allocator;
  allocator_open(&allocator, params, 1, 0, NULL);
  for (guint i = 0; i < 5; i++)
    ck_assert_uint_eq(port_allocator_next(&allocator, &query_a), 6000);
  port_allocator_clear(&allocator);
}
END_TEST

/* ---- RFC 6056 ---- */

START_TEST(siphash_reference_vectors)
{
  /* SipHash paper, appendix A, and the reference implementation's vectors: key 00..0f. */
  const guint64 k0 = G_GUINT64_CONSTANT(0x0706050403020100), k1 = G_GUINT64_CONSTANT(0x0f0e0d0c0b0a0908);
  guint8 message[15];
  for (guint i = 0; i < sizeof message; i++)
    message[i] = (guint8)i;
  ck_assert_uint_eq(siphash24(k0, k1, message, 0), G_GUINT64_CONSTANT(0x726fdb47dd0e0e31));
  ck_assert_uint_eq(siphash24(k0, k1, message, 15), G_GUINT64_CONSTANT(0xa129ca6149be45e5));
}
END_TEST

static const char *const rfc6056_models[] = {"rfc6056-1", "rfc6056-2", "rfc6056-3", "rfc6056-4", "rfc6056-5"};

START_TEST(rfc6056_pinned_sequences_for_seed_1)
{
  static const guint16 expected[5][5] = RFC6056_SEED1_EXPECTED;
  for (guint m = 0; m < G_N_ELEMENTS(rfc6056_models); m++) {
    g_autoptr(ParamSet) params = params_for(rfc6056_models[m], NULL);
    PortAllocator allocator;
    allocator_open(&allocator, params, 1, 0, NULL);
    assert_sequence(&allocator, &query_a, expected[m], 5);
    ck_assert_int_eq(scope_of(params), PORT_SCOPE_HOST);
    port_allocator_clear(&allocator);
  }
}
END_TEST

START_TEST(rfc6056_stay_in_range)
{
  for (guint m = 0; m < G_N_ELEMENTS(rfc6056_models); m++) {
    g_autoptr(ParamSet) defaults = params_for(rfc6056_models[m], NULL);
    PortAllocator allocator;
    allocator_open(&allocator, defaults, 7, 3, NULL);
    assert_stays_in(&allocator, 1024, 65535);
    port_allocator_clear(&allocator);

    /* A small range: every port of it shows up, none outside. */
    g_autoptr(ParamSet) small = params_for(rfc6056_models[m], "client.low=5000", "client.high=5009", NULL);
    allocator_open(&allocator, small, 7, 3, NULL);
    gboolean seen[10] = {FALSE};
    guint outside = 0;
    for (guint i = 0; i < 1000; i++) {
      guint port = port_allocator_next(&allocator, i % 2 ? &query_a : &query_b);
      if (port >= 5000 && port <= 5009)
        seen[port - 5000] = TRUE;
      else
        outside++;
    }
    ck_assert_msg(outside == 0, "%s: %u ports outside 5000..5009", rfc6056_models[m], outside);
    for (guint i = 0; i < 10; i++)
      ck_assert_msg(seen[i], "%s never named %u", rfc6056_models[m], 5000 + i);
    port_allocator_clear(&allocator);
  }
}
END_TEST

START_TEST(rfc6056_skip_ports_in_use)
{
  FakeHost *host = g_new0(FakeHost, 1);
  for (guint port = 5000; port <= 5009; port++)
    host->busy[port] = port != 5007;
  /* Algorithms 1, 3 and 4, and 5 with N = 1, walk the whole range: they always find the free port. */
  const char *const walkers[] = {"rfc6056-1", "rfc6056-3", "rfc6056-4", "rfc6056-5"};
  for (guint m = 0; m < G_N_ELEMENTS(walkers); m++) {
    g_autoptr(ParamSet) params =
        params_for(walkers[m], "client.low=5000", "client.high=5009", "client.max_increment=1", NULL);
    PortAllocator allocator;
    allocator_open(&allocator, params, 1, 0, host);
    guint others = 0;
    for (guint i = 0; i < 50; i++)
      others += port_allocator_next(&allocator, &query_a) != 5007;
    ck_assert_msg(others == 0, "%s named a busy port %u times", walkers[m], others);
    port_allocator_clear(&allocator);
  }
  /* Algorithm 2 draws num times at random: one busy port among ten is never named. */
  memset(host->busy, 0, sizeof host->busy);
  host->busy[5003] = TRUE;
  g_autoptr(ParamSet) random_params = params_for("rfc6056-2", "client.low=5000", "client.high=5009", NULL);
  PortAllocator allocator;
  allocator_open(&allocator, random_params, 1, 0, host);
  guint busy_named = 0;
  for (guint i = 0; i < 10000; i++)
    busy_named += port_allocator_next(&allocator, &query_a) == 5003;
  ck_assert_uint_eq(busy_named, 0);
  port_allocator_clear(&allocator);

  /* Every port in use: each algorithm gives up after num tries and names its first candidate. */
  for (guint port = 5000; port <= 5009; port++)
    host->busy[port] = TRUE;
  for (guint m = 0; m < G_N_ELEMENTS(rfc6056_models); m++) {
    g_autoptr(ParamSet) params = params_for(rfc6056_models[m], "client.low=5000", "client.high=5009", NULL);
    allocator_open(&allocator, params, 1, 0, host);
    host->calls = 0;
    guint port = port_allocator_next(&allocator, &query_a);
    ck_assert(port >= 5000 && port <= 5009);
    ck_assert_uint_eq(host->calls, 10);
    port_allocator_clear(&allocator);
  }
  g_free(host);
}
END_TEST

START_TEST(rfc6056_3_same_tuple_gives_consecutive_ports)
{
  g_autoptr(ParamSet) params = params_for("rfc6056-3", "client.key=12345", NULL);
  PortAllocator allocator, other_seed;
  allocator_open(&allocator, params, 1, 0, NULL);
  allocator_open(&other_seed, params, 99, 5, NULL);
  guint a0 = port_allocator_next(&allocator, &query_a);
  ck_assert_uint_eq(a0, RFC6056_3_KEY12345_QUERY_A);
  guint a1 = port_allocator_next(&allocator, &query_a);
  ck_assert_uint_eq(a1, a0 == 65535 ? 1024 : a0 + 1);
  /* next_ephemeral is shared by every destination: B's port uses next = 2, then A resumes at +3. */
  guint b2 = port_allocator_next(&allocator, &query_b);
  guint a3 = port_allocator_next(&allocator, &query_a);
  ck_assert_uint_eq(a3, 1024 + (a0 - 1024 + 3) % 64512);
  /* B's offset differs from A's: its port is not where A's sequence would be. */
  ck_assert_uint_ne(b2, 1024 + (a0 - 1024 + 2) % 64512);
  /* With the key given, no randomness is left: the seed does not matter. */
  ck_assert_uint_eq(port_allocator_next(&other_seed, &query_a), a0);
  port_allocator_clear(&allocator);
  port_allocator_clear(&other_seed);
}
END_TEST

START_TEST(rfc6056_3_offset_is_the_keyed_hash)
{
  /* The first port is min + F mod num, with F = SipHash-2-4 keyed (client.key, 1) over
   * laddr|faddr|fport in network byte order. */
  const guint8 bytes[10] = {10, 0, 0, 1, 10, 0, 0, 2, 0, 20};
  guint64 f = siphash24(12345, 1, bytes, sizeof bytes);
  g_autoptr(ParamSet) params = params_for("rfc6056-3", "client.key=12345", NULL);
  PortAllocator allocator;
  allocator_open(&allocator, params, 1, 0, NULL);
  ck_assert_uint_eq(port_allocator_next(&allocator, &query_a), 1024 + f % 64512);
  port_allocator_clear(&allocator);
}
END_TEST

START_TEST(rfc6056_3_drawn_key_depends_on_the_seed)
{
  g_autoptr(ParamSet) params = params_for("rfc6056-3", NULL);
  guint differing = 0;
  guint16 first_of_seed_1 = 0;
  for (guint64 seed = 1; seed <= 10; seed++) {
    PortAllocator allocator;
    allocator_open(&allocator, params, seed, 0, NULL);
    guint16 port = port_allocator_next(&allocator, &query_a);
    if (seed == 1)
      first_of_seed_1 = port;
    else
      differing += port != first_of_seed_1;
    port_allocator_clear(&allocator);
  }
  ck_assert_uint_ge(differing, 8);
}
END_TEST

START_TEST(rfc6056_4_buckets_count_per_destination)
{
  /* One bucket: A and B share the counter, as in algorithm 3. */
  g_autoptr(ParamSet) shared = params_for("rfc6056-4", "client.key=12345", "client.table_length=1", NULL);
  PortAllocator allocator;
  allocator_open(&allocator, shared, 1, 0, NULL);
  guint a0 = port_allocator_next(&allocator, &query_a);
  port_allocator_next(&allocator, &query_b);
  ck_assert_uint_eq(port_allocator_next(&allocator, &query_a), 1024 + (a0 - 1024 + 2) % 64512);
  port_allocator_clear(&allocator);

  /* Enough buckets that A and B land in different ones: B's draws do not move A's counter. */
  const guint8 bytes_a[10] = {10, 0, 0, 1, 10, 0, 0, 2, 0, 20};
  const guint8 bytes_b[10] = {10, 0, 0, 1, 10, 0, 0, 3, 0, 20};
  ck_assert_uint_ne(siphash24(12345, 2, bytes_a, 10) % 65536, siphash24(12345, 2, bytes_b, 10) % 65536);
  g_autoptr(ParamSet) separate = params_for("rfc6056-4", "client.key=12345", "client.table_length=65536", NULL);
  allocator_open(&allocator, separate, 1, 0, NULL);
  a0 = port_allocator_next(&allocator, &query_a);
  for (guint i = 0; i < 5; i++)
    port_allocator_next(&allocator, &query_b);
  ck_assert_uint_eq(port_allocator_next(&allocator, &query_a), 1024 + (a0 - 1024 + 1) % 64512);
  port_allocator_clear(&allocator);
}
END_TEST

START_TEST(rfc6056_5_increments_stay_within_n)
{
  const guint n_values[] = {500, 1, 7};
  for (guint v = 0; v < G_N_ELEMENTS(n_values); v++) {
    g_autofree gchar *assignment = g_strdup_printf("client.max_increment=%u", n_values[v]);
    g_autoptr(ParamSet) params = params_for("rfc6056-5", assignment, NULL);
    PortAllocator allocator;
    allocator_open(&allocator, params, 1, 0, NULL);
    guint previous = port_allocator_next(&allocator, &query_a);
    guint smallest = G_MAXUINT, largest = 0;
    for (guint i = 0; i < MANY_DRAWS; i++) {
      guint port = port_allocator_next(&allocator, &query_a);
      guint step = (port + 64512 - previous) % 64512; /* num = 64512 > N, so the step is exact */
      smallest = MIN(smallest, step);
      largest = MAX(largest, step);
      previous = port;
    }
    ck_assert_uint_eq(smallest, 1);
    ck_assert_uint_eq(largest, n_values[v]);
    port_allocator_clear(&allocator);
  }
}
END_TEST

START_TEST(rfc6056_empty_range_is_an_error)
{
  for (guint m = 0; m < G_N_ELEMENTS(rfc6056_models); m++) {
    g_autoptr(ParamSet) params = params_for(rfc6056_models[m], "client.low=3000", "client.high=2999", NULL);
    const ClientModelContext context = {.seed = 1};
    PortAllocator allocator;
    GError *error = NULL;
    ck_assert(!port_allocator_init(&allocator, client_model_find(rfc6056_models[m], NULL), params, &context, &error));
    ck_assert_str_eq(error->message, "client.low (3000) is above client.high (2999): the range must not be empty");
    g_error_free(error);
  }
}
END_TEST

/* ---- parameters ---- */

static void assert_rejected(const char *key, const char *value, const char *message)
{
  g_autoptr(ParamSet) params = param_set_new();
  GError *error = NULL;
  ck_assert_msg(!param_set_assign(params, key, value, &error), "%s=%s was accepted", key, value);
  ck_assert_str_eq(error->message, message);
  g_error_free(error);
}

START_TEST(new_client_keys_are_validated)
{
  assert_rejected("client.range", "solaris",
                  "client.range: 'solaris' is not a known value "
                  "(accepted: bsd|nt|linux|iana|custom)");
  assert_rejected("client.low", "0", "client.low: '0' is out of range (accepted: 1..65535)");
  assert_rejected("client.high", "65536", "client.high: '65536' is out of range (accepted: 1..65535)");
  assert_rejected("client.port", "0", "client.port: '0' is out of range (accepted: 1..65535)");
  assert_rejected("client.key", "-1", "client.key: '-1' is out of range (accepted: 0..9007199254740991)");
  assert_rejected("client.table_length", "0", "client.table_length: '0' is out of range (accepted: 1..65536)");
  assert_rejected("client.max_increment", "1.5",
                  "client.max_increment: '1.5' is not a whole number (accepted: 1..65535)");
  assert_rejected("client.filezilla_low", "70000",
                  "client.filezilla_low: '70000' is out of range (accepted: 1..65535)");
  assert_rejected("client.model", "rfc6056-6",
                  "client.model: 'rfc6056-6' is not a known value (accepted: as400|sequential|rfc6056-1|rfc6056-2|"
                  "rfc6056-3|rfc6056-4|rfc6056-5|fixed|filezilla)");
}
END_TEST

START_TEST(new_client_keys_have_valid_defaults)
{
  g_autoptr(ParamSet) params = param_set_new();
  ck_assert_str_eq(param_set_string(params, "client.range"), "bsd");
  ck_assert_int_eq(param_set_int(params, "client.low"), 1024);
  ck_assert_int_eq(param_set_int(params, "client.high"), 65535);
  ck_assert_int_eq(param_set_int(params, "client.port"), 1024);
  ck_assert_int_eq(param_set_int(params, "client.key"), 0);
  ck_assert_int_eq(param_set_int(params, "client.table_length"), 10);
  ck_assert_int_eq(param_set_int(params, "client.max_increment"), 500);
  ck_assert_int_eq(param_set_int(params, "client.filezilla_low"), 6000);
  ck_assert_int_eq(param_set_int(params, "client.filezilla_high"), 7000);
  /* The largest key is taken whole. */
  GError *error = NULL;
  ck_assert(param_set_assign(params, "client.key", "9007199254740991", &error));
  ck_assert_int_eq(param_set_int(params, "client.key"), G_GINT64_CONSTANT(9007199254740991));
}
END_TEST

START_TEST(shared_keys_agree_across_models)
{
  /* Models may declare the same key (client.low, client.high, client.key); the table keeps the first
   * declaration, so every other one must say the same thing or it would be silently ignored. */
  guint shared = 0;
  for (const ModelInfo *const *model = catalog_models(MODEL_KIND_CLIENT_MODEL); *model != NULL; model++) {
    for (const ParamSpec *spec = (*model)->params; spec != NULL && spec->key != NULL; spec++) {
      const ParamSpec *kept = params_find(spec->key);
      ck_assert_ptr_nonnull(kept);
      if (kept == spec)
        continue;
      shared++;
      ck_assert_msg(kept->type == spec->type && kept->min == spec->min && kept->max == spec->max &&
                        g_str_equal(kept->default_value, spec->default_value),
                    "%s (model %s) differs from its first declaration", spec->key, (*model)->name);
    }
  }
  ck_assert_uint_ge(shared, 10); /* client.low/high in rfc6056-1..5, client.key in rfc6056-4 */
}
END_TEST

/* ---- the shared search for a port not in use ---- */

/* Candidates 100, 101, 102, ... and how many were drawn. */
static guint32 counting_candidate(gpointer search, guint32 attempt)
{
  guint32 *drawn = search;
  ck_assert_uint_eq(attempt, *drawn);
  return 100 + (*drawn)++;
}

START_TEST(port_search_takes_the_first_candidate_not_in_use)
{
  static FakeHost host;
  host.busy[100] = host.busy[101] = TRUE;
  const ClientModelContext context = {.port_in_use = fake_port_in_use, .host = &host};
  guint32 drawn = 0, port = 0;
  ck_assert(port_search_first_free(&context, 5, counting_candidate, &drawn, &port));
  ck_assert_uint_eq(port, 102);
  ck_assert_uint_eq(drawn, 3); /* stops at the free one */
}
END_TEST

START_TEST(port_search_names_the_first_candidate_when_all_are_in_use)
{
  static FakeHost host;
  for (guint p = 100; p < 104; p++)
    host.busy[p] = TRUE;
  const ClientModelContext context = {.port_in_use = fake_port_in_use, .host = &host};
  guint32 drawn = 0, port = 0;
  ck_assert(!port_search_first_free(&context, 4, counting_candidate, &drawn, &port));
  ck_assert_uint_eq(port, 100);
  ck_assert_uint_eq(drawn, 4); /* exactly `tries` candidates */
}
END_TEST

START_TEST(port_search_without_a_callback_takes_the_first_candidate)
{
  const ClientModelContext context = {.port_in_use = NULL};
  guint32 drawn = 0, port = 0;
  ck_assert(port_search_first_free(&context, 7, counting_candidate, &drawn, &port));
  ck_assert_uint_eq(port, 100);
  ck_assert_uint_eq(drawn, 1);
}
END_TEST

static Suite *allocators_suite(void)
{
  Suite *suite = suite_create("allocators");
  TCase *sequential = tcase_create("sequential");
  tcase_set_timeout(sequential, 60); /* 200000 draws per range, also under the sanitizers */
  tcase_add_test(sequential, sequential_bsd_walks_the_range_and_wraps);
  tcase_add_test(sequential, sequential_presets);
  tcase_add_test(sequential, sequential_custom_range_uses_low_and_high);
  tcase_add_test(sequential, sequential_presets_ignore_low_and_high);
  tcase_add_test(sequential, sequential_skips_ports_in_use);
  tcase_add_test(sequential, sequential_all_in_use_names_the_next_port_after_one_lap);
  tcase_add_test(sequential, sequential_empty_custom_range_is_an_error);
  suite_add_tcase(suite, sequential);

  TCase *simple = tcase_create("fixed+filezilla");
  tcase_set_timeout(simple, 60);
  tcase_add_test(simple, fixed_names_one_port);
  tcase_add_test(simple, filezilla_pinned_sequence_for_seed_1);
  tcase_add_test(simple, filezilla_counts_up_and_restarts_at_random_after_high);
  tcase_add_test(simple, filezilla_default_range_and_streams);
  tcase_add_test(simple, filezilla_skips_ports_in_use);
  tcase_add_test(simple, filezilla_low_above_high_is_taken_as_high);
  suite_add_tcase(suite, simple);

  TCase *rfc6056 = tcase_create("rfc6056");
  tcase_set_timeout(rfc6056, 60); /* 200000 draws per model, also under the sanitizers */
  tcase_add_test(rfc6056, siphash_reference_vectors);
  tcase_add_test(rfc6056, rfc6056_pinned_sequences_for_seed_1);
  tcase_add_test(rfc6056, rfc6056_stay_in_range);
  tcase_add_test(rfc6056, rfc6056_skip_ports_in_use);
  tcase_add_test(rfc6056, rfc6056_3_same_tuple_gives_consecutive_ports);
  tcase_add_test(rfc6056, rfc6056_3_offset_is_the_keyed_hash);
  tcase_add_test(rfc6056, rfc6056_3_drawn_key_depends_on_the_seed);
  tcase_add_test(rfc6056, rfc6056_4_buckets_count_per_destination);
  tcase_add_test(rfc6056, rfc6056_5_increments_stay_within_n);
  tcase_add_test(rfc6056, rfc6056_empty_range_is_an_error);
  suite_add_tcase(suite, rfc6056);

  TCase *search = tcase_create("port_search");
  tcase_add_test(search, port_search_takes_the_first_candidate_not_in_use);
  tcase_add_test(search, port_search_names_the_first_candidate_when_all_are_in_use);
  tcase_add_test(search, port_search_without_a_callback_takes_the_first_candidate);
  suite_add_tcase(suite, search);

  TCase *params = tcase_create("params");
  tcase_add_test(params, new_client_keys_are_validated);
  tcase_add_test(params, new_client_keys_have_valid_defaults);
  tcase_add_test(params, shared_keys_agree_across_models);
  suite_add_tcase(suite, params);
  return suite;
}

int main(void)
{
  return check_main(allocators_suite);
}
