/* Middlebox models without SimGrid: the exact verdict, rewritten address and port of each PORT through
 * netfilter (NAT keeps or moves the port, none free drops, no expectation for a foreign address unless
 * loose), ASA inspect ftp with and without strict, the generic ALG's three actions, and chains in route
 * order (a box after a NAT sees the NAT's port and address). */
#include <check.h>
#include <stdarg.h>

#include "check_main.h"
#include "middlebox.h"
#include "params.h"

#define CLIENT 0xc0a8010au  /* 192.168.1.10 */
#define FOREIGN 0xc0a80163u /* 192.168.1.99 */
#define SERVER 0xc6336414u  /* 198.51.100.20 */
#define NAT 0xcb007101u     /* 203.0.113.1, middlebox.nat_address's default */

/* A box of model name with KEY=VALUE knobs, NULL-terminated. */
static Middlebox *box_new(const char *name, ...)
{
  g_autoptr(ParamSet) params = param_set_new();
  va_list args;
  va_start(args, name);
  GError *error = NULL;
  for (const char *assignment; (assignment = va_arg(args, const char *)) != NULL;)
    ck_assert_msg(param_set_assign_text(params, assignment, &error), "%s: %s", assignment, error->message);
  va_end(args);
  const MiddleboxModel *model = middlebox_model_find(name, NULL);
  ck_assert_ptr_nonnull(model);
  Middlebox *box = g_new0(Middlebox, 1);
  ck_assert(middlebox_init(box, model, params, NULL));
  return box;
}

static void box_free(Middlebox *box)
{
  middlebox_clear(box);
  g_free(box);
}

/* A PORT of connection naming address:port, from the client, at time now. */
static MiddleboxPort port_of(guint64 connection, guint32 address, guint16 port, double now)
{
  return (MiddleboxPort){.request = {.port = port, .address = address, .peer_address = CLIENT},
                         .server_address = SERVER,
                         .connection = connection,
                         .now = now};
}

static MiddleboxVerdict through(Middlebox *box, MiddleboxPort *port)
{
  Middlebox *boxes[] = {box};
  const MiddleboxChain chain = {boxes, 1};
  guint acted = 99;
  return middlebox_chain_port(&chain, port, &acted);
}

START_TEST(test_nat_keeps_a_free_port_and_moves_a_taken_one)
{
  Middlebox *nat = box_new("netfilter", "middlebox.nat=yes", NULL);
  MiddleboxPort first = port_of(1, CLIENT, 1000, 0);
  ck_assert_int_eq(through(nat, &first).action, MIDDLEBOX_PASS);
  ck_assert_uint_eq(first.request.address, NAT); /* the NAT's address */
  ck_assert_uint_eq(first.request.port, 1000);   /* "Try to get same port" */
  ck_assert_uint_eq(first.ports_moved, 0);
  ck_assert_uint_eq(first.destination, CLIENT);
  ck_assert(!first.no_expectation);
  ck_assert(!first.refused);
  /* Two more connections name 1000 while connection 1 expects it: nf_nat_exp_find_port's random draws in
   * [1000, 65535), here the hash of (connection, 1000, attempt 0): 1000 + draw % 64535. */
  MiddleboxPort second = port_of(2, CLIENT, 1000, 1);
  ck_assert_int_eq(through(nat, &second).action, MIDDLEBOX_PASS);
  ck_assert_uint_eq(second.request.port, 54634);
  ck_assert_uint_eq(second.ports_moved, 1);
  MiddleboxPort third = port_of(3, CLIENT, 1000, 2);
  through(nat, &third);
  ck_assert_uint_eq(third.request.port, 36939);
  ck_assert_uint_eq(third.ports_moved, 1);
  /* Connection 1's next PORT evicts its own expectation (max_expected 1): 1000 is free again. */
  MiddleboxPort again = port_of(1, CLIENT, 54634, 3);
  through(nat, &again);
  ck_assert_uint_ne(again.request.port, 54634); /* connection 2's */
  MiddleboxPort fourth = port_of(4, CLIENT, 1000, 4);
  through(nat, &fourth);
  ck_assert_uint_eq(fourth.request.port, 1000);
  ck_assert_uint_eq(fourth.ports_moved, 0);
  /* An expectation 300 s old has expired: connection 2's 54634 is free again. */
  MiddleboxPort late = port_of(6, CLIENT, 54634, 1 + 300);
  through(nat, &late);
  ck_assert_uint_eq(late.request.port, 54634);
  box_free(nat);
}
END_TEST

/* nf_conntrack_ftp keeps an expectation 5 minutes after its PORT, though its control connection ended; only
 * its data connection uses it up. Without NAT a later PORT naming the same address and port is dropped; with
 * NAT it is moved higher. */
START_TEST(test_expectation_outlives_its_connection)
{
  Middlebox *firewall = box_new("netfilter", NULL);
  MiddleboxPort a = port_of(1, CLIENT, 1000, 0);
  ck_assert_int_eq(through(firewall, &a).action, MIDDLEBOX_PASS);
  firewall->model->connection_closed(firewall->state, 1);
  MiddleboxPort b = port_of(2, CLIENT, 1000, 1);
  ck_assert_int_eq(through(firewall, &b).action, MIDDLEBOX_DROP); /* "cannot add expectation" */
  MiddleboxPort c = port_of(3, CLIENT, 1000, 299.999);
  ck_assert_int_eq(through(firewall, &c).action, MIDDLEBOX_DROP);
  MiddleboxPort d = port_of(4, CLIENT, 1000, 300); /* expired: 5 * 60 s after connection 1's PORT */
  ck_assert_int_eq(through(firewall, &d).action, MIDDLEBOX_PASS);
  /* Connection 4's data connection comes: its expectation is used up, so 1000 is free at once. */
  firewall->model->data_connected(firewall->state, 4);
  firewall->model->connection_closed(firewall->state, 4);
  MiddleboxPort e = port_of(5, CLIENT, 1000, 301);
  ck_assert_int_eq(through(firewall, &e).action, MIDDLEBOX_PASS);
  box_free(firewall);

  Middlebox *nat = box_new("netfilter", "middlebox.nat=yes", NULL);
  MiddleboxPort first = port_of(1, CLIENT, 1000, 0);
  through(nat, &first);
  nat->model->connection_closed(nat->state, 1);
  MiddleboxPort second = port_of(2, CLIENT, 1000, 1);
  ck_assert_int_eq(through(nat, &second).action, MIDDLEBOX_PASS);
  ck_assert_uint_eq(second.request.port, 54634); /* as in the test above: connection 2's first draw */
  ck_assert_uint_eq(second.ports_moved, 1);
  MiddleboxPort late = port_of(3, CLIENT, 1000, 300);
  through(nat, &late);
  ck_assert_uint_eq(late.request.port, 1000);
  ck_assert_uint_eq(late.ports_moved, 0);
  box_free(nat);
}
END_TEST

START_TEST(test_nat_with_no_free_port_drops_the_port_command)
{
  Middlebox *nat = box_new("netfilter", "middlebox.nat=yes", "middlebox.nat_ports=5000-5001", NULL);
  MiddleboxPort a = port_of(1, CLIENT, 1000, 0), b = port_of(2, CLIENT, 5001, 0), c = port_of(3, CLIENT, 1000, 0);
  ck_assert_int_eq(through(nat, &a).action, MIDDLEBOX_PASS);
  ck_assert_uint_eq(a.request.port, 5000); /* outside the range: its low end */
  ck_assert_int_eq(through(nat, &b).action, MIDDLEBOX_PASS);
  ck_assert_uint_eq(b.request.port, 5001);                   /* inside: kept */
  ck_assert_int_eq(through(nat, &c).action, MIDDLEBOX_DROP); /* "all ports in use" */
  box_free(nat);
  /* The kernel's search goes up to 65535 and stops there. */
  Middlebox *kernel = box_new("netfilter", "middlebox.nat=yes", NULL);
  MiddleboxPort top = port_of(1, CLIENT, 65535, 0), next = port_of(2, CLIENT, 65535, 0);
  ck_assert_int_eq(through(kernel, &top).action, MIDDLEBOX_PASS);
  ck_assert_int_eq(through(kernel, &next).action, MIDDLEBOX_DROP);
  box_free(kernel);
}
END_TEST

START_TEST(test_foreign_address_gets_no_expectation_unless_loose)
{
  for (int nat = 0; nat < 2; nat++) {
    Middlebox *strict = box_new("netfilter", nat ? "middlebox.nat=yes" : "middlebox.nat=no", NULL);
    MiddleboxPort port = port_of(1, FOREIGN, 2000, 0);
    ck_assert_int_eq(through(strict, &port).action, MIDDLEBOX_PASS); /* "NOT RECORDING": passed as is */
    ck_assert(port.no_expectation);
    ck_assert_uint_eq(port.request.address, FOREIGN); /* not NATed either */
    ck_assert_uint_eq(port.request.port, 2000);
    box_free(strict);

    Middlebox *loose = box_new("netfilter", nat ? "middlebox.nat=yes" : "middlebox.nat=no", "middlebox.loose=1", NULL);
    port = port_of(1, FOREIGN, 2000, 0);
    ck_assert_int_eq(through(loose, &port).action, MIDDLEBOX_PASS);
    ck_assert(!port.no_expectation);
    ck_assert_uint_eq(port.request.address, nat ? NAT : FOREIGN);
    ck_assert_uint_eq(port.destination, FOREIGN);
    /* nf_nat_ftp names the NAT's address, but the expectation is for the foreign one: refused at the NAT. */
    ck_assert(port.refused == nat);
    /* The expectation holds (FOREIGN, 2000): another foreign PORT 2000 clashes (dropped, or moved by the NAT),
     * while an own PORT 2000 (the NAT's or the client's address) is free. */
    MiddleboxPort other = port_of(2, FOREIGN, 2000, 1);
    ck_assert_int_eq(through(loose, &other).action, nat ? MIDDLEBOX_PASS : MIDDLEBOX_DROP);
    ck_assert_uint_eq(other.ports_moved, nat ? 1 : 0);
    MiddleboxPort own = port_of(3, CLIENT, 2000, 1);
    ck_assert_int_eq(through(loose, &own).action, MIDDLEBOX_PASS);
    ck_assert_uint_eq(own.request.port, 2000);
    ck_assert(!own.refused);
    box_free(loose);
  }
}
END_TEST

START_TEST(test_conntrack_without_nat_drops_a_clashing_expectation)
{
  Middlebox *firewall = box_new("netfilter", NULL);
  MiddleboxPort a = port_of(1, CLIENT, 3000, 0), b = port_of(2, CLIENT, 3000, 0), c = port_of(2, CLIENT, 3001, 0);
  ck_assert_int_eq(through(firewall, &a).action, MIDDLEBOX_PASS);
  ck_assert_uint_eq(a.request.address, CLIENT);
  ck_assert_int_eq(through(firewall, &b).action, MIDDLEBOX_DROP); /* "cannot add expectation" */
  ck_assert_int_eq(through(firewall, &c).action, MIDDLEBOX_PASS);
  box_free(firewall);
}
END_TEST

START_TEST(test_asa_strict_closes_below_1024_only)
{
  Middlebox *strict = box_new("asa", "middlebox.strict=1", NULL);
  Middlebox *plain = box_new("asa", NULL);
  const guint16 ports[] = {20, 1000, 1023, 1024, 65535};
  for (guint i = 0; i < G_N_ELEMENTS(ports); i++) {
    MiddleboxPort port = port_of(1, CLIENT, ports[i], 0);
    ck_assert_int_eq(through(strict, &port).action, ports[i] < 1024 ? MIDDLEBOX_CLOSE : MIDDLEBOX_PASS);
    port = port_of(1, CLIENT, ports[i], 0);
    ck_assert_int_eq(through(plain, &port).action, MIDDLEBOX_PASS);
    ck_assert_uint_eq(port.request.port, ports[i]);
  }
  box_free(strict);
  box_free(plain);
}
END_TEST

START_TEST(test_alg_rejects_drops_or_closes_outside_its_range)
{
  Middlebox *reject = box_new("alg", "middlebox.reject_code=504", NULL);
  MiddleboxPort low = port_of(1, CLIENT, 1023, 0), high = port_of(1, CLIENT, 1024, 0);
  MiddleboxVerdict verdict = through(reject, &low);
  ck_assert_int_eq(verdict.action, MIDDLEBOX_REJECT);
  ck_assert_uint_eq(verdict.reply.code, 504);
  ck_assert_str_eq(verdict.reply.text, "Command not implemented for that parameter.");
  ck_assert_int_eq(through(reject, &high).action, MIDDLEBOX_PASS);
  box_free(reject);
  Middlebox *drop = box_new("alg", "middlebox.action=drop", "middlebox.allow=20,6000-7000", NULL);
  MiddleboxPort p20 = port_of(1, CLIENT, 20, 0), p5000 = port_of(1, CLIENT, 5000, 0);
  ck_assert_int_eq(through(drop, &p20).action, MIDDLEBOX_PASS);
  ck_assert_int_eq(through(drop, &p5000).action, MIDDLEBOX_DROP);
  box_free(drop);
  Middlebox *close = box_new("alg", "middlebox.action=close", NULL);
  MiddleboxPort p1000 = port_of(1, CLIENT, 1000, 0);
  ck_assert_int_eq(through(close, &p1000).action, MIDDLEBOX_CLOSE);
  box_free(close);
}
END_TEST

/* Route order: the ASA after a NAT sees the NAT's port; the NAT's address is the source the boxes after it
 * (and the server) see, so a second conntrack finds the PORT's address its own. */
START_TEST(test_chain_passes_in_route_order)
{
  Middlebox *nat = box_new("netfilter", "middlebox.nat=yes", "middlebox.nat_ports=1000-1100", NULL);
  Middlebox *asa = box_new("asa", "middlebox.strict=1", NULL);
  Middlebox *firewall = box_new("netfilter", NULL);
  Middlebox *boxes[] = {nat, firewall, asa};
  const MiddleboxChain chain = {boxes, 3};
  MiddleboxPort port = port_of(1, CLIENT, 40000, 0); /* mapped to 1000 by the NAT, then closed by the ASA */
  guint acted = 99;
  ck_assert_int_eq(middlebox_chain_port(&chain, &port, &acted).action, MIDDLEBOX_CLOSE);
  ck_assert_uint_eq(acted, 2);
  ck_assert_uint_eq(port.request.port, 1000);
  ck_assert(!port.no_expectation);
  ck_assert_uint_eq(port.request.peer_address, NAT);
  ck_assert_uint_eq(middlebox_chain_source(&chain, CLIENT), NAT);
  /* The other order: the ASA sees 40000 and passes it. */
  Middlebox *reversed[] = {asa, nat, firewall};
  const MiddleboxChain other = {reversed, 3};
  MiddleboxPort again = port_of(2, CLIENT, 40000, 0);
  ck_assert_int_eq(middlebox_chain_port(&other, &again, &acted).action, MIDDLEBOX_PASS);
  ck_assert_uint_eq(again.request.port, 1001); /* 1000 is still connection 1's */
  ck_assert_uint_eq(again.request.address, NAT);
  box_free(nat);
  box_free(asa);
  box_free(firewall);
}
END_TEST

START_TEST(test_unknown_model_gets_the_nearest_name)
{
  g_autoptr(GError) error = NULL;
  ck_assert_ptr_null(middlebox_model_find("netfiltr", &error));
  ck_assert_str_eq(error->message,
                   "unknown middlebox 'netfiltr' (did you mean 'netfilter'? known: netfilter, asa, alg)");
  g_clear_error(&error);
  ck_assert_ptr_null(middlebox_model_find("pix", &error));
  ck_assert_str_eq(error->message, "unknown middlebox 'pix' (known: netfilter, asa, alg)");
}
END_TEST

START_TEST(test_knobs_are_validated)
{
  static const char *const bad[][2] = {
      {"middlebox.nat_address", "203.0.113"},
      {"middlebox.nat_ports", "1024-65535,1"},
      {"middlebox.nat_ports", "2000-1000"},
      {"middlebox.allow", "1024-"},
      {"middlebox.action", "reset"},
      {"middlebox.reject_code", "421"},
      {"middlebox.loose", "2"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(ParamSet) params = param_set_new();
    ck_assert_msg(!param_set_assign(params, bad[i][0], bad[i][1], NULL), "%s=%s", bad[i][0], bad[i][1]);
  }
  g_autoptr(ParamSet) params = param_set_new();
  ck_assert(param_set_assign(params, "middlebox.allow", "20,1024-65535", NULL));
  ck_assert_str_eq(param_set_string(params, "middlebox.allow"), "20,1024-65535");
  ck_assert_str_eq(param_set_string(params, "client.reply_timeout"), "60");
}
END_TEST

/* One parser for every port list (port_ranges.h): min-port's server.allow and the ALG's middlebox.allow read
 * and write them alike. */
START_TEST(test_port_lists_are_parsed_in_one_place)
{
  PortRanges ranges;
  ck_assert_ptr_null(port_ranges_parse("20,6000-7000", &ranges));
  ck_assert_uint_eq(ranges.count, 2);
  ck_assert_uint_eq(ranges.ranges[0].low, 20);
  ck_assert_uint_eq(ranges.ranges[0].high, 20);
  ck_assert_uint_eq(ranges.ranges[1].low, 6000);
  ck_assert_uint_eq(ranges.ranges[1].high, 7000);
  ck_assert(port_ranges_contain(&ranges, 20) && port_ranges_contain(&ranges, 6000) &&
            port_ranges_contain(&ranges, 7000));
  ck_assert(!port_ranges_contain(&ranges, 21) && !port_ranges_contain(&ranges, 5999) &&
            !port_ranges_contain(&ranges, 7001));
  ck_assert_ptr_null(port_ranges_parse("none", &ranges));
  ck_assert_uint_eq(ranges.count, 0);
  ck_assert_str_eq(port_ranges_parse("1,,2", &ranges), "has an empty item");
  ck_assert_str_eq(port_ranges_parse("0", &ranges), "has an item that is not a port 1..65535");
  ck_assert_str_eq(port_ranges_parse("9-65536", &ranges), "has a range whose ends are not ports 1..65535");
  ck_assert_str_eq(port_ranges_parse("9-8", &ranges), "has a range whose low end is above its high end");
  g_autoptr(GString) many = g_string_new("1");
  for (guint i = 2; i <= PORT_RANGES_MAX + 1; i++)
    g_string_append_printf(many, ",%u", i);
  ck_assert_str_eq(port_ranges_parse(many->str, &ranges), "has too many items");
  /* Both knobs give the same canonical text and refuse the same list. */
  g_autoptr(ParamSet) params = param_set_new();
  ck_assert(param_set_assign(params, "server.allow", "0020,6000-6000", NULL));
  ck_assert(param_set_assign(params, "middlebox.allow", "0020,6000-6000", NULL));
  ck_assert_str_eq(param_set_string(params, "server.allow"), "20,6000");
  ck_assert_str_eq(param_set_string(params, "middlebox.allow"), "20,6000");
  ck_assert(!param_set_assign(params, "server.allow", "9-8", NULL));
  ck_assert(!param_set_assign(params, "middlebox.allow", "9-8", NULL));
}
END_TEST

static Suite *middleboxes_suite(void)
{
  Suite *suite = suite_create("middleboxes");
  TCase *models = tcase_create("models");
  tcase_add_test(models, test_nat_keeps_a_free_port_and_moves_a_taken_one);
  tcase_add_test(models, test_nat_with_no_free_port_drops_the_port_command);
  tcase_add_test(models, test_expectation_outlives_its_connection);
  tcase_add_test(models, test_port_lists_are_parsed_in_one_place);
  tcase_add_test(models, test_foreign_address_gets_no_expectation_unless_loose);
  tcase_add_test(models, test_conntrack_without_nat_drops_a_clashing_expectation);
  tcase_add_test(models, test_asa_strict_closes_below_1024_only);
  tcase_add_test(models, test_alg_rejects_drops_or_closes_outside_its_range);
  tcase_add_test(models, test_chain_passes_in_route_order);
  tcase_add_test(models, test_unknown_model_gets_the_nearest_name);
  tcase_add_test(models, test_knobs_are_validated);
  suite_add_tcase(suite, models);
  return suite;
}

int main(void)
{
  return check_main(middleboxes_suite);
}
