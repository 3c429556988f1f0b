/* Unit tests of the core models, without SimGrid: parameters, the catalog of models, the PORT wire format,
 * the as400 counter, the NT 3.51 policies, session bookkeeping and the random streams. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "catalog.h"
#include "client_model.h"
#include "client_reaction.h"
#include "event_queue.h"
#include "target_set.h"
#include "fluid_network.h"
#include "ftp_protocol.h"
#include "params.h"
#include "rng.h"
#include "server_policy.h"
#include "server_reaction.h"
#include "session_stats.h"

/* The first two numbers of stream (seed 1, ports, entity 0), recorded when the seeding scheme was fixed. */
#define RNG_PINNED_FIRST 4151629118u
#define RNG_PINNED_SECOND 3684849136u

/* ---- parameters ---- */

START_TEST(test_params_defaults)
{
  g_autoptr(ParamSet) params = param_set_new();
  ck_assert_str_eq(param_set_string(params, "client.model"), "as400");
  ck_assert_str_eq(param_set_string(params, "server.policy"), "nt351sp2");
  ck_assert_int_eq(param_set_int(params, "client.start_port"), 1000);
  ck_assert_int_eq(param_set_int(params, "client.step"), 1);
  ck_assert_str_eq(param_set_string(params, "client.counter"), "host");
  ck_assert_str_eq(param_set_string(params, "client.when_busy"), "next-free");
  ck_assert_int_eq(param_set_int(params, "client.sessions"), 1);
  ck_assert_int_eq(param_set_int(params, "session.commands"), 30);
  ck_assert_double_eq(param_set_double(params, "session.think_time"), 0.0);
}
END_TEST

START_TEST(test_params_assign_and_copy)
{
  g_autoptr(ParamSet) params = param_set_new();
  g_autoptr(GError) error = NULL;
  ck_assert(param_set_assign_text(params, "client.start_port=600", &error));
  ck_assert(param_set_assign(params, "session.think_time", "2.5", &error));
  ck_assert(param_set_assign(params, "client.counter", "host", &error));
  g_autoptr(ParamSet) copy = param_set_copy(params);
  ck_assert(param_set_assign(params, "client.start_port", "700", &error));
  ck_assert_int_eq(param_set_int(params, "client.start_port"), 700);
  ck_assert_int_eq(param_set_int(copy, "client.start_port"), 600); /* the copy is independent */
  ck_assert_double_eq(param_set_double(copy, "session.think_time"), 2.5);
  ck_assert_str_eq(param_set_string(copy, "client.counter"), "host");
}
END_TEST

/* Each bad value must be refused with a message naming the key, the value and what is accepted. */
static void expect_refused(const char *key, const char *value, const char *expected_message)
{
  g_autoptr(ParamSet) params = param_set_new();
  g_autoptr(GError) error = NULL;
  ck_assert_msg(!param_set_assign(params, key, value, &error), "%s=%s was accepted", key, value);
  ck_assert_str_eq(error->message, expected_message);
}

START_TEST(test_params_refused)
{
  expect_refused("client.start_port", "0", "client.start_port: '0' is out of range (accepted: 1..65535)");
  expect_refused("client.start_port", "65536", "client.start_port: '65536' is out of range (accepted: 1..65535)");
  expect_refused("client.step", "0", "client.step: '0' is out of range (accepted: 1..65535)");
  expect_refused("client.step", "abc", "client.step: 'abc' is not a whole number (accepted: 1..65535)");
  expect_refused("client.step", "1.5", "client.step: '1.5' is not a whole number (accepted: 1..65535)");
  expect_refused("client.step", "", "client.step: '' is not a whole number (accepted: 1..65535)");
  expect_refused("client.sessions", "-1", "client.sessions: '-1' is out of range (accepted: 0..100000000)");
  expect_refused("session.think_time", "-0.5", "session.think_time: '-0.5' is out of range (accepted: 0..1e+09)");
  expect_refused("session.think_time", "nan", "session.think_time: 'nan' is not a number (accepted: 0..1e+09)");
  expect_refused("client.counter", "global", "client.counter: 'global' is not a known value (accepted: session|host)");
}
END_TEST

START_TEST(test_params_unknown_key_lists_known)
{
  g_autoptr(ParamSet) params = param_set_new();
  g_autoptr(GError) error = NULL;
  ck_assert(!param_set_assign(params, "client.start", "1", &error));
  ck_assert(g_error_matches(error, FTPSIM_PARAM_ERROR, FTPSIM_PARAM_ERROR_UNKNOWN_KEY));
  /* The nearest key, not all of them (issue 13: did-you-mean). */
  ck_assert_str_eq(
      error->message,
      "unknown parameter 'client.start' (did you mean 'client.start_port'? 'ftpsim params' lists every key)");
  g_clear_error(&error);
  ck_assert(!param_set_assign_text(params, "client.start_port", &error));
  ck_assert(g_error_matches(error, FTPSIM_PARAM_ERROR, FTPSIM_PARAM_ERROR_SYNTAX));
}
END_TEST

START_TEST(test_params_model_choices_come_from_the_catalog)
{
  g_autoptr(ParamSet) params = param_set_new();
  g_autoptr(GError) error = NULL;
  ck_assert(param_set_assign(params, "server.policy", "nt351", &error));
  ck_assert(!param_set_assign(params, "server.policy", "nt4", &error));
  ck_assert_ptr_nonnull(strstr(error->message, "nt351sp2"));
  /* Every default is valid: param_set_new() asserts it, for every registered key. */
  const GPtrArray *all = params_all();
  ck_assert_uint_ge(all->len, 10);
  for (guint i = 1; i < all->len; i++) /* sorted, no duplicates */
    ck_assert_int_lt(strcmp(((const ParamSpec *)all->pdata[i - 1])->key, ((const ParamSpec *)all->pdata[i])->key), 0);
}
END_TEST

START_TEST(test_params_namespaces_come_from_the_table)
{
  const char *const parameters[] = {"client.start_port", "server.typo",  "session.x",       "workload.x", "tcp.x",
                                    "network.control",   "network.typo", "engine.sessions", "engine.typo"};
  for (guint i = 0; i < G_N_ELEMENTS(parameters); i++)
    ck_assert_msg(params_in_known_namespace(parameters[i]), "%s", parameters[i]);
  const char *const others[] = {
      "speed", "wattage_per_state", "ftpsim.role", "clientele.x", "networks.x", "client", ".control", ""};
  for (guint i = 0; i < G_N_ELEMENTS(others); i++)
    ck_assert_msg(!params_in_known_namespace(others[i]), "%s", others[i]);
}
END_TEST

/* ---- the catalog of models ---- */

static const char *const client_model_names[] = {"as400",     "sequential", "rfc6056-1", "rfc6056-2", "rfc6056-3",
                                                 "rfc6056-4", "rfc6056-5",  "fixed",     "filezilla", NULL};
static const char *const server_policy_names[] = {
    "nt351",     "nt351sp2", "iis4", "rfc2577", "min-port",         "pasv-only", "vsftpd",      "proftpd", "pure-ftpd",
    "pyftpdlib", "wu-ftpd",  "iis5", "iis7",    "filezilla-server", "zos",       "netbsd-ftpd", NULL};
static const char *const client_reaction_names[] = {"next-command", "retry", "pasv-fallback", "give-up", NULL};
static const char *const server_reaction_names[] = {"none", "disconnect", "ban", "tarpit", NULL};
static const char *const middlebox_names[] = {"netfilter", "asa", "alg", NULL};

static const char *const *const names_by_kind[MODEL_KIND_COUNT] = {
    [MODEL_KIND_CLIENT_MODEL] = client_model_names,
    [MODEL_KIND_SERVER_POLICY] = server_policy_names,
    [MODEL_KIND_CLIENT_REACTION] = client_reaction_names,
    [MODEL_KIND_SERVER_REACTION] = server_reaction_names,
    [MODEL_KIND_MIDDLEBOX] = middlebox_names,
};

START_TEST(test_catalog_lists_every_kind_in_catalog_order)
{
  for (ModelKind kind = 0; kind < MODEL_KIND_COUNT; kind++) {
    const char *const *names = catalog_names(kind);
    const ModelInfo *const *models = catalog_models(kind);
    guint i = 0;
    for (; names_by_kind[kind][i] != NULL; i++) {
      ck_assert_str_eq(names[i], names_by_kind[kind][i]);
      ck_assert_str_eq(models[i]->name, names_by_kind[kind][i]);
      ck_assert_ptr_nonnull(models[i]->summary);
      ck_assert_ptr_nonnull(models[i]->source);
    }
    ck_assert_ptr_null(names[i]);
    ck_assert_ptr_null(models[i]);
  }
}
END_TEST

START_TEST(test_catalog_finds_each_model_by_name)
{
  for (ModelKind kind = 0; kind < MODEL_KIND_COUNT; kind++)
    for (const ModelInfo *const *model = catalog_models(kind); *model != NULL; model++)
      ck_assert_ptr_eq(catalog_find(kind, (*model)->name, NULL), *model);
  /* The typed lookups find the same tables. */
  ck_assert_ptr_eq(client_model_find("filezilla", NULL), catalog_find(MODEL_KIND_CLIENT_MODEL, "filezilla", NULL));
  ck_assert_ptr_eq(server_policy_find("vsftpd", NULL), catalog_find(MODEL_KIND_SERVER_POLICY, "vsftpd", NULL));
  ck_assert_ptr_eq(client_reaction_find("retry", NULL), catalog_find(MODEL_KIND_CLIENT_REACTION, "retry", NULL));
  ck_assert_ptr_eq(server_reaction_find("ban", NULL), catalog_find(MODEL_KIND_SERVER_REACTION, "ban", NULL));
}
END_TEST

START_TEST(test_catalog_unknown_name_lists_the_known_ones)
{
  static const char *const expected[MODEL_KIND_COUNT] = {
      [MODEL_KIND_CLIENT_MODEL] = "unknown client model 'x' (known: as400, sequential, rfc6056-1, rfc6056-2, "
                                  "rfc6056-3, rfc6056-4, rfc6056-5, fixed, filezilla)",
      [MODEL_KIND_SERVER_POLICY] = "unknown server policy 'x' (known: nt351, nt351sp2, iis4, rfc2577, min-port, "
                                   "pasv-only, vsftpd, proftpd, pure-ftpd, pyftpdlib, wu-ftpd, iis5, iis7, "
                                   "filezilla-server, zos, netbsd-ftpd)",
      [MODEL_KIND_CLIENT_REACTION] = "unknown client reaction 'x' (known: next-command, retry, pasv-fallback, give-up)",
      [MODEL_KIND_SERVER_REACTION] = "unknown server reaction 'x' (known: none, disconnect, ban, tarpit)",
      [MODEL_KIND_MIDDLEBOX] = "unknown middlebox 'x' (known: netfilter, asa, alg)",
  };
  for (ModelKind kind = 0; kind < MODEL_KIND_COUNT; kind++) {
    g_autoptr(GError) error = NULL;
    ck_assert_ptr_null(catalog_find(kind, "x", &error));
    ck_assert(g_error_matches(error, FTPSIM_MODEL_ERROR, FTPSIM_MODEL_ERROR_UNKNOWN));
    ck_assert_str_eq(error->message, expected[kind]);
  }
}
END_TEST

/* Every kind's table starts with its ModelInfo header, so a generic pointer to a table reads its name. */
START_TEST(test_catalog_header_is_the_first_member_of_every_kind)
{
  const ClientModel *model = client_model_find("sequential", NULL);
  const ServerPolicy *policy = server_policy_find("iis4", NULL);
  const ClientReaction *client_reaction = client_reaction_find("give-up", NULL);
  const ServerReaction *server_reaction = server_reaction_find("tarpit", NULL);
  ck_assert_ptr_eq((gconstpointer)&model->info, (gconstpointer)model);
  ck_assert_ptr_eq((gconstpointer)&policy->info, (gconstpointer)policy);
  ck_assert_ptr_eq((gconstpointer)&client_reaction->info, (gconstpointer)client_reaction);
  ck_assert_ptr_eq((gconstpointer)&server_reaction->info, (gconstpointer)server_reaction);
  ck_assert_str_eq(((const ModelInfo *)(gconstpointer)model)->name, "sequential");
  ck_assert_str_eq(((const ModelInfo *)(gconstpointer)policy)->name, "iis4");
  ck_assert_str_eq(((const ModelInfo *)(gconstpointer)client_reaction)->name, "give-up");
  ck_assert_str_eq(((const ModelInfo *)(gconstpointer)server_reaction)->name, "tarpit");
  /* The header's fields and the table's own names are the same bytes. */
  ck_assert_ptr_eq(model->info.params, model->params);
  ck_assert_str_eq(policy->info.summary, policy->summary);
}
END_TEST

/* client.model, server.policy, client.reaction and server.reaction accept exactly their kind's names,
 * and every model's keys are in the parameter table. */
START_TEST(test_catalog_supplies_the_choosers_and_every_model_key)
{
  static const char *const chooser_keys[MODEL_KIND_COUNT] = {"client.model", "server.policy", "client.reaction",
                                                             "server.reaction", NULL};
  for (ModelKind kind = 0; kind < MODEL_KIND_COUNT; kind++) {
    if (chooser_keys[kind] == NULL) { /* middleboxes: named by a platform property, not a key */
      ck_assert_ptr_null(catalog_kind(kind)->chooser);
      ck_assert_str_eq(catalog_kind(kind)->chosen_by, "ftpsim.middlebox");
      ck_assert_ptr_null(params_find("ftpsim.middlebox"));
    } else {
      const ParamSpec *chooser = params_find(chooser_keys[kind]);
      ck_assert_ptr_eq(chooser, catalog_kind(kind)->chooser);
      ck_assert_str_eq(catalog_kind(kind)->chosen_by, chooser_keys[kind]);
      g_autofree gchar *accepted = param_spec_accepted(chooser);
      g_autofree gchar *names = g_strjoinv("|", (gchar **)names_by_kind[kind]);
      ck_assert_str_eq(accepted, names);
    }
    for (const ModelInfo *const *model = catalog_models(kind); *model != NULL; model++)
      for (const ParamSpec *spec = (*model)->params; spec != NULL && spec->key != NULL; spec++)
        ck_assert_msg(params_find(spec->key) != NULL, "%s of %s", spec->key, (*model)->name);
  }
  ck_assert_ptr_nonnull(params_find("client.start_port")); /* as400 */
  ck_assert_ptr_nonnull(params_find("server.ban_window")); /* ban */
}
END_TEST

/* ---- PORT wire format ---- */

START_TEST(test_port_command_length_matches_text)
{
  const guint32 addresses[] = {0x00000000u, 0xc000020au, 0x7f000001u, 0xffffffffu, 0x0a0b0c0du};
  for (guint a = 0; a < G_N_ELEMENTS(addresses); a++) {
    for (guint port = 0; port <= 65535; port += 97) {
      char argument[32];
      ftp_format_port_argument(addresses[a], (guint16)port, argument, sizeof argument);
      g_autofree gchar *command = g_strdup_printf("PORT %s\r\n", argument);
      ck_assert_uint_eq(ftp_port_command_length(addresses[a], (guint16)port), strlen(command));
    }
  }
  ck_assert_uint_eq(ftp_port_command_length(0xc000020au, 1024), strlen("PORT 192,0,2,10,4,0\r\n"));
}
END_TEST

START_TEST(test_port_argument_parse)
{
  guint32 address = 0;
  guint16 port = 0;
  ck_assert(ftp_parse_port_argument("192,0,2,10,3,255", &address, &port));
  ck_assert_uint_eq(address, 0xc000020au);
  ck_assert_uint_eq(port, 1023);
  ck_assert(ftp_parse_port_argument("127,0,0,1,255,255", &address, &port));
  ck_assert_uint_eq(port, 65535);
  const char *bad[] = {"",           "1,2,3,4,5",    "1,2,3,4,5,6,7", "256,0,0,1,4,0", "1,2,3,4,5,256", "a,2,3,4,5,6",
                       "1,,3,4,5,6", "1,2,3,4,5,6,", " 1,2,3,4,5,6",  "1000,2,3,4,5,6"};
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++)
    ck_assert_msg(!ftp_parse_port_argument(bad[i], &address, &port), "accepted '%s'", bad[i]);
}
END_TEST

START_TEST(test_ipv4_parse_format)
{
  guint32 address = 0;
  ck_assert(ftp_parse_ipv4("192.0.2.10", &address));
  ck_assert_uint_eq(address, 0xc000020au);
  char text[16];
  ftp_format_ipv4(address, text, sizeof text);
  ck_assert_str_eq(text, "192.0.2.10");
  ck_assert(!ftp_parse_ipv4("192.0.2", &address));
  ck_assert(!ftp_parse_ipv4("192.0.2.256", &address));
  ck_assert(!ftp_parse_ipv4("192,0,2,1", &address));
  ck_assert(!ftp_parse_ipv4("", &address));
  ck_assert_uint_eq(ftp_reply_length((FtpReply){500, "Invalid PORT Command."}),
                    strlen("500 Invalid PORT Command.\r\n"));
}
END_TEST

/* ---- the as400 counter ---- */

static PortAllocator as400_with(const char *const *assignments)
{
  g_autoptr(ParamSet) params = param_set_new();
  for (guint i = 0; assignments[i] != NULL; i++)
    ck_assert(param_set_assign_text(params, assignments[i], NULL));
  const ClientModel *model = client_model_find("as400", NULL);
  ck_assert_ptr_nonnull(model);
  const ClientModelContext context = {.seed = 1, .stream_id = 1};
  PortAllocator allocator;
  ck_assert(port_allocator_init(&allocator, model, params, &context, NULL));
  return allocator;
}

static const PortQuery any_query = {.local_address = 0xc000020au, .remote_address = 0xc0000214u, .remote_port = 20};

START_TEST(test_as400_counts_by_step)
{
  const char *one[] = {"client.start_port=1000", NULL};
  PortAllocator allocator = as400_with(one);
  for (guint expected = 1000; expected < 1100; expected++)
    ck_assert_uint_eq(port_allocator_next(&allocator, &any_query), expected);
  port_allocator_clear(&allocator);

  const char *seven[] = {"client.start_port=3", "client.step=7", NULL};
  allocator = as400_with(seven);
  for (guint i = 0; i < 50; i++)
    ck_assert_uint_eq(port_allocator_next(&allocator, &any_query), 3 + 7 * i);
  port_allocator_clear(&allocator);
}
END_TEST

START_TEST(test_as400_wraps_to_configured_port)
{
  const char *near_top[] = {"client.start_port=65533", "client.wrap_to=600", NULL};
  PortAllocator allocator = as400_with(near_top);
  const guint expected[] = {65533, 65534, 65535, 600, 601};
  for (guint i = 0; i < G_N_ELEMENTS(expected); i++)
    ck_assert_uint_eq(port_allocator_next(&allocator, &any_query), expected[i]);
  port_allocator_clear(&allocator);

  /* A step that jumps past 65535 lands on the wrap port too, never on a truncated value. */
  const char *big_step[] = {"client.start_port=65000", "client.step=1000", "client.wrap_to=1", NULL};
  allocator = as400_with(big_step);
  ck_assert_uint_eq(port_allocator_next(&allocator, &any_query), 65000);
  ck_assert_uint_eq(port_allocator_next(&allocator, &any_query), 1);
  ck_assert_uint_eq(port_allocator_next(&allocator, &any_query), 1001);
  port_allocator_clear(&allocator);
}
END_TEST

START_TEST(test_as400_scope)
{
  g_autoptr(ParamSet) params = param_set_new();
  const ClientModel *model = client_model_find("as400", NULL);
  ck_assert_int_eq(model->scope(params), PORT_SCOPE_HOST);
  ck_assert(param_set_assign(params, "client.counter", "session", NULL));
  ck_assert_int_eq(model->scope(params), PORT_SCOPE_SESSION);
}
END_TEST

START_TEST(test_finders_refuse_unknown_names)
{
  g_autoptr(GError) error = NULL;
  ck_assert_ptr_null(client_model_find("as401", &error));
  ck_assert(g_str_has_prefix(error->message, "unknown client model 'as401' (known: "));
  ck_assert_ptr_nonnull(strstr(error->message, "as400"));
  g_clear_error(&error);
  ck_assert_ptr_null(server_policy_find("nt4", &error));
  ck_assert(g_str_has_prefix(error->message, "unknown server policy 'nt4' (known: "));
  ck_assert_ptr_nonnull(strstr(error->message, "nt351sp2"));
}
END_TEST

/* ---- NT 3.51 policies ---- */

static FtpReply check_with(const char *policy_name, guint16 port)
{
  g_autoptr(ParamSet) params = param_set_new();
  PortGate gate;
  ck_assert(port_gate_init(&gate, server_policy_find(policy_name, NULL), params, NULL));
  const PortRequest request = {.port = port, .address = 0xc000020au, .peer_address = 0xc000020au};
  FtpReply reply = port_gate_check(&gate, &request);
  port_gate_clear(&gate);
  return reply;
}

START_TEST(test_nt351sp2_rejects_below_1024)
{
  const guint16 rejected[] = {1, 20, 21, 512, 1000, 1023};
  for (guint i = 0; i < G_N_ELEMENTS(rejected); i++) {
    FtpReply reply = check_with("nt351sp2", rejected[i]);
    ck_assert_uint_eq(reply.code, 500);
    ck_assert_str_eq(reply.text, "Invalid PORT Command.");
    ck_assert(!ftp_reply_is_positive(reply));
  }
  const guint16 accepted[] = {1024, 1025, 5000, 65535};
  for (guint i = 0; i < G_N_ELEMENTS(accepted); i++) {
    FtpReply reply = check_with("nt351sp2", accepted[i]);
    ck_assert_uint_eq(reply.code, 200);
    ck_assert(ftp_reply_is_positive(reply));
  }
}
END_TEST

START_TEST(test_nt351_accepts_every_port)
{
  const guint16 ports[] = {1, 20, 21, 1023, 1024, 65535};
  for (guint i = 0; i < G_N_ELEMENTS(ports); i++)
    ck_assert_uint_eq(check_with("nt351", ports[i]).code, 200);
}
END_TEST

/* ---- session bookkeeping ---- */

START_TEST(test_session_stats_counts_before_first_accept)
{
  SessionStats stats;
  session_stats_init(&stats, 1.0);
  for (guint16 port = 1021; port <= 1023; port++) { /* three data commands, each rejected */
    session_stats_begin_command(&stats);
    session_stats_record_port(&stats, port, FALSE, 1.0 + (port - 1020) / 10.0);
    session_stats_fail_command(&stats);
  }
  ck_assert_int_eq(session_stats_outcome(&stats), SESSION_OUTCOME_ALL_REJECTED);
  session_stats_begin_command(&stats);
  session_stats_record_port(&stats, 1024, TRUE, 1.4);
  session_stats_record_transfer(&stats, 100, 1.5);
  session_stats_begin_command(&stats);                 /* rejected, then retried and accepted: the command completes */
  session_stats_record_port(&stats, 1025, FALSE, 1.6); /* a later rejection is not "before" */
  session_stats_record_port(&stats, 1026, TRUE, 1.7);
  session_stats_record_transfer(&stats, 100, 1.8);
  ck_assert_uint_eq(stats.commands, 6);
  ck_assert_uint_eq(stats.rejected, 4);
  ck_assert_uint_eq(stats.rejected_before_first_accept, 3);
  ck_assert_int_eq(stats.first_accept_port, 1024);
  ck_assert_double_eq(stats.first_accept_time, 1.4);
  ck_assert_double_eq(stats.first_transfer_time, 1.5);
  ck_assert_uint_eq(stats.transfers, 2);
  ck_assert_uint_eq(stats.bytes, 200);
  ck_assert_uint_eq(stats.data_commands, 5);
  ck_assert_uint_eq(stats.failed_commands, 3);
  ck_assert_int_eq(session_stats_outcome(&stats), SESSION_OUTCOME_PARTIAL);
  ck_assert_str_eq(session_outcome_name(SESSION_OUTCOME_PARTIAL), "partial");
  stats.end = SESSION_END_BANNED; /* how the session ended outranks what its commands did */
  ck_assert_str_eq(session_outcome_name(session_stats_outcome(&stats)), "banned");
}

START_TEST(test_session_outcomes)
{
  SessionStats stats;
  session_stats_init(&stats, 0);
  ck_assert_str_eq(session_outcome_name(session_stats_outcome(&stats)), "ok"); /* no command at all */
  session_stats_begin_command(&stats);
  session_stats_record_port(&stats, 2000, TRUE, 1);
  stats.connection_failures++; /* accepted PORT, then 425: the port was in TIME_WAIT */
  stats.time_wait_failures++;
  session_stats_fail_command(&stats);
  ck_assert_str_eq(session_outcome_name(session_stats_outcome(&stats)), "all_failed");
  stats.end = SESSION_END_GAVE_UP;
  ck_assert_str_eq(session_outcome_name(session_stats_outcome(&stats)), "aborted");
  stats.end = SESSION_END_DISCONNECTED;
  ck_assert_str_eq(session_outcome_name(session_stats_outcome(&stats)), "disconnected");
}
END_TEST

START_TEST(test_run_stats_aggregate)
{
  RunStats run;
  run_stats_init(&run);
  SessionStats a, b, c;
  session_stats_init(&a, 0);
  for (guint16 p = 1020; p < 1024; p++)
    session_stats_record_port(&a, p, FALSE, 1);
  session_stats_record_port(&a, 1024, TRUE, 2);
  session_stats_init(&b, 0);
  session_stats_record_port(&b, 2000, TRUE, 0.5);
  session_stats_init(&c, 0);
  session_stats_record_port(&c, 10, FALSE, 3);
  c.end_time = 9;
  run_stats_add(&run, &a);
  run_stats_add(&run, &b);
  run_stats_add(&run, &c);
  ck_assert_uint_eq(run.sessions, 3);
  ck_assert_uint_eq(run.commands, 7);
  ck_assert_uint_eq(run.rejected, 5);
  ck_assert_uint_eq(run.sessions_with_rejection, 2);
  ck_assert_uint_eq(run.sessions_without_accept, 1);
  ck_assert_uint_eq(run.max_rejected_before_first_accept, 4);
  ck_assert_double_eq(run_stats_mean_rejected_before_first_accept(&run), 5.0 / 3.0);
  ck_assert_double_eq(run.first_accept_time, 0.5);
  ck_assert_double_eq(run.end_time, 9);
  run_stats_clear(&run);
}
END_TEST

/* ---- random streams ---- */

START_TEST(test_rng_streams_are_reproducible_and_distinct)
{
  GRand *a = rng_new(42, RNG_STREAM_PORTS, 7);
  GRand *b = rng_new(42, RNG_STREAM_PORTS, 7);
  GRand *other_entity = rng_new(42, RNG_STREAM_PORTS, 8);
  GRand *other_kind = rng_new(42, RNG_STREAM_WORKLOAD, 7);
  GRand *other_seed = rng_new(43, RNG_STREAM_PORTS, 7);
  guint same = 0, differ_entity = 0, differ_kind = 0, differ_seed = 0;
  for (guint i = 0; i < 100; i++) {
    guint32 x = g_rand_int(a);
    same += x == g_rand_int(b);
    differ_entity += x != g_rand_int(other_entity);
    differ_kind += x != g_rand_int(other_kind);
    differ_seed += x != g_rand_int(other_seed);
  }
  ck_assert_uint_eq(same, 100);
  ck_assert_uint_ge(differ_entity, 99);
  ck_assert_uint_ge(differ_kind, 99);
  ck_assert_uint_ge(differ_seed, 99);
  g_rand_free(a);
  g_rand_free(b);
  g_rand_free(other_entity);
  g_rand_free(other_kind);
  g_rand_free(other_seed);
}
END_TEST

START_TEST(test_rng_is_pinned)
{
  /* GRand's Mersenne Twister is specified, so these numbers are the same on every machine; if they
   * change, every published seed's results change with them. */
  GRand *rand = rng_new(1, RNG_STREAM_PORTS, 0);
  guint32 first = g_rand_int(rand);
  guint32 second = g_rand_int(rand);
  g_rand_free(rand);
  rand = rng_new(1, RNG_STREAM_PORTS, 0);
  ck_assert_uint_eq(g_rand_int(rand), first);
  ck_assert_uint_eq(g_rand_int(rand), second);
  g_rand_free(rand);
  ck_assert_uint_eq(first, RNG_PINNED_FIRST);
  ck_assert_uint_eq(second, RNG_PINNED_SECOND);
}
END_TEST

/* The heap against a sorted copy: 5,000 events on 40 distinct times, so most of them tie, pushed and
 * popped in interleaved batches. Ties must come out in push order. */
typedef struct Pushed {
  double time;
  guint id;
} Pushed;

static int pushed_compare(const void *a, const void *b)
{
  const Pushed *x = a, *y = b;
  return x->time < y->time ? -1 : x->time > y->time ? 1 : (x->id > y->id) - (x->id < y->id);
}

START_TEST(test_event_queue_orders_by_time_then_push)
{
  enum { EVENTS = 5000 };
  GRand *rand = g_rand_new_with_seed(11);
  EventQueue queue;
  event_queue_init(&queue);
  ck_assert_ptr_null(event_queue_peek(&queue));
  Pushed *pushed = g_new(Pushed, EVENTS);
  guint pushed_count = 0, popped_count = 0;
  double last_time = -1;
  guint last_id = 0;
  while (popped_count < EVENTS) {
    guint batch = (guint)g_rand_int_range(rand, 1, 200);
    for (guint i = 0; i < batch && pushed_count < EVENTS; i++) {
      /* never earlier than what was popped last, as in a simulation */
      double time = MAX(last_time, 0) + (double)g_rand_int_range(rand, 0, 40) * 0.25;
      pushed[pushed_count] = (Pushed){time, pushed_count};
      event_queue_push(&queue, time, GUINT_TO_POINTER(pushed_count), pushed_count % 3);
      pushed_count++;
    }
    guint pops = (guint)g_rand_int_range(rand, 1, 200);
    for (guint i = 0; i < pops; i++) {
      const QueuedEvent *top = event_queue_peek(&queue);
      gpointer top_item = top != NULL ? top->item : NULL;
      QueuedEvent event;
      if (!event_queue_pop(&queue, &event)) {
        ck_assert_ptr_null(top);
        break;
      }
      ck_assert_ptr_eq(event.item, top_item); /* peek shows what pop takes */
      guint id = GPOINTER_TO_UINT(event.item);
      ck_assert_uint_eq(event.kind, id % 3);
      ck_assert_double_eq(event.time, pushed[id].time);
      ck_assert(event.time > last_time || (event.time == last_time && id > last_id) || popped_count == 0);
      last_time = event.time;
      last_id = id;
      popped_count++;
    }
  }
  ck_assert_uint_eq(queue.length, 0);
  ck_assert_uint_eq(queue.pushed, EVENTS);
  event_queue_clear(&queue);
  g_free(pushed);
  g_rand_free(rand);
}
END_TEST

/* Lanes: at equal times lane 0's events, then lane 1's, each lane first in, first out, whatever the order
 * of the pushes; an earlier time still comes first. */
START_TEST(test_event_queue_runs_equal_times_lane_after_lane)
{
  EventQueue queue;
  event_queue_init(&queue);
  const struct {
    double time;
    guint lane;
  } pushes[] = {{1, 2}, {1, 0}, {0.5, 7}, {1, 2}, {1, 1}, {1, 0}, {2, 0}};
  for (guint i = 0; i < G_N_ELEMENTS(pushes); i++)
    event_queue_push_in_lane(&queue, pushes[i].time, pushes[i].lane, GUINT_TO_POINTER(i), 0);
  const guint expected[] = {2, 1, 5, 4, 0, 3, 6};
  for (guint i = 0; i < G_N_ELEMENTS(expected); i++) {
    QueuedEvent event;
    ck_assert(event_queue_pop(&queue, &event));
    ck_assert_uint_eq(GPOINTER_TO_UINT(event.item), expected[i]);
  }
  ck_assert_ptr_null(event_queue_peek(&queue));
  event_queue_clear(&queue);
}
END_TEST

/* The link's targets against a plain array: random adds (with many equal values, as messages of one size
 * entering together give), removals of the smallest, and sums and counts below random bounds and below each
 * value held; sums of small integers, so exact. */
START_TEST(test_target_set_matches_a_plain_array)
{
  GRand *rand = g_rand_new_with_seed(7);
  TargetSet *set = target_set_new();
  GArray *plain = g_array_new(FALSE, FALSE, sizeof(double));
  for (guint step = 0; step < 20000; step++) {
    const gint32 op = g_rand_int_range(rand, 0, 10);
    if (op < 6 || plain->len == 0) {
      const double value = (double)g_rand_int_range(rand, 0, op < 3 ? 8 : 5000);
      target_set_add(set, value);
      g_array_append_val(plain, value);
    } else if (op < 8) {
      double min = G_MAXDOUBLE;
      for (guint i = 0; i < plain->len; i++)
        min = MIN(min, g_array_index(plain, double, i));
      ck_assert_double_eq(target_set_min(set), min);
      target_set_remove_min(set);
      for (guint i = plain->len; i-- > 0;)
        if (g_array_index(plain, double, i) == min)
          g_array_remove_index_fast(plain, i);
    } else {
      const double below = op == 8 ? (double)g_rand_int_range(rand, -1, 5002)
                                   : g_array_index(plain, double, g_rand_int_range(rand, 0, (gint32)plain->len));
      double sum = 0, expected_sum = 0;
      guint count = 0, expected_count = 0;
      target_set_sum_below(set, below, &sum, &count);
      for (guint i = 0; i < plain->len; i++)
        if (g_array_index(plain, double, i) < below) {
          expected_sum += g_array_index(plain, double, i);
          expected_count++;
        }
      ck_assert_uint_eq(count, expected_count);
      ck_assert_double_eq(sum, expected_sum);
    }
    ck_assert_uint_eq(target_set_size(set), plain->len);
  }
  g_array_free(plain, TRUE);
  target_set_free(set);
  g_rand_free(rand);
}
END_TEST

/* Everything pushed up front comes out as a stable sort would give it. */
START_TEST(test_event_queue_matches_stable_sort)
{
  enum { EVENTS = 3000 };
  GRand *rand = g_rand_new_with_seed(5);
  EventQueue queue;
  event_queue_init(&queue);
  Pushed *sorted = g_new(Pushed, EVENTS);
  for (guint i = 0; i < EVENTS; i++) {
    sorted[i] = (Pushed){(double)g_rand_int_range(rand, 0, 100) / 8, i};
    event_queue_push(&queue, sorted[i].time, GUINT_TO_POINTER(i), 0);
  }
  qsort(sorted, EVENTS, sizeof *sorted, pushed_compare);
  for (guint i = 0; i < EVENTS; i++) {
    QueuedEvent event;
    ck_assert(event_queue_pop(&queue, &event));
    ck_assert_uint_eq(GPOINTER_TO_UINT(event.item), sorted[i].id);
  }
  QueuedEvent none;
  ck_assert(!event_queue_pop(&queue, &none));
  event_queue_clear(&queue);
  g_free(sorted);
  g_rand_free(rand);
}
END_TEST

/* Leaves every message due by `until`, in turn, recording when each left: the caller's driver loop. */
static guint fluid_run(FluidNetwork *network, double until, double *left_at, gpointer *order)
{
  guint n = 0;
  for (double now = fluid_network_next(network); now <= until && !isinf(now); now = fluid_network_next(network)) {
    gpointer item;
    while ((item = fluid_network_leave(network, now, 1e-12)) != NULL) {
      left_at[n] = now;
      order[n++] = item;
    }
  }
  return n;
}

/* Runs the network until empty: exactly two messages leave, `first` at first_at and then `second` at
 * second_at; frees the network. */
static void assert_two_leave(FluidNetwork *network, guint first, double first_at, guint second, double second_at)
{
  double left_at[4];
  gpointer order[4];
  ck_assert_uint_eq(fluid_run(network, INFINITY, left_at, order), 2);
  ck_assert_uint_eq(GPOINTER_TO_UINT(order[0]), first);
  ck_assert_double_eq_tol(left_at[0], first_at, 1e-12);
  ck_assert_uint_eq(GPOINTER_TO_UINT(order[1]), second);
  ck_assert_double_eq_tol(left_at[1], second_at, 1e-12);
  fluid_network_free(network);
}

/* A network of one link of `capacity` bytes/s, *link. */
static FluidNetwork *one_link_network(double capacity, guint *link)
{
  FluidNetwork *network = fluid_network_new();
  *link = fluid_network_add_link(network, capacity);
  return network;
}

/* k messages of B bytes on one link of capacity C share it equally: all leave at k B / C; then the link is
 * idle and a message alone takes B / C. */
START_TEST(test_fluid_one_link_shares_equally)
{
  guint link = 0;
  FluidNetwork *network = one_link_network(1000, &link);
  FluidRoute *route = fluid_network_add_route(network, &link, NULL, 1, INFINITY, 0.5);
  for (guint i = 0; i < 4; i++)
    fluid_network_enter(network, route, 0, 250, GUINT_TO_POINTER(i + 1));
  ck_assert_double_eq(fluid_route_rate(route), 250);
  double left_at[8];
  gpointer order[8];
  ck_assert_uint_eq(fluid_run(network, 10, left_at, order), 4);
  for (guint i = 0; i < 4; i++) {
    ck_assert_double_eq_tol(left_at[i], 1.0, 1e-12);
    ck_assert_uint_eq(GPOINTER_TO_UINT(order[i]), i + 1); /* equal targets: in the order they entered */
  }
  ck_assert_uint_eq(fluid_route_messages(route), 0);
  ck_assert(isinf(fluid_network_next(network)));
  fluid_network_enter(network, route, 3, 500, NULL);
  ck_assert_double_eq_tol(fluid_network_next(network), 3.5, 1e-12);
  fluid_network_free(network);
}
END_TEST

/* SimGrid's sharing penalties: on a link of 1000 B/s, a message of penalty 1 gets 3 times the rate of one of
 * penalty 3 (750 and 250). The first (1500 B) leaves at 2 s; the second has then 500 of its 1000 B left, alone
 * at 1000 B/s: it leaves at 2.5 s. */
START_TEST(test_fluid_shares_by_penalty)
{
  guint link = 0;
  FluidNetwork *network = one_link_network(1000, &link);
  FluidRoute *near = fluid_network_add_route(network, &link, NULL, 1, INFINITY, 1);
  FluidRoute *far = fluid_network_add_route(network, &link, NULL, 1, INFINITY, 3);
  fluid_network_enter(network, near, 0, 1500, GUINT_TO_POINTER(1));
  fluid_network_enter(network, far, 0, 1000, GUINT_TO_POINTER(2));
  ck_assert_double_eq_tol(fluid_route_rate(near), 750, 1e-9);
  ck_assert_double_eq_tol(fluid_route_rate(far), 250, 1e-9);
  assert_two_leave(network, 1, 2.0, 2, 2.5);
}
END_TEST

/* Max-min across links (a dogbone): a route over a 10 B/s and a 1 B/s link gets 1 B/s, its bottleneck's; the
 * route over the 10 B/s link alone gets the 9 left, not an equal 5. A route bounded at 2 B/s alone (its TCP
 * window) gets 2 and leaves the rest to the others. */
START_TEST(test_fluid_max_min_across_links)
{
  FluidNetwork *network = fluid_network_new();
  const guint links[] = {fluid_network_add_link(network, 10), fluid_network_add_link(network, 1)};
  FluidRoute *wan = fluid_network_add_route(network, links, NULL, 2, INFINITY, 1);
  FluidRoute *lan = fluid_network_add_route(network, links, NULL, 1, INFINITY, 1);
  FluidRoute *windowed = fluid_network_add_route(network, links, NULL, 1, 2, 1);
  fluid_network_enter(network, wan, 0, 1, NULL);
  fluid_network_enter(network, lan, 0, 9, NULL);
  ck_assert_double_eq_tol(fluid_route_rate(wan), 1, 1e-12);
  ck_assert_double_eq_tol(fluid_route_rate(lan), 9, 1e-12);
  ck_assert_double_eq_tol(fluid_network_next(network), 1, 1e-12);
  fluid_network_enter(network, windowed, 0, 100, NULL);
  ck_assert_double_eq_tol(fluid_route_rate(windowed), 2, 1e-12);
  ck_assert_double_eq_tol(fluid_route_rate(lan), 7, 1e-12);
  ck_assert_double_eq_tol(fluid_route_rate(wan), 1, 1e-12);
  fluid_network_free(network);
}
END_TEST

/* A late message slows the ones on the link: 1000 B alone at 100 B/s is due at 10 s; another of 200 B
 * entering at 4 s (600 B left) halves the rate: the late one leaves at 8 s, the first at 12 s. */
START_TEST(test_fluid_late_message_delays)
{
  guint link = 0;
  FluidNetwork *network = one_link_network(100, &link);
  FluidRoute *route = fluid_network_add_route(network, &link, NULL, 1, INFINITY, 1);
  fluid_network_enter(network, route, 0, 1000, GUINT_TO_POINTER(1));
  ck_assert_double_eq_tol(fluid_network_next(network), 10, 1e-12);
  fluid_network_enter(network, route, 4, 200, GUINT_TO_POINTER(2));
  assert_two_leave(network, 2, 8, 1, 12);
}
END_TEST

static Suite *models_suite(void)
{
  Suite *suite = suite_create("models");
  TCase *params = tcase_create("params");
  tcase_add_test(params, test_params_defaults);
  tcase_add_test(params, test_params_assign_and_copy);
  tcase_add_test(params, test_params_refused);
  tcase_add_test(params, test_params_unknown_key_lists_known);
  tcase_add_test(params, test_params_model_choices_come_from_the_catalog);
  tcase_add_test(params, test_params_namespaces_come_from_the_table);
  suite_add_tcase(suite, params);

  TCase *catalog = tcase_create("catalog");
  tcase_add_test(catalog, test_catalog_lists_every_kind_in_catalog_order);
  tcase_add_test(catalog, test_catalog_finds_each_model_by_name);
  tcase_add_test(catalog, test_catalog_unknown_name_lists_the_known_ones);
  tcase_add_test(catalog, test_catalog_header_is_the_first_member_of_every_kind);
  tcase_add_test(catalog, test_catalog_supplies_the_choosers_and_every_model_key);
  suite_add_tcase(suite, catalog);

  TCase *protocol = tcase_create("protocol");
  tcase_add_test(protocol, test_port_command_length_matches_text);
  tcase_add_test(protocol, test_port_argument_parse);
  tcase_add_test(protocol, test_ipv4_parse_format);
  suite_add_tcase(suite, protocol);

  TCase *as400 = tcase_create("as400");
  tcase_add_test(as400, test_as400_counts_by_step);
  tcase_add_test(as400, test_as400_wraps_to_configured_port);
  tcase_add_test(as400, test_as400_scope);
  tcase_add_test(as400, test_finders_refuse_unknown_names);
  suite_add_tcase(suite, as400);

  TCase *policies = tcase_create("nt351");
  tcase_add_test(policies, test_nt351sp2_rejects_below_1024);
  tcase_add_test(policies, test_nt351_accepts_every_port);
  suite_add_tcase(suite, policies);

  TCase *stats = tcase_create("stats");
  tcase_add_test(stats, test_session_stats_counts_before_first_accept);
  tcase_add_test(stats, test_session_outcomes);
  tcase_add_test(stats, test_run_stats_aggregate);
  tcase_add_test(stats, test_rng_streams_are_reproducible_and_distinct);
  tcase_add_test(stats, test_rng_is_pinned);
  suite_add_tcase(suite, stats);

  TCase *events = tcase_create("event_queue");
  tcase_add_test(events, test_event_queue_orders_by_time_then_push);
  tcase_add_test(events, test_event_queue_matches_stable_sort);
  tcase_add_test(events, test_event_queue_runs_equal_times_lane_after_lane);
  tcase_add_test(events, test_target_set_matches_a_plain_array);
  suite_add_tcase(suite, events);

  TCase *fluid = tcase_create("fluid_network");
  tcase_add_test(fluid, test_fluid_one_link_shares_equally);
  tcase_add_test(fluid, test_fluid_shares_by_penalty);
  tcase_add_test(fluid, test_fluid_max_min_across_links);
  tcase_add_test(fluid, test_fluid_late_message_delays);
  suite_add_tcase(suite, fluid);
  return suite;
}

int main(void)
{
  return check_main(models_suite);
}
