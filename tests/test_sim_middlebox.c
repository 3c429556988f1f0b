/* Middleboxes in the simulator: each test runs the ftpsim binary on a platform whose route carries a
 * middlebox and checks exact counts, replies and times: a strict ASA ends the AS/400's session at its
 * first PORT (1 PORT, 0 transfers, at the closed-form time) where a plain one lets the server reject 24;
 * an ALG's reject code reaches the client and the server never sees the PORT (its disconnect reaction
 * never fires); a dropped PORT ends the session client.reply_timeout after it left; netfilter keeps or
 * moves the NAT's port, and without loose blocks the data connection of a PORT naming a foreign address. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "sim_harness.h"

#define LATENCY 0.010  /* the link's, "10ms" */
#define BANDWIDTH 1e6  /* "1MBps" */
#define REJECTION 27.0 /* "500 Invalid PORT Command.\r\n" (nt351sp2), without its 40 bytes of TCP/IP headers */
#define PORT_1000 65.0 /* "PORT 192,168,1,10,3,232\r\n" and 40 bytes of TCP/IP headers */

/* A client (192.168.1.10) and a server joined by the link "edge"; extra <prop>s on each, and extra elements
 * (more links) before the route. */
static gchar *write_platform_with(const char *dir, const char *client_props, const char *edge_props,
                                  const char *server_props, const char *extra)
{
  g_autofree gchar *xml =
      g_strdup_printf("<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
                      "<platform version=\"4.1\"><zone id=\"z\" routing=\"Full\">\n"
                      "<host id=\"client\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"client\"/>"
                      "<prop id=\"ftpsim.address\" value=\"192.168.1.10\"/>%s</host>\n"
                      "<host id=\"server\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"server\"/>"
                      "<prop id=\"ftpsim.address\" value=\"198.51.100.20\"/>%s</host>\n"
                      "<link id=\"edge\" bandwidth=\"1MBps\" latency=\"10ms\">%s</link>\n%s"
                      "<route src=\"client\" dst=\"server\"><link_ctn id=\"edge\"/></route>\n"
                      "</zone></platform>\n",
                      client_props ? client_props : "", server_props ? server_props : "", edge_props ? edge_props : "",
                      extra ? extra : "");
  return harness_write_file(dir, "p.xml", xml);
}

static gchar *write_platform(const char *dir, const char *client_props, const char *edge_props,
                             const char *server_props)
{
  return write_platform_with(dir, client_props, edge_props, server_props, NULL);
}

#define PROP(key, value) "<prop id=\"" key "\" value=\"" value "\"/>"
#define CM02 "--cfg=network/model:CM02", "--cfg=network/crosstraffic:0"

/* ftpsim run PLATFORM --trace ARGS; sessions.csv, and commands.csv in *trace. */
static Csv *run_traced(Fixture *fixture, const char *platform, const char *const *args, Csv **trace)
{
  GPtrArray *all = g_ptr_array_new();
  g_ptr_array_add(all, (gpointer) "--trace");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add(all, (gpointer)args[i]);
  g_ptr_array_add(all, NULL);
  Csv *sessions = run_sessions(fixture, platform, (const char *const *)all->pdata);
  g_ptr_array_free(all, TRUE);
  g_autofree gchar *path = g_build_filename(fixture->out, "commands.csv", NULL);
  *trace = harness_read_csv(path);
  return sessions;
}

START_TEST(test_strict_asa_ends_the_as400_session_at_its_first_port)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *strict = write_platform(fixture.dir, NULL, PROP("ftpsim.middlebox", "asa"), NULL);
  const char *args[] = {"--set", "middlebox.strict=1", CM02, NULL};
  Csv *trace = NULL;
  g_autoptr(Csv) ended = run_traced(&fixture, strict, args, &trace);
  ck_assert_int_eq(harness_int(ended, 0, "commands"), 1);
  ck_assert_int_eq(harness_int(ended, 0, "transfers"), 0);
  ck_assert_int_eq(harness_int(ended, 0, "rejected"), 0);
  ck_assert_int_eq(harness_int(ended, 0, "data_commands"), 1);
  ck_assert_int_eq(harness_int(ended, 0, "failed_commands"), 1);
  ck_assert_str_eq(harness_field(ended, 0, "outcome"), "ended_by_middlebox");
  ck_assert_str_eq(harness_field(ended, 0, "middlebox_end"), "edge");
  ck_assert_uint_eq(trace->rows->len, 1);
  ck_assert_str_eq(harness_field(trace, 0, "command"), "PORT");
  ck_assert_str_eq(harness_field(trace, 0, "port"), "1000");
  ck_assert_str_eq(harness_field(trace, 0, "reply_code"), ""); /* no reply reaches the client */
  ck_assert_str_eq(harness_field(trace, 0, "failure"), "middlebox_closed");
  const double end = harness_double(ended, 0, "end_time");
  harness_csv_free(trace);

  /* Without strict, the server rejects 1000..1023: the KB's 24, then 6 transfers. */
  const char *plain_args[] = {CM02, NULL};
  g_autoptr(Csv) plain = run_traced(&fixture, strict, plain_args, &trace);
  ck_assert_int_eq(harness_int(plain, 0, "commands"), 30);
  ck_assert_int_eq(harness_int(plain, 0, "rejected"), 24);
  ck_assert_int_eq(harness_int(plain, 0, "rejected_before_first_accept"), 24);
  ck_assert_int_eq(harness_int(plain, 0, "transfers"), 6);
  ck_assert_int_eq(harness_int(plain, 0, "middlebox_rejected"), 0);
  ck_assert_str_eq(harness_field(plain, 0, "outcome"), "partial");
  ck_assert_str_eq(harness_field(plain, 0, "middlebox_end"), "");
  /* The teardown (a segment of 40 bytes of headers) reaches the client as the rejection did, less its text. */
  ck_assert_double_eq_tol(end, harness_double(trace, 0, "time") - REJECTION / BANDWIDTH, 1e-9);
  harness_csv_free(trace);
  fixture_clear(&fixture);
}
END_TEST

/* The ALG refuses 1000..1023 itself: the client reads its 504, the server's disconnect reaction (after 5
 * rejections) never fires since the server never sees those PORTs. Without the ALG it does. */
START_TEST(test_alg_reject_code_reaches_the_client_and_not_the_server)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *platform =
      write_platform(fixture.dir, NULL, PROP("ftpsim.middlebox", "alg") PROP("middlebox.reject_code", "504"),
                     PROP("server.reaction", "disconnect"));
  const char *args[] = {NULL};
  Csv *trace = NULL;
  g_autoptr(Csv) sessions = run_traced(&fixture, platform, args, &trace);
  ck_assert_int_eq(harness_int(sessions, 0, "commands"), 30);
  ck_assert_int_eq(harness_int(sessions, 0, "rejected"), 24);
  ck_assert_int_eq(harness_int(sessions, 0, "middlebox_rejected"), 24);
  ck_assert_int_eq(harness_int(sessions, 0, "transfers"), 6);
  ck_assert_str_eq(harness_field(sessions, 0, "outcome"), "partial");
  ck_assert_str_eq(harness_field(trace, 0, "reply_code"), "504");
  ck_assert_str_eq(harness_field(trace, 0, "reply_text"), "Command not implemented for that parameter.");
  harness_csv_free(trace);

  g_autofree gchar *bare = write_platform(fixture.dir, NULL, NULL, PROP("server.reaction", "disconnect"));
  g_autoptr(Csv) without = run_sessions(&fixture, bare, args);
  ck_assert_str_eq(harness_field(without, 0, "outcome"), "disconnected");
  ck_assert_int_eq(harness_int(without, 0, "commands"), 5);
  fixture_clear(&fixture);
}
END_TEST

/* A dropped PORT: no reply; the client gives up client.reply_timeout after its PORT left. */
START_TEST(test_dropped_port_ends_the_session_after_the_client_timeout)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *platform = write_platform(fixture.dir, PROP("client.reply_timeout", "7"),
                                              PROP("ftpsim.middlebox", "alg") PROP("middlebox.action", "drop"), NULL);
  const char *args[] = {CM02, NULL};
  Csv *trace = NULL;
  g_autoptr(Csv) sessions = run_traced(&fixture, platform, args, &trace);
  ck_assert_int_eq(harness_int(sessions, 0, "commands"), 1);
  ck_assert_int_eq(harness_int(sessions, 0, "middlebox_dropped"), 1);
  ck_assert_int_eq(harness_int(sessions, 0, "transfers"), 0);
  ck_assert_str_eq(harness_field(sessions, 0, "outcome"), "ended_by_middlebox");
  ck_assert_str_eq(harness_field(trace, 0, "failure"), "middlebox_dropped");
  const double end = harness_double(sessions, 0, "end_time");
  harness_csv_free(trace);
  /* The PORT left 2 latencies and its own and the rejection's bytes before the plain run's reply came. */
  g_autofree gchar *bare = write_platform(fixture.dir, NULL, NULL, NULL);
  g_autoptr(Csv) plain = run_traced(&fixture, bare, args, &trace);
  const double sent = harness_double(trace, 0, "time") - 2 * LATENCY - (PORT_1000 + REJECTION + 40) / BANDWIDTH;
  ck_assert_double_eq_tol(end, sent + 7, 1e-9);
  harness_csv_free(trace);
  fixture_clear(&fixture);
}
END_TEST

/* A PORT naming an address other than the client's (advertised 192.168.1.99): nf_conntrack_ftp records no
 * expectation, the firewall drops the data connection; loose=1 records one, and the connection then goes
 * as far as the address answers (network.third_party). nt351sp2 does not check the address. */
static void check_foreign(const char *loose, const char *third_party, gint64 transfers, gint64 blocked)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *platform = write_platform(fixture.dir, PROP("ftpsim.advertised_address", "192.168.1.99"),
                                              PROP("ftpsim.middlebox", "netfilter") PROP("middlebox.loose", "0"), NULL);
  g_autofree gchar *set_loose = g_strdup_printf("middlebox.loose=%s", loose);
  g_autofree gchar *set_third = g_strdup_printf("network.third_party=%s", third_party);
  const char *args[] = {
      "--set", "client.start_port=1024", "--set", "session.commands=3", "--set", set_loose, "--set", set_third, NULL};
  g_autoptr(Csv) sessions = run_sessions(&fixture, platform, args);
  ck_assert_int_eq(harness_int(sessions, 0, "rejected"), 0);
  ck_assert_int_eq(harness_int(sessions, 0, "transfers"), transfers);
  ck_assert_int_eq(harness_int(sessions, 0, "unreachable_failures"), 3 - transfers);
  ck_assert_int_eq(harness_int(sessions, 0, "middlebox_data_blocked"), blocked);
  fixture_clear(&fixture);
}

START_TEST(test_netfilter_without_loose_blocks_a_foreign_address)
{
  check_foreign("0", "unreachable", 0, 3);
  check_foreign("0", "reachable", 0, 3); /* the third party listens, the firewall drops it anyway */
  check_foreign("1", "unreachable", 0, 0);
  check_foreign("1", "reachable", 3, 0);
}
END_TEST

/* A data connection the firewall drops costs the server its connect timeout, as an unanswered address does:
 * 3 data commands, 3 x server.connect_timeout (127 s, Linux's SYN retries) later than with no timeout. */
static double blocked_session_end(const char *connect_timeout)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *platform = write_platform(fixture.dir, PROP("ftpsim.advertised_address", "192.168.1.99"),
                                              PROP("ftpsim.middlebox", "netfilter"), NULL);
  g_autofree gchar *timeout = g_strdup_printf("server.connect_timeout=%s", connect_timeout);
  const char *args[] = {"--set", "client.start_port=1024",
                        "--set", "session.commands=3",
                        "--set", "network.third_party=reachable",
                        "--set", timeout,
                        CM02,    NULL};
  g_autoptr(Csv) sessions = run_sessions(&fixture, platform, args);
  ck_assert_int_eq(harness_int(sessions, 0, "middlebox_data_blocked"), 3);
  const double end = harness_double(sessions, 0, "end_time");
  fixture_clear(&fixture);
  return end;
}

START_TEST(test_blocked_data_connection_costs_the_connect_timeout)
{
  ck_assert_double_eq_tol(blocked_session_end("127") - blocked_session_end("0"), 3 * 127, 1e-6);
}
END_TEST

/* Behind nf_nat_ftp, vsftpd sees the NAT's address as both the PORT's and the control connection's source,
 * and accepts; a PORT naming a foreign address without loose is "NOT RECORDING": not rewritten either, so
 * vsftpd refuses it as a foreign address (500 Illegal PORT command.). With loose=1 the PORT is rewritten
 * (accepted) but the expectation keeps the foreign address: the server's connection to the NAT's address
 * matches none and the router refuses it, so each NLST gets vsftpd's 425 (measured on Linux 6.18). */
static void check_nat_foreign(const char *loose, gint64 rejected, gint64 refused)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *platform = write_platform(fixture.dir, PROP("ftpsim.advertised_address", "192.168.1.99"),
                                              PROP("ftpsim.middlebox", "netfilter") PROP("middlebox.nat", "yes"),
                                              PROP("server.policy", "vsftpd"));
  g_autofree gchar *set_loose = g_strdup_printf("middlebox.loose=%s", loose);
  const char *args[] = {"--set", "client.start_port=1024",        "--set", "session.commands=3", "--set", set_loose,
                        "--set", "network.third_party=reachable", NULL};
  Csv *trace = NULL;
  g_autoptr(Csv) sessions = run_traced(&fixture, platform, args, &trace);
  ck_assert_int_eq(harness_int(sessions, 0, "rejected"), rejected);
  ck_assert_int_eq(harness_int(sessions, 0, "refused_failures"), refused);
  ck_assert_int_eq(harness_int(sessions, 0, "transfers"), 3 - rejected - refused);
  if (refused > 0) {
    ck_assert_str_eq(harness_field(trace, 0, "reply_code"), "200");
    ck_assert_str_eq(harness_field(trace, 1, "reply_code"), "425");
    ck_assert_str_eq(harness_field(trace, 1, "reply_text"), "Failed to establish connection.");
  }
  harness_csv_free(trace);
  fixture_clear(&fixture);
}

START_TEST(test_nat_rewrites_the_port_command_it_expects)
{
  check_nat_foreign("1", 0, 3);
  check_nat_foreign("0", 3, 0);
}
END_TEST

/* Two sessions from one client naming the same port, `interval` s apart, to vsftpd (which refuses 1000 and
 * so never connects): the first one's expectation outlives its session for 300 s. */
static Csv *run_twice_on(Fixture *fixture, const char *port, const char *nat, const char *interval, Csv **trace)
{
  g_autofree gchar *edge = g_strdup_printf(PROP("ftpsim.middlebox", "netfilter") PROP("middlebox.nat", "%s"), nat);
  g_autofree gchar *path =
      write_platform(fixture->dir, PROP("client.reply_timeout", "7"), edge, PROP("server.policy", "vsftpd"));
  g_autofree gchar *set_interval = g_strdup_printf("workload.interval=%s", interval);
  g_autofree gchar *set_port = g_strdup_printf("client.port=%s", port);
  const char *args[] = {"--set", "client.model=fixed",
                        "--set", set_port,
                        "--set", "session.commands=1",
                        "--set", "client.sessions=2",
                        "--set", "workload.arrival=interval",
                        "--set", set_interval,
                        CM02,    NULL};
  return run_traced(fixture, path, args, trace);
}

static Csv *run_twice(Fixture *fixture, const char *nat, const char *interval, Csv **trace)
{
  return run_twice_on(fixture, "1000", nat, interval, trace);
}

START_TEST(test_expectation_outlives_its_session)
{
  Fixture fixture = fixture_new();
  Csv *trace = NULL;
  /* No NAT: the second PORT clashes ("cannot add expectation"), is dropped, and the client gives up 7 s after
   * sending it; its own PORT's round trip is the first's. */
  g_autoptr(Csv) clash = run_twice(&fixture, "no", "1", &trace);
  ck_assert_uint_eq(clash->rows->len, 2);
  ck_assert_int_eq(harness_int(clash, 0, "rejected"), 1);
  ck_assert_int_eq(harness_int(clash, 0, "middlebox_dropped"), 0);
  ck_assert_int_eq(harness_int(clash, 1, "middlebox_dropped"), 1);
  ck_assert_str_eq(harness_field(clash, 1, "outcome"), "ended_by_middlebox");
  ck_assert_uint_eq(trace->rows->len, 2);
  ck_assert_str_eq(harness_field(trace, 0, "reply_code"), "500");
  ck_assert_str_eq(harness_field(trace, 1, "reply_code"), "");
  ck_assert_str_eq(harness_field(trace, 1, "failure"), "middlebox_dropped");
  /* The first PORT left 2 latencies and its own, the rejection's and a header's bytes before its reply. */
  const double sent = harness_double(trace, 0, "time") - harness_double(clash, 0, "start_time") - 2 * LATENCY -
                      (PORT_1000 + REJECTION + 40) / BANDWIDTH;
  ck_assert_double_eq_tol(harness_double(clash, 1, "end_time") - harness_double(clash, 1, "start_time"), sent + 7,
                          1e-9);
  harness_csv_free(trace);
  /* 300 s later the expectation has expired: vsftpd refuses the second PORT itself. */
  g_autoptr(Csv) expired = run_twice(&fixture, "no", "301", &trace);
  ck_assert_int_eq(harness_int(expired, 1, "middlebox_dropped"), 0);
  ck_assert_int_eq(harness_int(expired, 1, "rejected"), 1);
  harness_csv_free(trace);
  g_autoptr(Csv) still = run_twice(&fixture, "no", "299", &trace);
  ck_assert_int_eq(harness_int(still, 1, "middlebox_dropped"), 1);
  harness_csv_free(trace);
  /* PORT 5000, which vsftpd accepts: the first session's data connection uses its expectation up, so the
   * second session's PORT 5000 passes a second later. */
  g_autoptr(Csv) used = run_twice_on(&fixture, "5000", "no", "1", &trace);
  ck_assert_int_eq(harness_int(used, 0, "transfers"), 1);
  ck_assert_int_eq(harness_int(used, 1, "middlebox_dropped"), 0);
  ck_assert_int_eq(harness_int(used, 1, "transfers"), 1);
  harness_csv_free(trace);
  /* NAT: the second PORT is moved higher (connection 2's first draw, 54634), which vsftpd accepts, and the
   * data connection is mapped back to the client's port 1000. */
  g_autoptr(Csv) moved = run_twice(&fixture, "yes", "1", &trace);
  ck_assert_int_eq(harness_int(moved, 0, "rejected"), 1);
  ck_assert_int_eq(harness_int(moved, 0, "nat_port_moves"), 0);
  ck_assert_int_eq(harness_int(moved, 1, "nat_port_moves"), 1);
  ck_assert_int_eq(harness_int(moved, 1, "rejected"), 0);
  ck_assert_int_eq(harness_int(moved, 1, "transfers"), 1);
  harness_csv_free(trace);
  fixture_clear(&fixture);
}
END_TEST

/* Two hosts behind one NAT, each naming port 5000 for 3 commands at the same instants: in each round one
 * PORT keeps 5000 and the other is moved to 5001; vsftpd accepts both (the PORT names the NAT's address,
 * which is the control connection's source it sees). One host alone keeps its port every time. */
static Csv *run_behind_nat(Fixture *fixture, const char *b_sessions)
{
  g_autofree gchar *xml = g_strdup_printf(
      "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
      "<platform version=\"4.1\"><zone id=\"z\" routing=\"Full\">\n"
      "<host id=\"a\" speed=\"1Gf\">" PROP("ftpsim.role", "client") PROP(
          "ftpsim.address",
          "192.168.1.10") "</host>\n"
                          "<host id=\"b\" speed=\"1Gf\">" PROP("ftpsim.role", "client") PROP("ftpsim.address",
                                                                                             "192.168.1.11")
                              PROP("client.sessions",
                                   "%s") "</host>\n"
                                         "<host id=\"s\" speed=\"1Gf\">" PROP("ftpsim.role", "server") PROP(
                                             "server.policy",
                                             "vsftpd") "</host>\n"
                                                       "<link id=\"la\" bandwidth=\"1MBps\" latency=\"1ms\"/><link "
                                                       "id=\"lb\" bandwidth=\"1MBps\" latency=\"1ms\"/>\n"
                                                       "<link id=\"nat\" bandwidth=\"10MBps\" latency=\"5ms\">" PROP(
                                                           "ftpsim.middlebox", "netfilter")
                                                           PROP("middlebox.nat",
                                                                "yes") "</link>\n"
                                                                       "<route src=\"a\" dst=\"s\"><link_ctn "
                                                                       "id=\"la\"/><link_ctn id=\"nat\"/></route>\n"
                                                                       "<route src=\"b\" dst=\"s\"><link_ctn "
                                                                       "id=\"lb\"/><link_ctn id=\"nat\"/></route>\n"
                                                                       "</zone></platform>\n",
      b_sessions);
  g_autofree gchar *platform = harness_write_file(fixture->dir, "nat.xml", xml);
  const char *args[] = {"--set", "client.model=fixed", "--set", "client.port=5000",
                        "--set", "session.commands=3", NULL};
  return run_sessions(fixture, platform, args);
}

START_TEST(test_nat_keeps_a_free_port_and_moves_a_taken_one)
{
  Fixture fixture = fixture_new();
  g_autoptr(Csv) both = run_behind_nat(&fixture, "1");
  ck_assert_uint_eq(both->rows->len, 2);
  ck_assert_int_eq(harness_int(both, 0, "nat_port_moves") + harness_int(both, 1, "nat_port_moves"), 3);
  for (guint i = 0; i < 2; i++) {
    ck_assert_int_eq(harness_int(both, i, "rejected"), 0);
    ck_assert_int_eq(harness_int(both, i, "transfers"), 3);
  }
  g_autoptr(Csv) alone = run_behind_nat(&fixture, "0");
  ck_assert_uint_eq(alone->rows->len, 1);
  ck_assert_int_eq(harness_int(alone, 0, "nat_port_moves"), 0);
  ck_assert_int_eq(harness_int(alone, 0, "transfers"), 3);
  fixture_clear(&fixture);
}
END_TEST

/* The client's and the server's hosts are the route's ends: a box there acts; a box on a link that is on no
 * session's route changes nothing, byte for byte. */
START_TEST(test_boxes_act_on_the_route_only)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *on_server =
      write_platform(fixture.dir, NULL, NULL, PROP("ftpsim.middlebox", "asa") PROP("middlebox.strict", "1"));
  const char *args[] = {NULL};
  g_autoptr(Csv) ended = run_sessions(&fixture, on_server, args);
  ck_assert_str_eq(harness_field(ended, 0, "outcome"), "ended_by_middlebox");
  ck_assert_str_eq(harness_field(ended, 0, "middlebox_end"), "server");

  g_autofree gchar *bare = write_platform(fixture.dir, NULL, NULL, NULL);
  g_autoptr(Csv) plain = run_sessions(&fixture, bare, args);
  g_autofree gchar *expected = harness_read_text(fixture.out, "sessions.csv");
  g_autofree gchar *off_route =
      write_platform_with(fixture.dir, NULL, NULL, NULL,
                          "<link id=\"spare\" bandwidth=\"1MBps\" latency=\"1ms\">" PROP("ftpsim.middlebox", "asa")
                              PROP("middlebox.strict", "1") "</link>\n");
  g_autoptr(Csv) unchanged = run_sessions(&fixture, off_route, args);
  g_autofree gchar *text = harness_read_text(fixture.out, "sessions.csv");
  ck_assert_str_eq(text, expected);
  ck_assert_str_eq(harness_field(unchanged, 0, "outcome"), "partial");
  fixture_clear(&fixture);
}
END_TEST

static int compare_lines(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The event loop plays middleboxes as the actors do. */
START_TEST(test_event_loop_gives_the_same_sessions)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *platform = write_platform(
      fixture.dir, PROP("client.reply_timeout", "3"),
      PROP("ftpsim.middlebox", "alg") PROP("middlebox.action", "drop") PROP("middlebox.allow", "1010-65535"), NULL);
  const char *actors[] = {"--set", "network.control=uncongested", "--set", "client.sessions=3", NULL};
  const char *loop[] = {"--set", "network.control=uncongested", "--set", "client.sessions=3",
                        "--set", "engine.sessions=event-loop",  NULL};
  g_autoptr(Csv) a = run_sessions(&fixture, platform, actors);
  g_autofree gchar *first = harness_read_text(fixture.out, "sessions.csv");
  g_autoptr(Csv) b = run_sessions(&fixture, platform, loop);
  g_autofree gchar *second = harness_read_text(fixture.out, "sessions.csv");
  /* Sessions ending at one instant may be written in another order (README): compare the rows sorted. */
  g_auto(GStrv) first_rows = g_strsplit(first, "\n", -1), second_rows = g_strsplit(second, "\n", -1);
  qsort(first_rows, g_strv_length(first_rows), sizeof(gchar *), compare_lines);
  qsort(second_rows, g_strv_length(second_rows), sizeof(gchar *), compare_lines);
  g_autofree gchar *first_sorted = g_strjoinv("\n", first_rows), *second_sorted = g_strjoinv("\n", second_rows);
  ck_assert_str_eq(first_sorted, second_sorted);
  ck_assert_str_eq(harness_field(a, 0, "outcome"), "ended_by_middlebox");
  ck_assert_int_eq(harness_int(a, 0, "middlebox_dropped"), 1);
  fixture_clear(&fixture);
}
END_TEST

/* A mistake about a middlebox is one line naming the element, with the nearest name, and no output. */
START_TEST(test_bad_middlebox_is_one_line)
{
  static const struct {
    const char *edge_props;
    const char *message;
  } cases[] = {
      {PROP("ftpsim.middlebox", "netfiltr"), "p.xml: line 6: link 'edge': ftpsim.middlebox: unknown middlebox "
                                             "'netfiltr' (did you mean 'netfilter'? known: netfilter, asa, alg)\n"},
      {PROP("ftpsim.middlebox", "alg") PROP("middlebox.action", "rst"),
       "p.xml: line 6: link 'edge': middlebox.action: 'rst' is not a known value (accepted: reject|drop|close)\n"},
      {PROP("ftpsim.middlbox", "asa"), "p.xml: line 6: link 'edge': unknown property 'ftpsim.middlbox' (known: "
                                       "ftpsim.middlebox)\n"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    Fixture fixture = fixture_new();
    g_autofree gchar *platform = write_platform(fixture.dir, NULL, cases[i].edge_props, NULL);
    const char *argv[] = {"run", platform, "--out", fixture.out, NULL};
    RunResult result = harness_run(fixture.dir, argv);
    ck_assert_int_eq(result.status, 2);
    ck_assert_msg(strstr(result.err, cases[i].message) != NULL, "%s", result.err);
    ck_assert_int_eq((int)(strchr(result.err, '\n') - result.err), (int)strlen(result.err) - 1); /* one line */
    ck_assert(!g_file_test(fixture.out, G_FILE_TEST_EXISTS));
    harness_result_clear(&result);
    fixture_clear(&fixture);
  }
}
END_TEST

static Suite *sim_middlebox_suite(void)
{
  Suite *suite = suite_create("sim_middlebox");
  TCase *runs = tcase_create("runs");
  tcase_set_timeout(runs, 60);
  tcase_add_test(runs, test_strict_asa_ends_the_as400_session_at_its_first_port);
  tcase_add_test(runs, test_alg_reject_code_reaches_the_client_and_not_the_server);
  tcase_add_test(runs, test_dropped_port_ends_the_session_after_the_client_timeout);
  tcase_add_test(runs, test_netfilter_without_loose_blocks_a_foreign_address);
  tcase_add_test(runs, test_blocked_data_connection_costs_the_connect_timeout);
  tcase_add_test(runs, test_nat_keeps_a_free_port_and_moves_a_taken_one);
  tcase_add_test(runs, test_nat_rewrites_the_port_command_it_expects);
  tcase_add_test(runs, test_expectation_outlives_its_session);
  tcase_add_test(runs, test_boxes_act_on_the_route_only);
  tcase_add_test(runs, test_event_loop_gives_the_same_sessions);
  tcase_add_test(runs, test_bad_middlebox_is_one_line);
  suite_add_tcase(suite, runs);
  return suite;
}

int main(void)
{
  return check_main(sim_middlebox_suite);
}
