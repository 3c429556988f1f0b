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

static Suite *when_busy_suite(void)
{
  Suite *suite = suite_create("when_busy");
  TCase *as400 = tcase_create("as400");
  tcase_add_test(as400, test_next_free_counts_on_past_busy_ports);
  tcase_add_test(as400, test_fail_names_the_busy_port_and_counts_on_by_one);
  tcase_add_test(as400, test_next_free_wraps_and_gives_up_after_one_lap);
  tcase_add_test(as400, test_the_counter_is_the_hosts_by_default);
  suite_add_tcase(suite, as400);
  return suite;
}

int main(void)
{
  return check_main(when_busy_suite);
}
