/* Server PORT policies: the exact reply (code and text) for ports 20, 21, 1023, 1024 and 65535,
 * naming the client's own address and a foreign one, and the knobs that change them. */
#include <check.h>
#include <string.h>
#include <stdarg.h>
#include <stdlib.h>

#include "catalog.h"
#include "check_main.h"
#include "params.h"
#include "server_policy.h"

#define OWN_ADDRESS 0x0a000001     /* 10.0.0.1: the control connection's peer */
#define FOREIGN_ADDRESS 0x0a000063 /* 10.0.0.99 */

typedef struct {
  guint16 port;
  guint32 address;
  guint16 code;
  const char *text;
} Expectation;

static ParamSet *params_for(const char *policy, ...)
{
  ParamSet *params = param_set_new();
  GError *error = NULL;
  ck_assert_msg(param_set_assign(params, "server.policy", policy, &error), "%s", error ? error->message : "");
  va_list args;
  va_start(args, policy);
  for (const char *assignment; (assignment = va_arg(args, const char *)) != NULL;)
    ck_assert_msg(param_set_assign_text(params, assignment, &error), "%s: %s", assignment, error ? error->message : "");
  va_end(args);
  return params;
}

static void check_replies(const ParamSet *params, const Expectation *expected, guint count)
{
  const char *name = param_set_string(params, "server.policy");
  const ServerPolicy *policy = server_policy_find(name, NULL);
  ck_assert_ptr_nonnull(policy);
  PortGate gate;
  GError *error = NULL;
  ck_assert_msg(port_gate_init(&gate, policy, params, &error), "%s", error ? error->message : "");
  for (guint i = 0; i < count; i++) {
    for (int extended = 0; extended <= 1; extended++) { /* EPRT follows the same rules as PORT */
      const PortRequest request = {
          .port = expected[i].port, .address = expected[i].address, .peer_address = OWN_ADDRESS, .extended = extended};
      FtpReply reply = port_gate_check(&gate, &request);
      ck_assert_msg(reply.code == expected[i].code, "%s port %u %s: code %u, expected %u", name,
                    (guint)expected[i].port, expected[i].address == OWN_ADDRESS ? "own" : "foreign", (guint)reply.code,
                    (guint)expected[i].code);
      ck_assert_str_eq(reply.text, expected[i].text);
    }
  }
  port_gate_clear(&gate);
}

#define OK_IIS "PORT command successful."
#define BAD_IIS "Invalid PORT Command."

START_TEST(iis4_replies)
{
  g_autoptr(ParamSet) params = params_for("iis4", NULL);
  const Expectation expected[] = {
      {20, OWN_ADDRESS, 200, OK_IIS},        {21, OWN_ADDRESS, 500, BAD_IIS},
      {1023, OWN_ADDRESS, 500, BAD_IIS},     {1024, OWN_ADDRESS, 200, OK_IIS},
      {65535, OWN_ADDRESS, 200, OK_IIS},     {20, FOREIGN_ADDRESS, 500, BAD_IIS},
      {21, FOREIGN_ADDRESS, 500, BAD_IIS},   {1023, FOREIGN_ADDRESS, 500, BAD_IIS},
      {1024, FOREIGN_ADDRESS, 500, BAD_IIS}, {65535, FOREIGN_ADDRESS, 500, BAD_IIS},
  };
  check_replies(params, expected, G_N_ELEMENTS(expected));
}
END_TEST

START_TEST(iis4_enable_port_attack_accepts_everything)
{
  g_autoptr(ParamSet) params = params_for("iis4", "server.enable_port_attack=1", NULL);
  const Expectation expected[] = {
      {20, OWN_ADDRESS, 200, OK_IIS},        {21, OWN_ADDRESS, 200, OK_IIS},       {1023, OWN_ADDRESS, 200, OK_IIS},
      {1024, OWN_ADDRESS, 200, OK_IIS},      {65535, OWN_ADDRESS, 200, OK_IIS},    {20, FOREIGN_ADDRESS, 200, OK_IIS},
      {21, FOREIGN_ADDRESS, 200, OK_IIS},    {1023, FOREIGN_ADDRESS, 200, OK_IIS}, {1024, FOREIGN_ADDRESS, 200, OK_IIS},
      {65535, FOREIGN_ADDRESS, 200, OK_IIS},
  };
  check_replies(params, expected, G_N_ELEMENTS(expected));
}
END_TEST

#define OK_RFC "Command okay."
#define BAD_504 "Command not implemented for that parameter."

START_TEST(rfc2577_replies_ignore_the_address)
{
  g_autoptr(ParamSet) params = params_for("rfc2577", NULL);
  const Expectation expected[] = {
      {20, OWN_ADDRESS, 504, BAD_504},      {21, OWN_ADDRESS, 504, BAD_504},
      {1023, OWN_ADDRESS, 504, BAD_504},    {1024, OWN_ADDRESS, 200, OK_RFC},
      {65535, OWN_ADDRESS, 200, OK_RFC},    {20, FOREIGN_ADDRESS, 504, BAD_504},
      {21, FOREIGN_ADDRESS, 504, BAD_504},  {1023, FOREIGN_ADDRESS, 504, BAD_504},
      {1024, FOREIGN_ADDRESS, 200, OK_RFC}, {65535, FOREIGN_ADDRESS, 200, OK_RFC},
  };
  check_replies(params, expected, G_N_ELEMENTS(expected));
}
END_TEST

#define BAD_500 "Syntax error, command unrecognized."
#define BAD_501 "Syntax error in parameters or arguments."

START_TEST(min_port_defaults_refuse_below_1024_with_500)
{
  g_autoptr(ParamSet) params = params_for("min-port", NULL);
  const Expectation expected[] = {
      {20, OWN_ADDRESS, 500, BAD_500},      {21, OWN_ADDRESS, 500, BAD_500},
      {1023, OWN_ADDRESS, 500, BAD_500},    {1024, OWN_ADDRESS, 200, OK_RFC},
      {65535, OWN_ADDRESS, 200, OK_RFC},    {20, FOREIGN_ADDRESS, 500, BAD_500},
      {21, FOREIGN_ADDRESS, 500, BAD_500},  {1023, FOREIGN_ADDRESS, 500, BAD_500},
      {1024, FOREIGN_ADDRESS, 200, OK_RFC}, {65535, FOREIGN_ADDRESS, 200, OK_RFC},
  };
  check_replies(params, expected, G_N_ELEMENTS(expected));
}
END_TEST

START_TEST(min_port_allow_list_and_reject_code)
{
  g_autoptr(ParamSet) params = params_for("min-port", "server.allow=20,6000-7000", "server.reject_code=504", NULL);
  const Expectation expected[] = {
      {20, OWN_ADDRESS, 200, OK_RFC},   {21, OWN_ADDRESS, 504, BAD_504},       {1023, OWN_ADDRESS, 504, BAD_504},
      {1024, OWN_ADDRESS, 200, OK_RFC}, {65535, FOREIGN_ADDRESS, 200, OK_RFC}, {20, FOREIGN_ADDRESS, 200, OK_RFC},
  };
  check_replies(params, expected, G_N_ELEMENTS(expected));

  g_autoptr(ParamSet) high =
      params_for("min-port", "server.min_port=7001", "server.allow=20,6000-7000", "server.reject_code=501", NULL);
  const Expectation expected_high[] = {
      {20, OWN_ADDRESS, 200, OK_RFC},    {21, OWN_ADDRESS, 501, BAD_501},   {1023, OWN_ADDRESS, 501, BAD_501},
      {1024, OWN_ADDRESS, 501, BAD_501}, {5999, OWN_ADDRESS, 501, BAD_501}, {6000, OWN_ADDRESS, 200, OK_RFC},
      {7000, OWN_ADDRESS, 200, OK_RFC},  {7001, OWN_ADDRESS, 200, OK_RFC},  {65535, OWN_ADDRESS, 200, OK_RFC},
  };
  check_replies(high, expected_high, G_N_ELEMENTS(expected_high));

  g_autoptr(ParamSet) everything = params_for("min-port", "server.min_port=1", NULL);
  const Expectation expected_all[] = {{1, FOREIGN_ADDRESS, 200, OK_RFC}, {20, OWN_ADDRESS, 200, OK_RFC}};
  check_replies(everything, expected_all, G_N_ELEMENTS(expected_all));
}
END_TEST

#define BAD_550 "Permission denied."

START_TEST(pasv_only_refuses_every_port)
{
  g_autoptr(ParamSet) params = params_for("pasv-only", NULL);
  const Expectation expected[] = {
      {20, OWN_ADDRESS, 550, BAD_550},       {21, OWN_ADDRESS, 550, BAD_550},
      {1023, OWN_ADDRESS, 550, BAD_550},     {1024, OWN_ADDRESS, 550, BAD_550},
      {65535, OWN_ADDRESS, 550, BAD_550},    {20, FOREIGN_ADDRESS, 550, BAD_550},
      {21, FOREIGN_ADDRESS, 550, BAD_550},   {1023, FOREIGN_ADDRESS, 550, BAD_550},
      {1024, FOREIGN_ADDRESS, 550, BAD_550}, {65535, FOREIGN_ADDRESS, 550, BAD_550},
  };
  check_replies(params, expected, G_N_ELEMENTS(expected));
}
END_TEST

START_TEST(catalog_knows_the_new_policies)
{
  const char *const names[] = {"iis4", "rfc2577", "min-port", "pasv-only"};
  for (guint i = 0; i < G_N_ELEMENTS(names); i++)
    ck_assert_str_eq(server_policy_find(names[i], NULL)->name, names[i]);
  GError *error = NULL;
  ck_assert_ptr_null(server_policy_find("iis6", &error));
  /* The list grows with every policy: check its form and that these names are in it. */
  ck_assert(g_str_has_prefix(error->message, "unknown server policy 'iis6' (known: nt351, nt351sp2, iis4, "));
  for (guint i = 0; i < G_N_ELEMENTS(names); i++)
    ck_assert_ptr_nonnull(strstr(error->message, names[i]));
  g_error_free(error);
}
END_TEST

/* client.data_after_reject=yes plays every policy's answer to a data command without a usable PORT: each
 * catalogued policy, with its default knobs, has one (a reply code, a 4xx/5xx or a 1xx it holds after), for a
 * privileged port and an ordinary one, so no policy added later sends the engine a reply without a code. */
START_TEST(every_policy_answers_a_data_command_without_a_port)
{
  const ModelInfo *const *models = catalog_models(MODEL_KIND_SERVER_POLICY);
  guint count = 0;
  for (guint i = 0; models[i] != NULL; i++, count++) {
    GError *error = NULL;
    const ServerPolicy *policy = server_policy_find(models[i]->name, &error);
    ck_assert_ptr_nonnull(policy);
    g_autoptr(ParamSet) params = param_set_new();
    PortGate gate;
    ck_assert_msg(port_gate_init(&gate, policy, params, &error), "%s", models[i]->name);
    for (guint16 port = 1000; port <= 5000; port += 4000) {
      const PortRequest request = {.port = port, .address = OWN_ADDRESS, .peer_address = OWN_ADDRESS};
      const DataCommandResult result =
          data_phase_data_command(port_gate_data_phase(&gate, &request), (FtpReply){0}, &(DataPath){0});
      const FtpReply reply = result.fate == SESSION_HELD ? result.preliminary : result.final;
      ck_assert_msg(reply.code >= 100 && reply.code < 600 && reply.text != NULL, "%s: no_port %u", models[i]->name,
                    (guint)reply.code);
      ck_assert_msg(result.fate == SESSION_HELD ? reply.code < 200 : reply.code >= 400, "%s", models[i]->name);
    }
    port_gate_clear(&gate);
  }
  ck_assert_uint_ge(count, 10);
}
END_TEST

/* ---- parameters ---- */

static void assert_canonical(const char *key, const char *value, const char *canonical)
{
  g_autoptr(ParamSet) params = param_set_new();
  GError *error = NULL;
  ck_assert_msg(param_set_assign(params, key, value, &error), "%s", error ? error->message : "");
  ck_assert_str_eq(param_set_string(params, key), canonical);
}

static void assert_rejected(const char *key, const char *value, const char *problem)
{
  g_autoptr(ParamSet) params = param_set_new();
  GError *error = NULL;
  ck_assert_msg(!param_set_assign(params, key, value, &error), "%s=%s was accepted", key, value);
  const ParamSpec *spec = params_find(key);
  g_autofree gchar *accepted = param_spec_accepted(spec);
  g_autofree gchar *message = g_strdup_printf("%s: '%s' %s (accepted: %s)", key, value, problem, accepted);
  ck_assert_str_eq(error->message, message);
  g_error_free(error);
}

START_TEST(allow_list_syntax)
{
  assert_canonical("server.allow", "none", "none");
  assert_canonical("server.allow", "20", "20");
  assert_canonical("server.allow", "20,6000-7000", "20,6000-7000");
  assert_canonical("server.allow", "20-20,1-65535", "20,1-65535");
  assert_canonical("server.allow", "00020", "20");
  assert_rejected("server.allow", "", "has an empty item");
  assert_rejected("server.allow", "20,", "has an empty item");
  assert_rejected("server.allow", ",20", "has an empty item");
  assert_rejected("server.allow", "20, 21", "has an item that is not a port 1..65535");
  assert_rejected("server.allow", "0", "has an item that is not a port 1..65535");
  assert_rejected("server.allow", "65536", "has an item that is not a port 1..65535");
  assert_rejected("server.allow", "123456", "has an item that is not a port 1..65535");
  assert_rejected("server.allow", "NONE", "has an item that is not a port 1..65535");
  assert_rejected("server.allow", "7000-6000", "has a range whose low end is above its high end");
  assert_rejected("server.allow", "1-2-3", "has a range whose ends are not ports 1..65535");
  assert_rejected("server.allow", "-5", "has a range whose ends are not ports 1..65535");
  GString *many = g_string_new("1");
  for (guint port = 2; port <= 65; port++)
    g_string_append_printf(many, ",%u", port);
  assert_rejected("server.allow", many->str, "has too many items");
  g_string_truncate(many, many->len - 3); /* 64 items are fine */
  assert_canonical("server.allow", many->str, many->str);
  g_string_free(many, TRUE);
}
END_TEST

START_TEST(new_server_keys_are_validated)
{
  g_autoptr(ParamSet) defaults = param_set_new();
  ck_assert_int_eq(param_set_int(defaults, "server.enable_port_attack"), 0);
  ck_assert_int_eq(param_set_int(defaults, "server.min_port"), 1024);
  ck_assert_str_eq(param_set_string(defaults, "server.allow"), "none");
  ck_assert_str_eq(param_set_string(defaults, "server.reject_code"), "500");

  /* The whole message, once spelled out, so the listing of accepted values is pinned too. */
  g_autoptr(ParamSet) params = param_set_new();
  GError *error = NULL;
  ck_assert(!param_set_assign(params, "server.allow", "x", &error));
  ck_assert_str_eq(error->message, "server.allow: 'x' has an item that is not a port 1..65535 (accepted: "
                                   "none|PORT[-PORT][,...] (ports 1..65535, up to 64 items, e.g. 20,6000-7000))");
  g_clear_error(&error);
  ck_assert(!param_set_assign(params, "server.reject_code", "502", &error));
  ck_assert_str_eq(error->message, "server.reject_code: '502' is not a known value (accepted: 500|501|504)");
  g_clear_error(&error);
  ck_assert(!param_set_assign(params, "server.enable_port_attack", "2", &error));
  ck_assert_str_eq(error->message, "server.enable_port_attack: '2' is out of range (accepted: 0..1)");
  g_clear_error(&error);
  ck_assert(!param_set_assign(params, "server.min_port", "0", &error));
  ck_assert_str_eq(error->message, "server.min_port: '0' is out of range (accepted: 1..65535)");
  g_clear_error(&error);
  ck_assert(!param_set_assign(params, "server.policy", "vsftpd-nope", &error));
  ck_assert(g_str_has_prefix(error->message, "server.policy: 'vsftpd-nope' is not a known value "
                                             "(accepted: nt351|nt351sp2|iis4|rfc2577|min-port|pasv-only|"));
  g_clear_error(&error);
}
END_TEST

/* min-port's data-phase knobs: the source port decides whether a 4-tuple in TIME_WAIT blocks the
 * connection; connecting before the reply turns a refused connection into the PORT's own 425. */
static ServerPrediction predict_min_port(const ParamSet *params, const DataPath *path)
{
  PortGate gate;
  ck_assert(port_gate_init(&gate, server_policy_find("min-port", NULL), params, NULL));
  const PortRequest request = {.port = 5000, .address = OWN_ADDRESS, .peer_address = OWN_ADDRESS};
  const ServerPrediction prediction = server_policy_predict(&gate, &request, path);
  port_gate_clear(&gate);
  return prediction;
}

START_TEST(min_port_data_source_and_connect_time)
{
  const DataPath busy = {.listening = TRUE, .reachable = TRUE, .port20_time_wait = TRUE};
  const DataPath deaf = {.listening = FALSE, .reachable = TRUE};
  g_autoptr(ParamSet) port20 = params_for("min-port", NULL);
  ServerPrediction p = predict_min_port(port20, &busy);
  ck_assert_int_eq(p.port_reply.code, 200);
  ck_assert_int_eq(p.data.final.code, 425);
  ck_assert_str_eq(p.data.final.text, "Can't open data connection.");
  ck_assert_int_eq(p.data.failure, DATA_FAILURE_TIME_WAIT);

  g_autoptr(ParamSet) ephemeral = params_for("min-port", "server.data_source=ephemeral", NULL);
  p = predict_min_port(ephemeral, &busy);
  ck_assert_int_eq(p.data.preliminary.code, 150);
  ck_assert_int_eq(p.data.final.code, 226);
  ck_assert_int_eq(p.data.failure, DATA_FAILURE_NONE);

  p = predict_min_port(port20, &deaf);
  ck_assert_int_eq(p.port_reply.code, 200); /* RFC 959: the PORT is accepted, the data command fails */
  ck_assert_int_eq(p.data.final.code, 425);
  ck_assert_int_eq(p.data.failure, DATA_FAILURE_REFUSED);

  g_autoptr(ParamSet) first = params_for("min-port", "server.connect=before-reply", NULL);
  p = predict_min_port(first, &deaf);
  ck_assert_int_eq(p.port_reply.code, 425);
  ck_assert_str_eq(p.port_reply.text, "Can't open data connection.");
  ck_assert_int_eq(p.port_failure, DATA_FAILURE_REFUSED);
  ck_assert_int_eq(p.data.final.code, 503); /* no usable PORT */
  const DataPath open = {.listening = TRUE, .reachable = TRUE};
  p = predict_min_port(first, &open);
  ck_assert_int_eq(p.port_reply.code, 200);
  ck_assert_int_eq(p.data.preliminary.code, 125);
  ck_assert_int_eq(p.data.final.code, 226);
  ck_assert_int_eq(p.data.fate, SESSION_SURVIVES);
}
END_TEST

static Suite *policies_suite(void)
{
  Suite *suite = suite_create("policies");
  TCase *replies = tcase_create("replies");
  tcase_add_test(replies, iis4_replies);
  tcase_add_test(replies, iis4_enable_port_attack_accepts_everything);
  tcase_add_test(replies, rfc2577_replies_ignore_the_address);
  tcase_add_test(replies, min_port_defaults_refuse_below_1024_with_500);
  tcase_add_test(replies, min_port_allow_list_and_reject_code);
  tcase_add_test(replies, min_port_data_source_and_connect_time);
  tcase_add_test(replies, pasv_only_refuses_every_port);
  tcase_add_test(replies, catalog_knows_the_new_policies);
  tcase_add_test(replies, every_policy_answers_a_data_command_without_a_port);
  suite_add_tcase(suite, replies);
  TCase *params = tcase_create("params");
  tcase_add_test(params, allow_list_syntax);
  tcase_add_test(params, new_server_keys_are_validated);
  suite_add_tcase(suite, params);
  return suite;
}

int main(void)
{
  return check_main(policies_suite);
}
