/* network.control=loaded (alone, and with network.transfers=loaded: no SimGrid flow at all) against the shared
 * model it stands for: byte-identical rows while links are idle
 * (one session), simulated times within 1% on congested platforms (two-sites overloaded, E3's busy hours,
 * a burst of 10^4 sessions on the KB segment), the same rows on both drivers; and
 * network.control=uncongested's warning when links it ignored were in use. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "control_routes.h"
#include "sim_harness.h"

/* Runs ftpsim into dir/NAME with network.control=control (and --trace when traced); returns the folder.
 * --quiet, unless err is not NULL: then *err is its stderr. */
static gchar *run(const char *dir, const char *name, const char *platform, const char *control, const char *const *sets,
                  gboolean traced, gchar **err)
{
  gchar *out = g_build_filename(dir, name, NULL);
  g_autofree gchar *control_set = g_strdup_printf("network.control=%s", control);
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, (gpointer) "run");
  if (platform != NULL)
    g_ptr_array_add(argv, (gpointer)platform);
  const char *fixed[] = {"--out", out, "--set", control_set};
  for (guint i = 0; i < G_N_ELEMENTS(fixed); i++)
    g_ptr_array_add(argv, (gpointer)fixed[i]);
  if (err == NULL)
    g_ptr_array_add(argv, (gpointer) "--quiet");
  if (traced)
    g_ptr_array_add(argv, (gpointer) "--trace");
  for (guint i = 0; sets[i] != NULL; i++) {
    if (g_str_has_prefix(sets[i], "--")) /* an option and its value: --seed 3 */
      g_ptr_array_add(argv, (gpointer)sets[i++]);
    else
      g_ptr_array_add(argv, (gpointer) "--set");
    g_ptr_array_add(argv, (gpointer)sets[i]);
  }
  g_ptr_array_add(argv, NULL);
  RunResult result = harness_run(NULL, (const char *const *)argv->pdata);
  ck_assert_msg(result.status == 0, "ftpsim exited %d: %s", result.status, result.err);
  if (err != NULL)
    *err = g_steal_pointer(&result.err);
  harness_result_clear(&result);
  return out;
}

/* sets, with the transfers timed by the loaded model too (network.transfers=loaded, on the event loop). */
static const char **fluid_sets(const char *const *sets)
{
  GPtrArray *all = g_ptr_array_new();
  for (guint i = 0; sets[i] != NULL; i++)
    g_ptr_array_add(all, (gpointer)sets[i]);
  g_ptr_array_add(all, (gpointer) "network.transfers=loaded");
  g_ptr_array_add(all, (gpointer) "engine.sessions=event-loop");
  g_ptr_array_add(all, NULL);
  return (const char **)g_ptr_array_free(all, FALSE);
}

static void assert_same_file(const char *a, const char *b, const char *name)
{
  g_autofree gchar *x = harness_read_text(a, name);
  g_autofree gchar *y = harness_read_text(b, name);
  ck_assert_msg(g_str_equal(x, y), "%s differs:\n--- %s\n%s\n--- %s\n%s", name, a, x, b, y);
}

START_TEST(test_idle_links_same_as_shared)
{
  const char *const *sets = control_workloads[_i % CONTROL_WORKLOAD_COUNT];
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *platform = control_route_platform_file(dir, control_routes[_i / CONTROL_WORKLOAD_COUNT]);
  g_autofree gchar *shared = run(dir, "shared", platform, "shared", sets, TRUE, NULL);
  g_autofree gchar *loaded = run(dir, "loaded", platform, "loaded", sets, TRUE, NULL);
  g_autofree const char **with_transfers = fluid_sets(sets);
  g_autofree gchar *fluid = run(dir, "fluid", platform, "loaded", with_transfers, TRUE, NULL);
  assert_same_file(shared, loaded, "sessions.csv");
  assert_same_file(shared, loaded, "commands.csv");
  assert_same_file(shared, fluid, "sessions.csv");
  assert_same_file(shared, fluid, "commands.csv");
  harness_remove_tree(dir);
}
END_TEST

static double mean_session_time(const char *out)
{
  g_autofree gchar *path = g_build_filename(out, "sessions.csv", NULL);
  g_autoptr(Csv) rows = harness_read_csv(path);
  double sum = 0;
  for (guint i = 0; i < rows->rows->len; i++)
    sum += harness_double(rows, i, "end_time") - harness_double(rows, i, "start_time");
  return sum / rows->rows->len;
}

static const char *summary_field(const char *out, const char *column, gchar **buffer)
{
  g_autofree gchar *path = g_build_filename(out, "summary.csv", NULL);
  g_autoptr(Csv) summary = harness_read_csv(path);
  *buffer = g_strdup(harness_field(summary, 0, column));
  return *buffer;
}

/* A congested workload: its runs' simulated end with both models (as written) and mean session time. */
typedef struct Congested {
  const char *platform;
  const char *sets[12];
  const char *shared_end, *loaded_end, *fluid_end; /* fluid: network.transfers=loaded too */
  double shared_mean, loaded_mean, fluid_mean;
  double mean_bound; /* the relative difference of mean session times it is held to */
} Congested;

#define FLEET FTPSIM_SOURCE_DIR "/experiments/fleet-as400.xml"
static const Congested congested[] = {
    /* two-sites overloaded: the T1 line carries more than it can, transfers pile up (issue 15) */
    {FTPSIM_SOURCE_DIR "/platforms/two-sites.xml",
     {"client.sessions=25", "workload.arrival=poisson", "workload.rate=50", "--seed", "3", NULL},
     "858.085257658",
     "857.452617550",
     "858.085257658",
     488.82776,
     488.40045,
     488.82776,
     0.01},
    /* E3's busy hours (experiments/e3-fleet.ini, workload.rate=0.1), the first 100 sessions per host */
    {FLEET,
     {"client.model=as400", "client.counter=host", "client.sessions=100", "session.commands=90",
      "workload.arrival=poisson", "workload.rate=0.1", "client.wrap_to=900", "tcp.time_wait=240", "--seed", "3", NULL},
     "992.098737230",
     "992.098737230",
     "992.098737230",
     11.743034,
     11.763449,
     11.743034,
     0.01},
    /* 10^4 sessions at once on the KB segment, each counting from 1000 and failing a command whose port is
     * busy (client.counter=session, client.when_busy=fail): no transfer, control messages only, in lock-step,
     * their simultaneous messages sharing the link as SimGrid shares it (test_burst_same_rows_as_shared). */
    {NULL,
     {"client.sessions=10000", "session.commands=3", "client.counter=session", "client.when_busy=fail", NULL},
     "4.057427278",
     "4.057427278",
     "4.057427278",
     4.0545326,
     4.0545326,
     4.0545326,
     0.01},
};

START_TEST(test_congested_within_one_percent)
{
  const Congested *c = &congested[_i];
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *shared = run(dir, "shared", c->platform, "shared", c->sets, FALSE, NULL);
  g_autofree gchar *loaded = run(dir, "loaded", c->platform, "loaded", c->sets, FALSE, NULL);
  g_autofree const char **with_transfers = fluid_sets(c->sets);
  g_autofree gchar *fluid = run(dir, "fluid", c->platform, "loaded", with_transfers, FALSE, NULL);
  g_autofree gchar *shared_end = NULL, *loaded_end = NULL, *fluid_end = NULL;
  ck_assert_str_eq(summary_field(shared, "simulated_time", &shared_end), c->shared_end);
  ck_assert_str_eq(summary_field(loaded, "simulated_time", &loaded_end), c->loaded_end);
  ck_assert_str_eq(summary_field(fluid, "simulated_time", &fluid_end), c->fluid_end);
  ck_assert_double_lt(fabs(g_ascii_strtod(loaded_end, NULL) / g_ascii_strtod(shared_end, NULL) - 1), 0.01);
  ck_assert_double_lt(fabs(g_ascii_strtod(fluid_end, NULL) / g_ascii_strtod(shared_end, NULL) - 1), 0.01);
  const double shared_mean = mean_session_time(shared), loaded_mean = mean_session_time(loaded);
  const double fluid_mean = mean_session_time(fluid);
  ck_assert_double_eq_tol(shared_mean, c->shared_mean, 1e-5);
  ck_assert_double_eq_tol(loaded_mean, c->loaded_mean, 1e-5);
  ck_assert_double_eq_tol(fluid_mean, c->fluid_mean, 1e-5);
  ck_assert_double_lt(fabs(loaded_mean / shared_mean - 1), c->mean_bound);
  ck_assert_double_lt(fabs(fluid_mean / shared_mean - 1), c->mean_bound);
  harness_remove_tree(dir);
}
END_TEST

/* 20 sessions at once in lock step, half of their transfers STOR and half RETR, each counting its own ports
 * from 1000 so that they take ports from one another and trip over the server's TIME_WAIT: every outcome
 * hangs on the order in which transfers ending at one instant go on, and on cross-traffic between the two
 * directions of split-duplex links. With network.transfers=loaded the run is the shared model's on every
 * route (summary values equal, every row equal once sorted). */
START_TEST(test_lockstep_transfers_same_as_shared)
{
  const char *sets[] = {"server.policy=nt351", "client.sessions=20",     "session.commands=5",
                        "session.mix_stor=1",  "client.counter=session", NULL};
  g_autofree const char **with_transfers = fluid_sets(sets);
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *platform = control_route_platform_file(dir, control_routes[_i]);
  g_autofree gchar *shared = run(dir, "shared", platform, "shared", sets, FALSE, NULL);
  g_autofree gchar *fluid = run(dir, "fluid", platform, "loaded", with_transfers, FALSE, NULL);
  const char *columns[] = {"simulated_time", "transfers", "time_wait_failures", "bytes", "failed_commands"};
  for (guint i = 0; i < G_N_ELEMENTS(columns); i++) {
    g_autofree gchar *a = NULL, *b = NULL;
    ck_assert_str_eq(summary_field(fluid, columns[i], &b), summary_field(shared, columns[i], &a));
  }
  g_autofree gchar *transfers = NULL;
  ck_assert_int_ge(atoi(summary_field(shared, "transfers", &transfers)), 40); /* enough to compare */
  g_autofree gchar *expected = control_sorted_rows(shared, "sessions.csv", TRUE);
  g_autofree gchar *got = control_sorted_rows(fluid, "sessions.csv", TRUE);
  ck_assert(g_str_equal(got, expected));
  harness_remove_tree(dir);
}
END_TEST

/* A route of 10 links (more than a ControlRoute keeps), crossed at its last link by another host's: the
 * fluid model shares every link of it, as SimGrid does, and the lock-step burst ends as the shared model's. */
START_TEST(test_long_route_shared_on_every_link)
{
  g_autoptr(GString) xml = g_string_new("<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM "
                                        "\"https://simgrid.org/simgrid.dtd\">\n<platform version=\"4.1\">\n"
                                        "  <zone id=\"z\" routing=\"Full\">\n");
  g_string_append(xml, "    <host id=\"c\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"client\"/></host>\n"
                       "    <host id=\"c2\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"client\"/></host>\n"
                       "    <host id=\"s\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"server\"/></host>\n"
                       "    <link id=\"x\" bandwidth=\"5Mbps\" latency=\"1ms\"/>\n");
  for (int i = 0; i < 10; i++)
    g_string_append_printf(xml, "    <link id=\"l%d\" bandwidth=\"%dMbps\" latency=\"1ms\"/>\n", i, 10 + i);
  g_string_append(xml, "    <route src=\"c\" dst=\"s\">");
  for (int i = 0; i < 10; i++)
    g_string_append_printf(xml, "<link_ctn id=\"l%d\"/>", i);
  g_string_append(xml, "</route>\n    <route src=\"c2\" dst=\"s\"><link_ctn id=\"x\"/><link_ctn id=\"l9\"/></route>\n"
                       "  </zone>\n</platform>\n");
  const char *sets[] = {"server.policy=nt351", "client.sessions=10",     "session.commands=5",
                        "session.mix_stor=1",  "client.counter=session", NULL};
  g_autofree const char **with_transfers = fluid_sets(sets);
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *platform = harness_write_file(dir, "chain.xml", xml->str);
  g_autofree gchar *shared = run(dir, "shared", platform, "shared", sets, FALSE, NULL);
  g_autofree gchar *fluid = run(dir, "fluid", platform, "loaded", with_transfers, FALSE, NULL);
  g_autofree gchar *a = NULL, *b = NULL, *c = NULL, *d = NULL;
  ck_assert_str_eq(summary_field(shared, "simulated_time", &a), "7.344556960");
  ck_assert_str_eq(summary_field(fluid, "simulated_time", &b), "7.344556959");
  ck_assert_str_eq(summary_field(fluid, "transfers", &c), summary_field(shared, "transfers", &d));
  ck_assert_str_eq(c, "88");
  harness_remove_tree(dir);
}
END_TEST

#ifndef __SANITIZE_ADDRESS__
/* The 10^4-session burst: 10^4 messages go on the KB segment at each instant, and the loaded model shares
 * the link among them as SimGrid does, with either driver: every session's row is the shared model's, only
 * the order in which sessions ending together are written differs. */
START_TEST(test_burst_same_rows_as_shared)
{
  const char *sets[] = {"client.sessions=10000", "session.commands=3", "client.counter=session",
                        "client.when_busy=fail", NULL};
  const char *loop_sets[] = {"client.sessions=10000", "session.commands=3",         "client.counter=session",
                             "client.when_busy=fail", "engine.sessions=event-loop", NULL};
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *shared = run(dir, "shared", NULL, "shared", sets, FALSE, NULL);
  g_autofree gchar *loaded = run(dir, "loaded", NULL, "loaded", sets, FALSE, NULL);
  g_autofree gchar *loop = run(dir, "loop", NULL, "loaded", loop_sets, FALSE, NULL);
  g_autofree const char **with_transfers = fluid_sets(sets);
  g_autofree gchar *fluid = run(dir, "fluid", NULL, "loaded", with_transfers, FALSE, NULL);
  g_autofree gchar *by_fluid = control_sorted_rows(fluid, "sessions.csv", TRUE);
  g_autofree gchar *expected = control_sorted_rows(shared, "sessions.csv", TRUE);
  g_autofree gchar *by_actors = control_sorted_rows(loaded, "sessions.csv", TRUE);
  g_autofree gchar *by_loop = control_sorted_rows(loop, "sessions.csv", TRUE);
  ck_assert(g_str_equal(by_actors, expected));
  ck_assert(g_str_equal(by_loop, expected));
  ck_assert(g_str_equal(by_fluid, expected));
  harness_remove_tree(dir);
}
END_TEST
#endif

/* The event loop runs the loaded model too, with the same rows as an actor per session where no two
 * messages are sent on a link at the same instant (Poisson arrivals). Where sessions at one instant take
 * ports from one another, the order in which they go on differs between the drivers and from the shared
 * model's (docs/performance.md). */
START_TEST(test_event_loop_same_rows_as_actors)
{
  const char *actors_sets[] = {"client.sessions=6", "workload.arrival=poisson", "client.counter=host", NULL};
  const char *loop_sets[] = {"client.sessions=6", "workload.arrival=poisson", "client.counter=host",
                             "engine.sessions=event-loop", NULL};
  const char *platform = FTPSIM_SOURCE_DIR "/platforms/two-sites.xml";
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *actors = run(dir, "actors", platform, "loaded", actors_sets, TRUE, NULL);
  g_autofree gchar *loop = run(dir, "loop", platform, "loaded", loop_sets, TRUE, NULL);
  assert_same_file(actors, loop, "sessions.csv");
  assert_same_file(actors, loop, "commands.csv");
  harness_remove_tree(dir);
}
END_TEST

/* uncongested says when the links it ignored were in use, and only then. Ports 10000 + 256k keep every
 * PORT the same length; min-port refuses them all (as in tests/test_control.c). */
START_TEST(test_uncongested_warns_on_loaded_links)
{
  const char *one[] = {"session.commands=6",     "client.counter=host",   "client.start_port=10000", "client.step=256",
                       "server.policy=min-port", "server.min_port=65535", "client.sessions=1",       NULL};
  const char *many[] = {"session.commands=6",     "client.counter=host",   "client.start_port=10000", "client.step=256",
                        "server.policy=min-port", "server.min_port=65535", "client.sessions=10",      NULL};
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *err_one = NULL, *err_many = NULL, *err_loaded = NULL;
  g_autofree gchar *a = run(dir, "one", NULL, "uncongested", one, FALSE, &err_one);
  g_autofree gchar *b = run(dir, "many", NULL, "uncongested", many, FALSE, &err_many);
  g_autofree gchar *c = run(dir, "loaded", NULL, "loaded", many, FALSE, &err_loaded);
  const char *warning = "ftpsim: warning: network.control=uncongested timed 180 of 200 control messages as if "
                        "alone on their route, though transfers or other messages were using its links; "
                        "network.control=loaded times them from the links' load\n";
  ck_assert_msg(strstr(err_one, "warning") == NULL, "%s", err_one);
  ck_assert_msg(strstr(err_loaded, "warning") == NULL, "%s", err_loaded);
  /* A session sends 20 messages (CONNECT, USER, PASS, 6 PORT, QUIT and their replies); uncongested, the 10
   * sessions send each of them at the same instant: the first finds the link idle, the 9 others find
   * its bytes not yet sent: 20 x 9 of 200. Said once, after the run (progress lines aside). */
  const char *line = strstr(err_many, warning);
  ck_assert_msg(line != NULL, "%s", err_many);
  ck_assert_ptr_null(strstr(line + strlen(warning), "warning"));
  /* --quiet: nothing at all */
  g_autofree gchar *quiet_out = g_build_filename(dir, "quiet", NULL);
  const char *quiet_args[] = {"run",   "--quiet",
                              "--out", quiet_out,
                              "--set", "network.control=uncongested",
                              "--set", "client.sessions=10",
                              "--set", "session.commands=6",
                              "--set", "client.counter=host",
                              "--set", "client.start_port=10000",
                              "--set", "client.step=256",
                              "--set", "server.policy=min-port",
                              "--set", "server.min_port=65535",
                              NULL};
  RunResult quiet = harness_run(NULL, quiet_args);
  ck_assert_int_eq(quiet.status, 0);
  ck_assert_str_eq(quiet.err, "");
  harness_result_clear(&quiet);
  harness_remove_tree(dir);
}
END_TEST

static Suite *control_loaded_suite(void)
{
  Suite *suite = suite_create("control_loaded");
  TCase *tc = tcase_create("loaded");
  tcase_set_timeout(tc, 300);
  tcase_add_loop_test(tc, test_idle_links_same_as_shared, 0, CONTROL_ROUTE_COUNT * CONTROL_WORKLOAD_COUNT);
#ifdef __SANITIZE_ADDRESS__
  /* The 10^4-session burst takes minutes and gigabytes under ASan; its values are checked in the normal build. */
  tcase_add_loop_test(tc, test_congested_within_one_percent, 0, (int)G_N_ELEMENTS(congested) - 1);
#else
  tcase_add_loop_test(tc, test_congested_within_one_percent, 0, (int)G_N_ELEMENTS(congested));
  tcase_add_test(tc, test_burst_same_rows_as_shared);
#endif
  tcase_add_test(tc, test_event_loop_same_rows_as_actors);
  tcase_add_loop_test(tc, test_lockstep_transfers_same_as_shared, 0, CONTROL_ROUTE_COUNT);
  tcase_add_test(tc, test_long_route_shared_on_every_link);
  tcase_add_test(tc, test_uncongested_warns_on_loaded_links);
  suite_add_tcase(suite, tc);
  return suite;
}

int main(void)
{
  return check_main(control_loaded_suite);
}
