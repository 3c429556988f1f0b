/* Unit tests of client and server reactions and of the TIME_WAIT table, without SimGrid. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "client_reaction.h"
#include "params.h"
#include "server_reaction.h"
#include "time_wait.h"

static ReactionDecision decide(const char *name, const char *assignment, guint64 attempts, guint64 rejections)
{
  g_autoptr(ParamSet) params = param_set_new();
  if (assignment != NULL)
    ck_assert(param_set_assign_text(params, assignment, NULL));
  const ClientReaction *reaction = client_reaction_find(name, NULL);
  ck_assert_ptr_nonnull(reaction);
  gpointer state = reaction->create ? reaction->create(params) : NULL;
  const RejectionFacts facts = {.attempts = attempts, .session_rejections = rejections};
  ReactionDecision decision = reaction->on_rejection(state, &facts);
  if (reaction->destroy && state)
    reaction->destroy(state);
  return decision;
}

START_TEST(test_next_command_never_retries)
{
  for (guint64 n = 1; n < 100; n++)
    ck_assert_int_eq(decide("next-command", NULL, 1, n).action, REACTION_NEXT_COMMAND);
}
END_TEST

START_TEST(test_retry_up_to_r_times_with_delay)
{
  /* R = 2: attempts 1 and 2 are retried, the third rejection ends the command. */
  ck_assert_int_eq(decide("retry", "client.retries=2", 1, 1).action, REACTION_RETRY);
  ck_assert_int_eq(decide("retry", "client.retries=2", 2, 2).action, REACTION_RETRY);
  ck_assert_int_eq(decide("retry", "client.retries=2", 3, 3).action, REACTION_NEXT_COMMAND);
  ck_assert_int_eq(decide("retry", "client.retries=0", 1, 1).action, REACTION_NEXT_COMMAND);
  g_autoptr(ParamSet) params = param_set_new();
  ck_assert(param_set_assign_text(params, "client.retry_delay=1.5", NULL));
  const ClientReaction *retry = client_reaction_find("retry", NULL);
  gpointer state = retry->create(params);
  const RejectionFacts facts = {1, 1};
  ck_assert_double_eq(retry->on_rejection(state, &facts).delay, 1.5);
  retry->destroy(state);
}
END_TEST

START_TEST(test_pasv_fallback_after_f)
{
  ck_assert_int_eq(decide("pasv-fallback", "client.fallback_after=3", 1, 2).action, REACTION_NEXT_COMMAND);
  ck_assert_int_eq(decide("pasv-fallback", "client.fallback_after=3", 1, 3).action, REACTION_USE_PASV);
  ck_assert_int_eq(decide("pasv-fallback", NULL, 1, 1).action, REACTION_USE_PASV); /* default: at once */
}
END_TEST

START_TEST(test_give_up_beyond_g)
{
  ck_assert_int_eq(decide("give-up", "client.give_up_after=3", 1, 3).action, REACTION_NEXT_COMMAND);
  ck_assert_int_eq(decide("give-up", "client.give_up_after=3", 1, 4).action, REACTION_GIVE_UP);
}
END_TEST

START_TEST(test_unknown_reaction_names_list_the_known_ones)
{
  g_autoptr(GError) error = NULL;
  ck_assert_ptr_null(client_reaction_find("panic", &error));
  ck_assert_str_eq(error->message,
                   "unknown client reaction 'panic' (known: next-command, retry, pasv-fallback, give-up)");
  g_clear_error(&error);
  ck_assert_ptr_null(server_reaction_find("firewall", &error));
  ck_assert_str_eq(error->message, "unknown server reaction 'firewall' (known: none, disconnect, ban, tarpit)");
}
END_TEST

typedef struct {
  const ServerReaction *reaction;
  gpointer state;
} Server;

static Server server_with(const char *name, const char *const *assignments)
{
  g_autoptr(ParamSet) params = param_set_new();
  for (guint i = 0; assignments && assignments[i]; i++)
    ck_assert(param_set_assign_text(params, assignments[i], NULL));
  Server server = {.reaction = server_reaction_find(name, NULL)};
  server.state = server.reaction->create ? server.reaction->create(params) : NULL;
  return server;
}

static void server_clear(Server *server)
{
  if (server->reaction->destroy && server->state)
    server->reaction->destroy(server->state);
}

static gboolean admits(Server *server, guint32 address, double now)
{
  return server->reaction->admit == NULL || server->reaction->admit(server->state, address, now);
}

START_TEST(test_server_none_and_disconnect)
{
  Server none = server_with("none", NULL);
  for (guint64 n = 1; n < 1000; n++)
    ck_assert_int_eq(none.reaction->on_rejection(none.state, 1, n, (double)n).action, SERVER_KEEP);
  server_clear(&none);
  const char *after4[] = {"server.disconnect_after=4", NULL};
  Server disconnect = server_with("disconnect", after4);
  ck_assert_int_eq(disconnect.reaction->on_rejection(disconnect.state, 1, 3, 0).action, SERVER_KEEP);
  ck_assert_int_eq(disconnect.reaction->on_rejection(disconnect.state, 1, 4, 0).action, SERVER_DISCONNECT);
  ck_assert(admits(&disconnect, 1, 0));
  server_clear(&disconnect);
}
END_TEST

START_TEST(test_server_ban_window_and_duration)
{
  const char *rules[] = {"server.ban_after=3", "server.ban_window=10", "server.ban_time=100", NULL};
  Server ban = server_with("ban", rules);
  const guint32 a = 0xc000020a, b = 0xc000020b;
  /* Three rejections, but spread over more than 10 s: no ban. */
  ck_assert_int_eq(ban.reaction->on_rejection(ban.state, a, 1, 0).action, SERVER_KEEP);
  ck_assert_int_eq(ban.reaction->on_rejection(ban.state, a, 2, 6).action, SERVER_KEEP);
  ck_assert_int_eq(ban.reaction->on_rejection(ban.state, a, 3, 12).action, SERVER_KEEP);
  /* The last three (6, 12, 15) fall within 10 s: banned at 15 until 115. */
  ck_assert_int_eq(ban.reaction->on_rejection(ban.state, a, 4, 15).action, SERVER_BAN);
  ck_assert(!admits(&ban, a, 15));
  ck_assert(!admits(&ban, a, 114.999));
  ck_assert(admits(&ban, a, 115));
  ck_assert(admits(&ban, b, 50)); /* another address is not concerned */
  /* After the ban the count starts again. */
  ck_assert_int_eq(ban.reaction->on_rejection(ban.state, a, 1, 120).action, SERVER_KEEP);
  ck_assert_int_eq(ban.reaction->on_rejection(ban.state, a, 2, 121).action, SERVER_KEEP);
  ck_assert_int_eq(ban.reaction->on_rejection(ban.state, a, 3, 122).action, SERVER_BAN);
  server_clear(&ban);
}
END_TEST

START_TEST(test_server_tarpit)
{
  const char *rules[] = {"server.tarpit_delay=0.75", NULL};
  Server tarpit = server_with("tarpit", rules);
  ServerVerdict verdict = tarpit.reaction->on_rejection(tarpit.state, 1, 7, 3);
  ck_assert_int_eq(verdict.action, SERVER_KEEP);
  ck_assert_double_eq(verdict.delay, 0.75);
  server_clear(&tarpit);
}
END_TEST

START_TEST(test_time_wait_table)
{
  TimeWaitTable *table = time_wait_new();
  const guint64 key = time_wait_key(0xc000020a, 1024);
  ck_assert_uint_eq(key, 0xc000020a0400ull);
  ck_assert(!time_wait_busy(table, key, 0));
  time_wait_hold(table, key, 240.5);
  ck_assert(time_wait_busy(table, key, 0));
  ck_assert(time_wait_busy(table, key, 240.4999));
  ck_assert(!time_wait_busy(table, key, 240.5)); /* free again exactly at 2MSL */
  ck_assert(!time_wait_busy(table, time_wait_key(0xc000020a, 1025), 1));
  ck_assert(!time_wait_busy(table, time_wait_key(0xc000020b, 1024), 1));
  time_wait_hold(table, key, INFINITY); /* listening */
  ck_assert(time_wait_busy(table, key, 1e300));
  time_wait_release(table, key);
  ck_assert(!time_wait_busy(table, key, 0));
  for (guint port = 0; port < 65536; port++)
    time_wait_hold(table, time_wait_key(1, (guint16)port), port);
  ck_assert_uint_eq(time_wait_size(table), 65536);
  ck_assert(time_wait_busy(table, time_wait_key(1, 1000), 999.5));
  ck_assert(!time_wait_busy(table, time_wait_key(1, 1000), 1000));
  time_wait_free(table);
}
END_TEST

/* time_wait_frees(): counts releases and holds ended up to now, not holds shortened to a later end, nor
 * stale ends of keys held again, nor releases of keys not held. */
START_TEST(test_time_wait_frees)
{
  TimeWaitTable *table = time_wait_new();
  time_wait_hold(table, 1, 10); /* before the bookkeeping starts: ends at 10 */
  time_wait_hold(table, 2, INFINITY);
  ck_assert_uint_eq(time_wait_frees(table, 5), 0);
  time_wait_hold(table, 3, 7);
  time_wait_hold(table, 3, 20); /* held again, longer: the end at 7 is stale */
  time_wait_hold(table, 2, 8);  /* the listener closes: TIME_WAIT until 8 */
  time_wait_release(table, 99); /* not held: nothing freed */
  ck_assert_uint_eq(time_wait_frees(table, 7.5), 0);
  ck_assert_uint_eq(time_wait_frees(table, 8), 1);  /* key 2 */
  ck_assert_uint_eq(time_wait_frees(table, 10), 2); /* key 1 */
  time_wait_hold(table, 4, 10);                     /* a hold that ends at once (2MSL of 0) */
  ck_assert_uint_eq(time_wait_frees(table, 10), 3);
  time_wait_release(table, 3);
  ck_assert_uint_eq(time_wait_frees(table, 30), 4); /* the release, not key 3's stale end at 20 */
  for (guint i = 0; i < 1000; i++) /* holds renewed many times: the heap is rebuilt, nothing counted twice */
    time_wait_hold(table, 5 + i % 3, 40 + i);
  ck_assert_uint_eq(time_wait_frees(table, 1036), 4);
  ck_assert_uint_eq(time_wait_frees(table, 1037), 5);
  ck_assert_uint_eq(time_wait_frees(table, 1e9), 7);
  time_wait_free(table);
}
END_TEST

static Suite *reactions_suite(void)
{
  Suite *suite = suite_create("reactions");
  TCase *client = tcase_create("client");
  tcase_add_test(client, test_next_command_never_retries);
  tcase_add_test(client, test_retry_up_to_r_times_with_delay);
  tcase_add_test(client, test_pasv_fallback_after_f);
  tcase_add_test(client, test_give_up_beyond_g);
  tcase_add_test(client, test_unknown_reaction_names_list_the_known_ones);
  suite_add_tcase(suite, client);
  TCase *server = tcase_create("server");
  tcase_add_test(server, test_server_none_and_disconnect);
  tcase_add_test(server, test_server_ban_window_and_duration);
  tcase_add_test(server, test_server_tarpit);
  tcase_add_test(server, test_time_wait_table);
  tcase_add_test(server, test_time_wait_frees);
  suite_add_tcase(suite, server);
  return suite;
}

int main(void)
{
  return check_main(reactions_suite);
}
