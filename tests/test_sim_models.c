/* The model library in the simulator, against closed forms: random allocators, wrapping host
 * counters, client reactions (give-up, retry, PASV fallback), server reactions (disconnect, ban,
 * tarpit), TIME_WAIT, NAT and EPRT. Each test runs the ftpsim binary. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "check_main.h"
#include "sim_harness.h"

static gint64 column_sum(const Csv *csv, const char *column)
{
  gint64 sum = 0;
  for (guint i = 0; i < csv->rows->len; i++)
    sum += harness_int(csv, i, column);
  return sum;
}

/* A uniform random port over [low, high] is rejected with probability r = (1024 - low)/(high - low + 1),
 * so the rejections before the first accept are geometric with mean r/(1 - r) = (1024 - low)/(high - 1023).
 * rfc6056-2 draws a new uniform port for every attempt. */
START_TEST(test_uniform_random_allocator_geometric_mean)
{
  Fixture fixture = fixture_new();
  const char *args[] = {"--set", "client.model=rfc6056-2",    "--set",  "client.low=1",
                        "--set", "client.high=3070",          "--set",  "client.sessions=1500",
                        "--set", "session.commands=40",       "--set",  "session.file_size=0",
                        "--set", "workload.arrival=interval", "--set",  "workload.interval=10",
                        "--set", "tcp.time_wait=0",           "--seed", "11",
                        NULL};
  g_autoptr(Csv) csv = run_sessions(&fixture, NULL, args);
  ck_assert_uint_eq(csv->rows->len, 1500);
  const double mean = (1024.0 - 1) / (3070 - 1023); /* 0.5: success probability p = 2/3 */
  double sum = 0;
  for (guint i = 0; i < csv->rows->len; i++) {
    ck_assert_str_ne(harness_field(csv, i, "first_accept_port"), ""); /* 40 tries: P(all fail) = 3^-40 */
    sum += (double)harness_int(csv, i, "rejected_before_first_accept");
  }
  /* Geometric variance (1-p)/p^2 = 0.75; the standard error of 1500 sessions is 0.022. Four of them
   * make the tolerance (0.089): a correct model fails this with probability below 1e-4 for an
   * arbitrary seed, while a mean off by a fifth (0.4 or 0.6) fails it. */
  ck_assert_double_eq_tol(sum / csv->rows->len, mean, 4 * sqrt(0.75 / 1500));
  fixture_clear(&fixture);
}
END_TEST

/* A host-scope as400 counter that wraps to p0 gives a burst of ceil((1024 - p0)/step) rejections every
 * ceil((65536 - p0)/step) commands. With p0 = 1000 and step 7: 4 rejections every 9220 commands. */
START_TEST(test_host_counter_wrap_bursts)
{
  Fixture fixture = fixture_new();
  const char *args[] = {"--trace",
                        "--set",
                        "client.counter=host",
                        "--set",
                        "client.start_port=1000",
                        "--set",
                        "client.step=7",
                        "--set",
                        "client.wrap_to=1000",
                        "--set",
                        "session.commands=27660",
                        "--set",
                        "session.file_size=0",
                        "--set",
                        "tcp.time_wait=0",
                        NULL};
  g_autoptr(Csv) csv = run_sessions(&fixture, NULL, args);
  ck_assert_int_eq(harness_int(csv, 0, "rejected"), 12);
  g_autofree gchar *trace_path = g_build_filename(fixture.out, "commands.csv", NULL);
  g_autoptr(Csv) trace = harness_read_csv(trace_path);
  guint64 port_index = 0, bursts_seen = 0;
  for (guint i = 0; i < trace->rows->len; i++) {
    if (strcmp(harness_field(trace, i, "command"), "PORT") != 0)
      continue;
    gboolean in_burst = port_index % 9220 < 4;
    ck_assert_int_eq(harness_int(trace, i, "accepted"), !in_burst);
    bursts_seen += in_burst;
    port_index++;
  }
  ck_assert_uint_eq(port_index, 27660);
  ck_assert_uint_eq(bursts_seen, 12);
  fixture_clear(&fixture);
}
END_TEST

/* Sessions that need k = 0..6 rejections (start port 1024 - k), with give-up after G = 3: exactly the
 * sessions that need more than G are aborted, each after G + 1 rejections. */
START_TEST(test_give_up_aborts_exactly_those_needing_more)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *platform = harness_write_platform(fixture.dir, "p.xml", "1ms", "10Mbps", NULL, NULL);
  GString *deployment = g_string_new("<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM "
                                     "\"https://simgrid.org/simgrid.dtd\">\n<platform version=\"4.1\">\n");
  for (int k = 0; k <= 6; k++)
    g_string_append_printf(deployment,
                           "<actor host=\"client\" function=\"ftp_client\" start_time=\"%d\">"
                           "<argument value=\"client.start_port=%d\"/></actor>\n",
                           100 * k, 1024 - k);
  g_string_append(deployment, "</platform>\n");
  g_autofree gchar *deployment_path = harness_write_file(fixture.dir, "d.xml", deployment->str);
  g_string_free(deployment, TRUE);
  const char *args[] = {deployment_path,          "--set", "client.reaction=give-up", "--set",
                        "client.give_up_after=3", "--set", "session.commands=10",     "--set",
                        "tcp.time_wait=0",        "--set", "client.counter=session",  NULL};
  g_autoptr(Csv) csv = run_sessions(&fixture, platform, args);
  ck_assert_uint_eq(csv->rows->len, 7);
  for (guint i = 0; i < 7; i++) {
    gint64 k = harness_int(csv, i, "session") - 1;
    gboolean aborted = k > 3;
    ck_assert_str_eq(harness_field(csv, i, "outcome"), aborted ? "aborted" : k == 0 ? "ok" : "partial");
    ck_assert_int_eq(harness_int(csv, i, "rejected"), aborted ? 4 : k);
    ck_assert_int_eq(harness_int(csv, i, "transfers"), aborted ? 0 : 10 - k);
  }
  g_autofree gchar *summary_path = g_build_filename(fixture.out, "summary.csv", NULL);
  g_autoptr(Csv) summary = harness_read_csv(summary_path);
  ck_assert_int_eq(harness_int(summary, 0, "aborted"), 3);
  fixture_clear(&fixture);
}
END_TEST

/* retry with R retries: from 1000, each data command sends 1 + R PORTs while rejected; with R = 5 the
 * first four commands fail after 6 rejections each (1000..1023), the fifth gets 1024. */
START_TEST(test_retry_counts)
{
  Fixture fixture = fixture_new();
  const char *few[] = {"--set", "client.reaction=retry", "--set", "client.retries=5",
                       "--set", "session.commands=10",   NULL};
  g_autoptr(Csv) csv = run_sessions(&fixture, NULL, few);
  ck_assert_int_eq(harness_int(csv, 0, "rejected"), 24);
  ck_assert_int_eq(harness_int(csv, 0, "retries"), 20);
  ck_assert_int_eq(harness_int(csv, 0, "failed_commands"), 4);
  ck_assert_int_eq(harness_int(csv, 0, "transfers"), 6);
  ck_assert_int_eq(harness_int(csv, 0, "commands"), 24 + 6);
  ck_assert_str_eq(harness_field(csv, 0, "outcome"), "partial");
  /* Enough retries: the first command rides the counter up to 1024 and nothing fails. */
  const char *many[] = {"--set", "client.reaction=retry", "--set", "client.retries=30",
                        "--set", "session.commands=10",   NULL};
  g_autoptr(Csv) patient = run_sessions(&fixture, NULL, many);
  ck_assert_int_eq(harness_int(patient, 0, "retries"), 24);
  ck_assert_int_eq(harness_int(patient, 0, "failed_commands"), 0);
  ck_assert_str_eq(harness_field(patient, 0, "outcome"), "ok");
  fixture_clear(&fixture);
}
END_TEST

/* pasv-fallback after F = 3: two commands fail, the third's PORT is rejected and it is redone with
 * PASV, as are all later ones. */
START_TEST(test_pasv_fallback)
{
  Fixture fixture = fixture_new();
  const char *args[] = {"--trace",
                        "--set",
                        "client.reaction=pasv-fallback",
                        "--set",
                        "client.fallback_after=3",
                        "--set",
                        "session.commands=10",
                        NULL};
  g_autoptr(Csv) csv = run_sessions(&fixture, NULL, args);
  ck_assert_int_eq(harness_int(csv, 0, "rejected"), 3);
  ck_assert_int_eq(harness_int(csv, 0, "failed_commands"), 2);
  ck_assert_int_eq(harness_int(csv, 0, "pasv_transfers"), 8);
  ck_assert_int_eq(harness_int(csv, 0, "transfers"), 8);
  ck_assert_str_eq(harness_field(csv, 0, "first_accept_port"), "");
  g_autofree gchar *trace_path = g_build_filename(fixture.out, "commands.csv", NULL);
  g_autoptr(Csv) trace = harness_read_csv(trace_path);
  ck_assert_str_eq(harness_field(trace, 2, "command"), "PORT");
  ck_assert_double_eq(harness_double(csv, 0, "fallback_time"), harness_double(trace, 2, "time"));
  ck_assert_str_eq(harness_field(trace, 3, "command"), "PASV");
  ck_assert_int_eq(harness_int(trace, 3, "reply_code"), 227);
  fixture_clear(&fixture);
}
END_TEST

START_TEST(test_server_disconnects_after_n)
{
  Fixture fixture = fixture_new();
  const char *args[] = {"--set", "server.reaction=disconnect", "--set", "server.disconnect_after=5", NULL};
  g_autoptr(Csv) csv = run_sessions(&fixture, NULL, args);
  ck_assert_int_eq(harness_int(csv, 0, "rejected"), 5);
  ck_assert_int_eq(harness_int(csv, 0, "data_commands"), 5);
  ck_assert_str_eq(harness_field(csv, 0, "outcome"), "disconnected");
  fixture_clear(&fixture);
}
END_TEST

/* A ban after N = 5 rejections within 60 s lasts 100 s. Sessions arrive every 40 s and each needs 24
 * rejections: the first is banned at its 5th, the next two arrive during the ban and are refused at
 * connect, the fourth (t = 120) is let back in and banned again, the fifth is refused. */
START_TEST(test_ban_refuses_then_lets_back_in)
{
  Fixture fixture = fixture_new();
  const char *args[] = {"--set", "server.reaction=ban",  "--set", "server.ban_after=5",
                        "--set", "server.ban_window=60", "--set", "server.ban_time=100",
                        "--set", "client.sessions=5",    "--set", "workload.arrival=interval",
                        "--set", "workload.interval=40", NULL};
  g_autoptr(Csv) csv = run_sessions(&fixture, NULL, args);
  ck_assert_uint_eq(csv->rows->len, 5);
  const gint64 expected_rejections[] = {5, 0, 0, 5, 0};
  for (guint i = 0; i < 5; i++) {
    gint64 id = harness_int(csv, i, "session");
    ck_assert_str_eq(harness_field(csv, i, "outcome"), "banned");
    ck_assert_int_eq(harness_int(csv, i, "rejected"), expected_rejections[id - 1]);
    ck_assert_double_eq(harness_double(csv, i, "start_time"), 40.0 * (double)(id - 1));
  }
  fixture_clear(&fixture);
}
END_TEST

/* tarpit d: each of the 24 rejections is held back d seconds, so the first accept comes 24 d later. */
START_TEST(test_tarpit_delays_exactly)
{
  Fixture fixture = fixture_new();
  const char *plain[] = {NULL};
  g_autoptr(Csv) a = run_sessions(&fixture, NULL, plain);
  const char *slow[] = {"--set", "server.reaction=tarpit", "--set", "server.tarpit_delay=2.5", NULL};
  g_autoptr(Csv) b = run_sessions(&fixture, NULL, slow);
  ck_assert_double_eq_tol(harness_double(b, 0, "tarpit_delay"), 24 * 2.5, 1e-9);
  ck_assert_double_eq_tol(harness_double(b, 0, "first_accept_time") - harness_double(a, 0, "first_accept_time"),
                          24 * 2.5, 1e-6);
  fixture_clear(&fixture);
}
END_TEST

/* TIME_WAIT: the counter alternates two ports (65534, 65535, wrap to 65534) and commands start every 10
 * s, so a port comes back 20 s after its last use. With a 2MSL of 15 s nothing fails; with 25 s the
 * uses at 20, 30 fail, 40, 50 succeed, 60, 70 fail: 4 of 8, counted apart from rejections. */
static void check_time_wait(const char *time_wait, const char *closer, gint64 expected_failures)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *tw = g_strdup_printf("tcp.time_wait=%s", time_wait);
  g_autofree gchar *who = g_strdup_printf("tcp.closer=%s", closer);
  const char *args[] = {"--set", "server.policy=nt351",
                        "--set", "client.start_port=65534",
                        "--set", "client.wrap_to=65534",
                        "--set", "session.commands=8",
                        "--set", "session.think_time=10",
                        "--set", tw,
                        "--set", who,
                        "--set", "client.when_busy=fail", /* a port in the client's TIME_WAIT fails, not skipped */
                        NULL};
  g_autoptr(Csv) csv = run_sessions(&fixture, NULL, args);
  ck_assert_int_eq(harness_int(csv, 0, "time_wait_failures"), expected_failures);
  ck_assert_int_eq(harness_int(csv, 0, "failed_commands"), expected_failures);
  ck_assert_int_eq(harness_int(csv, 0, "rejected"), 0);
  ck_assert_int_eq(harness_int(csv, 0, "transfers"), 8 - expected_failures);
  fixture_clear(&fixture);
}

START_TEST(test_time_wait_failures_exactly_when_port_returns_early)
{
  check_time_wait("15", "server", 0);
  check_time_wait("25", "server", 4);
  check_time_wait("25", "client", 4); /* the client holds the port: it cannot listen on it */
  check_time_wait("45", "server", 4); /* back at 40 s: 45 s after the last success is still too soon */
  check_time_wait("65", "server", 6); /* only the first use of each port succeeds */
}
END_TEST

/* A client behind NAT names its private address: a policy that checks addresses would refuse it;
 * nt351sp2 does not, but the server's data connection to a private address cannot succeed. */
START_TEST(test_nat_private_address_fails_data_connection)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *platform = harness_write_platform(
      fixture.dir, "nat.xml", "1ms", "10Mbps", "<prop id=\"ftpsim.advertised_address\" value=\"10.1.2.3\"/>", NULL);
  const char *args[] = {"--set", "client.start_port=2000", "--set", "session.commands=3", NULL};
  g_autoptr(Csv) csv = run_sessions(&fixture, platform, args);
  ck_assert_int_eq(harness_int(csv, 0, "rejected"), 0);
  ck_assert_int_eq(harness_int(csv, 0, "failed_commands"), 3);
  ck_assert_int_eq(harness_int(csv, 0, "time_wait_failures"), 0);
  ck_assert_int_eq(harness_int(csv, 0, "connection_failures"), 3);
  ck_assert_str_eq(harness_field(csv, 0, "outcome"), "all_failed");
  const char *iis[] = {"--set", "client.start_port=2000", "--set", "session.commands=3",
                       "--set", "server.policy=iis4",     NULL};
  g_autoptr(Csv) refused = run_sessions(&fixture, platform, iis);
  ck_assert_int_eq(harness_int(refused, 0, "rejected"), 3); /* IIS 4 checks the address */
  fixture_clear(&fixture);
}
END_TEST

START_TEST(test_eprt_same_closed_form)
{
  Fixture fixture = fixture_new();
  const char *args[] = {
      "--trace", "--set", "client.port_command=eprt", "--set", "client.start_port=1020", "--set", "session.commands=6",
      NULL};
  g_autoptr(Csv) csv = run_sessions(&fixture, NULL, args);
  ck_assert_int_eq(harness_int(csv, 0, "rejected_before_first_accept"), 4);
  g_autofree gchar *trace_path = g_build_filename(fixture.out, "commands.csv", NULL);
  g_autoptr(Csv) trace = harness_read_csv(trace_path);
  ck_assert_str_eq(harness_field(trace, 0, "command"), "EPRT");
  fixture_clear(&fixture);
}
END_TEST

/* The workload: a command mix and geometric command counts draw from each session's own stream. */
START_TEST(test_workload_mix_and_counts)
{
  Fixture fixture = fixture_new();
  const char *args[] = {"--set", "server.policy=nt351",
                        "--set", "client.model=sequential",
                        "--set", "client.sessions=300",
                        "--set", "session.commands=20",
                        "--set", "session.commands_dist=geometric",
                        "--set", "session.mix_list=1",
                        "--set", "session.mix_retr=1",
                        "--set", "session.mix_stor=2",
                        "--set", "session.file_size=1000",
                        "--set", "session.list_size=0",
                        "--set", "tcp.time_wait=0",
                        NULL};
  g_autoptr(Csv) csv = run_sessions(&fixture, NULL, args);
  ck_assert_uint_eq(csv->rows->len, 300);
  gint64 commands = column_sum(csv, "data_commands");
  gint64 bytes = column_sum(csv, "bytes");
  /* Mean 20 per session: 6000 expected; the geometric's sd is sqrt(20*21) = 20.5, so the sum's sd is
   * 355: allow 4 of them. A LIST moves 0 bytes here, RETR and STOR 1000: 3/4 of the commands. */
  ck_assert_int_ge(commands, 6000 - 4 * 355);
  ck_assert_int_le(commands, 6000 + 4 * 355);
  ck_assert_int_eq(bytes % 1000, 0);
  double moving = (double)bytes / 1000.0 / (double)commands;
  ck_assert_double_eq_tol(moving, 0.75, 4 * sqrt(0.75 * 0.25 / (double)commands));
  ck_assert_int_eq(column_sum(csv, "transfers"), commands);
  fixture_clear(&fixture);
}
END_TEST

/* A client host with no free port (issue 15): six ports in the counter's cycle (client.start_port =
 * client.wrap_to = 65530), 20 sessions at once of 3 data commands. The first six PORTs take 65530..65535
 * and listen; the other 14 sessions find every port busy, three times each, and fail before their PORT
 * (42, the shortcut of port_search.h from the second search on). Once the six transfers end (the server
 * closes: its TIME_WAIT), the six ports are free again on the client and the six sessions name them, but the
 * server still holds them: 12 data connections fail in TIME_WAIT. */
START_TEST(test_exhausted_host_counts)
{
  Fixture fixture = fixture_new();
  const char *args[] = {"--set", "client.sessions=20",      "--set", "session.commands=3",
                        "--set", "client.start_port=65530", "--set", "client.wrap_to=65530",
                        NULL};
  g_autoptr(Csv) csv = run_sessions(&fixture, NULL, args);
  ck_assert_uint_eq(csv->rows->len, 20);
  guint64 ports_taken = 0;
  for (guint i = 0; i < 20; i++) {
    const gboolean got_port = harness_int(csv, i, "transfers") > 0;
    ck_assert_int_eq(harness_int(csv, i, "client_port_busy_failures"), got_port ? 0 : 3);
    ck_assert_int_eq(harness_int(csv, i, "time_wait_failures"), got_port ? 2 : 0);
    if (got_port) {
      ck_assert_int_eq(harness_int(csv, i, "transfers"), 1);
      const gint64 port = harness_int(csv, i, "first_accept_port");
      ck_assert(port >= 65530 && port <= 65535);
      ports_taken |= G_GUINT64_CONSTANT(1) << (port - 65530);
    }
  }
  ck_assert_uint_eq(ports_taken, 0x3f); /* each of the six once */
  g_autofree gchar *summary_path = g_build_filename(fixture.out, "summary.csv", NULL);
  g_autoptr(Csv) summary = harness_read_csv(summary_path);
  ck_assert_int_eq(harness_int(summary, 0, "client_port_busy_failures"), 42);
  ck_assert_int_eq(harness_int(summary, 0, "time_wait_failures"), 12);
  ck_assert_int_eq(harness_int(summary, 0, "failed_commands"), 54);
  fixture_clear(&fixture);
}
END_TEST

static Suite *suite(void)
{
  Suite *suite = suite_create("sim_models");
  TCase *closed = tcase_create("closed_forms");
  tcase_set_timeout(closed, 600);
  tcase_add_test(closed, test_uniform_random_allocator_geometric_mean);
  tcase_add_test(closed, test_host_counter_wrap_bursts);
  tcase_add_test(closed, test_give_up_aborts_exactly_those_needing_more);
  tcase_add_test(closed, test_retry_counts);
  tcase_add_test(closed, test_pasv_fallback);
  tcase_add_test(closed, test_server_disconnects_after_n);
  tcase_add_test(closed, test_ban_refuses_then_lets_back_in);
  tcase_add_test(closed, test_tarpit_delays_exactly);
  tcase_add_test(closed, test_time_wait_failures_exactly_when_port_returns_early);
  tcase_add_test(closed, test_nat_private_address_fails_data_connection);
  tcase_add_test(closed, test_eprt_same_closed_form);
  tcase_add_test(closed, test_workload_mix_and_counts);
  tcase_add_test(closed, test_exhausted_host_counts);
  suite_add_tcase(suite, closed);
  return suite;
}

int main(void)
{
  return check_main(suite);
}
