/* client.when_busy and client.counter of the as400 model (issue 13): with next-free the counter counts on
 * past ports the host has in use, as an OS allocator does; with fail it names the busy port (and the
 * engine fails the data command before its PORT); the counter is the host's by default. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "client_model.h"
#include "param_keys.h"
#include "params.h"

static gboolean busy[65536];

static gboolean port_in_use(gpointer host, guint16 port)
{
  (void)host;
  return busy[port];
}

static void open_as400(PortAllocator *allocator, ParamSet *params, const char *port_busy)
{
  GError *error = NULL;
  ck_assert(param_set_assign(params, KEY_CLIENT_MODEL, "as400", &error));
  if (port_busy != NULL)
    ck_assert_msg(param_set_assign(params, KEY_CLIENT_WHEN_BUSY, port_busy, &error), "%s", error->message);
  const ClientModelContext context = {.seed = 1, .port_in_use = port_in_use};
  ck_assert(port_allocator_init(allocator, client_model_find("as400", NULL), params, &context, &error));
}

static const PortQuery query = {.local_address = 0x0a000001, .remote_address = 0x0a000002, .remote_port = 20};

START_TEST(test_next_free_counts_on_past_busy_ports)
{
  memset(busy, 0, sizeof busy);
  busy[1001] = busy[1002] = busy[1004] = TRUE;
  g_autoptr(ParamSet) params = param_set_new();
  PortAllocator allocator;
  open_as400(&allocator, params, NULL); /* the default */
  const guint16 expected[] = {1000, 1003, 1005, 1006};
  for (guint i = 0; i < G_N_ELEMENTS(expected); i++)
    ck_assert_uint_eq(port_allocator_next(&allocator, &query), expected[i]);
  port_allocator_clear(&allocator);
}
END_TEST

START_TEST(test_fail_names_the_busy_port_and_counts_on_by_one)
{
  memset(busy, 0, sizeof busy);
  busy[1001] = busy[1002] = TRUE;
  g_autoptr(ParamSet) params = param_set_new();
  PortAllocator allocator;
  open_as400(&allocator, params, "fail");
  const guint16 expected[] = {1000, 1001, 1002, 1003};
  for (guint i = 0; i < G_N_ELEMENTS(expected); i++)
    ck_assert_uint_eq(port_allocator_next(&allocator, &query), expected[i]);
  port_allocator_clear(&allocator);
}
END_TEST

/* Past 65535 the counter wraps to client.wrap_to and keeps skipping; when every port is busy it names the
 * first it tried (bind() then fails) instead of searching forever. */
START_TEST(test_next_free_wraps_and_gives_up_after_one_lap)
{
  memset(busy, 0, sizeof busy);
  busy[65535] = busy[1024] = TRUE;
  g_autoptr(ParamSet) params = param_set_new();
  GError *error = NULL;
  ck_assert(param_set_assign(params, "client.start_port", "65534", &error));
  PortAllocator allocator;
  open_as400(&allocator, params, "next-free");
  ck_assert_uint_eq(port_allocator_next(&allocator, &query), 65534);
  ck_assert_uint_eq(port_allocator_next(&allocator, &query), 1025);
  port_allocator_clear(&allocator);

  memset(busy, 1, sizeof busy);
  g_autoptr(ParamSet) all_busy = param_set_new();
  open_as400(&allocator, all_busy, "next-free");
  ck_assert_uint_eq(port_allocator_next(&allocator, &query), 1000);
  port_allocator_clear(&allocator);
  memset(busy, 0, sizeof busy);
}
END_TEST

START_TEST(test_the_counter_is_the_hosts_by_default)
{
  g_autoptr(ParamSet) params = param_set_new();
  GError *error = NULL;
  ck_assert(param_set_assign(params, KEY_CLIENT_MODEL, "as400", &error));
  const ClientModel *as400 = client_model_find("as400", NULL);
  ck_assert_int_eq(as400->scope(params), PORT_SCOPE_HOST);
  ck_assert(param_set_assign(params, "client.counter", "session", &error));
  ck_assert_int_eq(as400->scope(params), PORT_SCOPE_SESSION);
}
END_TEST

/* The exhausted host's shortcut (port_search.h): a search that found every port busy is not repeated until a
 * port frees; the allocator names what the whole lap would have named and moves its state as the lap would
 * have. Checked against the plain scan (no ports_freed callback) on hosts where every port is busy. */
static guint64 frees;
static guint lookups;

static gboolean counted_port_in_use(gpointer host, guint16 port)
{
  (void)host;
  lookups++;
  return busy[port];
}

static guint64 ports_freed(gpointer host)
{
  (void)host;
  return frees;
}

static void open_model(PortAllocator *allocator, const char *const *settings, gboolean shortcut)
{
  g_autoptr(ParamSet) params = param_set_new();
  GError *error = NULL;
  for (guint i = 0; settings[i] != NULL; i += 2)
    ck_assert_msg(param_set_assign(params, settings[i], settings[i + 1], &error), "%s", error->message);
  const ClientModelContext context = {
      .seed = 7, .port_in_use = counted_port_in_use, .ports_freed = shortcut ? ports_freed : NULL};
  const ClientModel *model = client_model_find(param_set_string(params, KEY_CLIENT_MODEL), NULL);
  ck_assert(port_allocator_init(allocator, model, params, &context, &error));
}

/* Every port busy for a few searches, then all free (the next port shows where the counter is), then busy
 * again but one: the same ports with and without the shortcut, which looks at no port while nothing frees. */
static void check_shortcut_matches_scan(const char *const *settings)
{
  PortAllocator plain, quick;
  open_model(&plain, settings, FALSE);
  open_model(&quick, settings, TRUE);
  for (guint round = 0; round < 3; round++) {
    memset(busy, 1, sizeof busy);
    frees++;
    for (guint i = 0; i < 4; i++) {
      const guint16 expected = port_allocator_next(&plain, &query);
      lookups = 0;
      ck_assert_uint_eq(port_allocator_next(&quick, &query), expected);
      if (i > 0)
        ck_assert_msg(lookups == 0, "%s, search %u: %u ports looked at, none has freed", settings[1], i, lookups);
    }
    memset(busy, 0, sizeof busy);
    if (round == 2) { /* every port busy but one, far from the counter */
      memset(busy, 1, sizeof busy);
      busy[33333] = FALSE;
    }
    frees++;
    for (guint i = 0; i < 3; i++)
      ck_assert_uint_eq(port_allocator_next(&quick, &query), port_allocator_next(&plain, &query));
  }
  port_allocator_clear(&plain);
  port_allocator_clear(&quick);
  memset(busy, 0, sizeof busy);
}

START_TEST(test_exhausted_host_shortcut_matches_the_scan)
{
  /* as400: a lap of 65536 steps does not bring the counter back (here: 1024 on past its start, after the
   * first wrap; a step of 7 and odd wraps; the counter from above wrap_to or below it) */
  static const char *const as400[][11] = {
      {KEY_CLIENT_MODEL, "as400", NULL},
      {KEY_CLIENT_MODEL, "as400", "client.start_port", "60000", "client.step", "7", "client.wrap_to", "1001", NULL},
      {KEY_CLIENT_MODEL, "as400", "client.start_port", "5", "client.step", "3", "client.wrap_to", "40000", NULL},
      {KEY_CLIENT_MODEL, "as400", "client.start_port", "65535", "client.step", "65535", "client.wrap_to", "9", NULL},
      {KEY_CLIENT_MODEL, "as400", "client.start_port", "1", "client.step", "1", "client.wrap_to", "1", NULL},
      {KEY_CLIENT_MODEL, "as400", "client.counter", "session", "client.step", "1000", "client.wrap_to", "65000", NULL},
  };
  static const char *const others[][5] = {
      {KEY_CLIENT_MODEL, "sequential", NULL}, {KEY_CLIENT_MODEL, "filezilla", NULL},
      {KEY_CLIENT_MODEL, "rfc6056-1", NULL},  {KEY_CLIENT_MODEL, "rfc6056-3", NULL},
      {KEY_CLIENT_MODEL, "rfc6056-4", NULL},  {KEY_CLIENT_MODEL, "sequential", "client.range", "linux"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(as400); i++)
    check_shortcut_matches_scan(as400[i]);
  for (guint i = 0; i < G_N_ELEMENTS(others); i++)
    check_shortcut_matches_scan(others[i]);
}
END_TEST

static Suite *when_busy_suite(void)
{
  Suite *suite = suite_create("when_busy");
  TCase *as400 = tcase_create("as400");
  tcase_add_test(as400, test_next_free_counts_on_past_busy_ports);
  tcase_add_test(as400, test_fail_names_the_busy_port_and_counts_on_by_one);
  tcase_add_test(as400, test_next_free_wraps_and_gives_up_after_one_lap);
  tcase_add_test(as400, test_the_counter_is_the_hosts_by_default);
  tcase_add_test(as400, test_exhausted_host_shortcut_matches_the_scan);
  suite_add_tcase(suite, as400);
  return suite;
}

int main(void)
{
  return check_main(when_busy_suite);
}
