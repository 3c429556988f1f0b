/* network.control=uncongested against the shared model: byte-identical outputs while nothing
 * contends for the links (one session), and the documented difference when sessions do. And
 * engine.sessions=event-loop against the actor per session it replaces: the same sessions. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "control_routes.h"
#include "sim_harness.h"

/* Runs ftpsim with --trace into dir/NAME; returns the folder. control: shared, uncongested, or
 * event-loop (uncongested, run by engine.sessions=event-loop). */
static gchar *run(const char *dir, const char *name, const char *platform, const char *control, const char *const *sets,
                  const char *sessions, const char *deployment)
{
  gchar *out = g_build_filename(dir, name, NULL);
  const gboolean event_loop = g_str_equal(control, "event-loop");
  g_autofree gchar *control_set = g_strdup_printf("network.control=%s", event_loop ? "uncongested" : control);
  g_autofree gchar *sessions_set = g_strdup_printf("client.sessions=%s", sessions);
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, (gpointer) "run");
  if (platform != NULL)
    g_ptr_array_add(argv, (gpointer)platform);
  if (deployment != NULL)
    g_ptr_array_add(argv, (gpointer)deployment);
  const char *fixed[] = {"--out", out, "--quiet", "--trace", "--set", control_set, "--set", sessions_set};
  for (guint i = 0; i < G_N_ELEMENTS(fixed); i++)
    g_ptr_array_add(argv, (gpointer)fixed[i]);
  if (event_loop) {
    g_ptr_array_add(argv, (gpointer) "--set");
    g_ptr_array_add(argv, (gpointer) "engine.sessions=event-loop");
  }
  for (guint i = 0; sets[i] != NULL; i++) {
    g_ptr_array_add(argv, (gpointer) "--set");
    g_ptr_array_add(argv, (gpointer)sets[i]);
  }
  g_ptr_array_add(argv, NULL);
  RunResult result = harness_run(NULL, (const char *const *)argv->pdata);
  ck_assert_msg(result.status == 0, "ftpsim exited %d: %s", result.status, result.err);
  harness_result_clear(&result);
  return out;
}

/* sessions.csv and commands.csv of two runs (folders a and b) are the same: byte for byte, or as sets of
 * rows where sessions may end together in either order. */
static void assert_same_rows(const char *a, const char *b, gboolean as_sets)
{
  const char *files[] = {"sessions.csv", "commands.csv"};
  for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
    g_autofree gchar *x = as_sets ? control_sorted_rows(a, files[i], FALSE) : harness_read_text(a, files[i]);
    g_autofree gchar *y = as_sets ? control_sorted_rows(b, files[i], FALSE) : harness_read_text(b, files[i]);
    ck_assert_msg(g_str_equal(x, y), "%s differs:\n--- %s\n%s\n--- %s\n%s", files[i], a, x, b, y);
  }
}

START_TEST(test_one_session_same_as_shared)
{
  const char *const *sets = control_workloads[_i % CONTROL_WORKLOAD_COUNT];
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *platform = control_route_platform_file(dir, control_routes[_i / CONTROL_WORKLOAD_COUNT]);
  g_autofree gchar *shared = run(dir, "shared", platform, "shared", sets, "1", NULL);
  g_autofree gchar *uncongested = run(dir, "uncongested", platform, "uncongested", sets, "1", NULL);
  g_autofree gchar *event_loop = run(dir, "event-loop", platform, "event-loop", sets, "1", NULL);
  assert_same_rows(shared, uncongested, FALSE);
  assert_same_rows(uncongested, event_loop, FALSE);
  harness_remove_tree(dir);
}
END_TEST

/* Ten sessions at once on the one 10 Mbit/s segment: the shared model makes them wait for each
 * other (0.0375 s instead of 0.0272 s); the uncongested one gives each the time it has alone, as the
 * trade-off documents. Ports 10000 + 256k keep every PORT the same length; min-port refuses them all. */
START_TEST(test_contention_only_in_shared)
{
  const char *sets[] = {"session.commands=6",
                        "client.counter=host",
                        "client.start_port=10000",
                        "client.step=256",
                        "server.policy=min-port",
                        "server.min_port=65535",
                        NULL};
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *alone = run(dir, "alone", NULL, "shared", sets, "1", NULL);
  g_autofree gchar *shared = run(dir, "shared", NULL, "shared", sets, "10", NULL);
  g_autofree gchar *uncongested = run(dir, "uncongested", NULL, "uncongested", sets, "10", NULL);
  g_autofree gchar *alone_path = g_build_filename(alone, "sessions.csv", NULL);
  g_autofree gchar *shared_path = g_build_filename(shared, "sessions.csv", NULL);
  g_autofree gchar *uncongested_path = g_build_filename(uncongested, "sessions.csv", NULL);
  g_autoptr(Csv) one = harness_read_csv(alone_path);
  g_autoptr(Csv) many_shared = harness_read_csv(shared_path);
  g_autoptr(Csv) many_uncongested = harness_read_csv(uncongested_path);
  double alone_end = harness_double(one, 0, "end_time");
  ck_assert_uint_eq(many_uncongested->rows->len, 10);
  for (guint i = 0; i < 10; i++) {
    ck_assert_str_eq(harness_field(many_uncongested, i, "end_time"), harness_field(one, 0, "end_time"));
    ck_assert_double_gt(harness_double(many_shared, i, "end_time"), alone_end * 1.3);
  }
  harness_remove_tree(dir);
}
END_TEST

/* Many sessions, several hosts, arrivals over time, bans, think times, retries, tarpits, PASV with STOR
 * and LIST: the event loop gives every session the same row and every command the same trace as an
 * actor per session, and the same summary. (Sessions that touch shared state at the very same instant
 * may differ, as engine.c says; these runs have none.) */
static const char *const many_sessions[][12] = {
    {FTPSIM_SOURCE_DIR "/platforms/two-sites.xml", "client.counter=host", "server.reaction=ban",
     "workload.arrival=poisson", "session.commands=12", NULL},
    {FTPSIM_SOURCE_DIR "/platforms/mixed-fleet.xml", "session.think_dist=exponential", "session.think_time=0.5",
     "session.commands_dist=geometric", "session.commands=8", "client.reaction=retry", NULL},
    {NULL, "client.reaction=pasv-fallback", "session.mix_stor=1", "session.mix_list=1", "session.commands=6",
     "server.reaction=tarpit", "workload.arrival=interval", "workload.interval=0.05", NULL},
    {NULL, "tcp.closer=client", "server.policy=nt351", "session.commands=50", "tcp.time_wait=2",
     "session.file_size_dist=exponential", "workload.arrival=poisson", "workload.rate=20", NULL},
};

START_TEST(test_event_loop_same_sessions_as_actors)
{
  const char *platform = many_sessions[_i][0];
  const char *const *sets = &many_sessions[_i][1];
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *actors = run(dir, "actors", platform, "uncongested", sets, "6", NULL);
  g_autofree gchar *event_loop = run(dir, "event-loop", platform, "event-loop", sets, "6", NULL);
  assert_same_rows(actors, event_loop, TRUE);
  g_autofree gchar *actors_path = g_build_filename(actors, "summary.csv", NULL);
  g_autofree gchar *event_loop_path = g_build_filename(event_loop, "summary.csv", NULL);
  g_autoptr(Csv) a = harness_read_csv(actors_path);
  g_autoptr(Csv) b = harness_read_csv(event_loop_path);
  ck_assert_str_eq(harness_field(b, 0, "engine.sessions"), "event-loop");
  ck_assert_int_ge(harness_int(b, 0, "sessions"), 6); /* enough to compare */
  ck_assert_int_ge(harness_int(b, 0, "data_commands"), 30);
  const char *columns[] = {"sessions",
                           "commands",
                           "rejected",
                           "transfers",
                           "bytes",
                           "simulated_time",
                           "banned",
                           "retries",
                           "pasv_fallbacks",
                           "time_wait_failures",
                           "mean_rejected_before_first_accept"};
  for (guint i = 0; i < G_N_ELEMENTS(columns); i++)
    ck_assert_str_eq(harness_field(a, 0, columns[i]), harness_field(b, 0, columns[i]));
  harness_remove_tree(dir);
}
END_TEST

/* One loop runs every host's sessions here, and moves time itself while no flow is in flight, by the sum
 * SimGrid's clock would take: the same bytes as with a SimGrid wait per event time, on the uncongested
 * and the loaded channel (with SimGrid's transfers, and with the fluid model's, network.transfers=loaded,
 * where no flow is ever in flight), with several hosts, transfers, tarpits and bans. */
START_TEST(test_loop_moving_time_same_bytes_as_simgrid_waits)
{
  const char *platform = many_sessions[_i / 3][0];
  const char *sets[16];
  guint n = 0;
  for (const char *const *set = &many_sessions[_i / 3][1]; *set != NULL; set++)
    sets[n++] = *set;
  sets[n++] = _i % 3 ? "network.control=loaded" : "network.control=uncongested";
  if (_i % 3 == 2)
    sets[n++] = "network.transfers=loaded";
  sets[n] = NULL;
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *own = run(dir, "own", platform, "event-loop", sets, "6", NULL);
  g_setenv("FTPSIM_LOOP_WAITS_IN_SIMGRID", "1", TRUE);
  g_autofree gchar *waits = run(dir, "waits", platform, "event-loop", sets, "6", NULL);
  g_unsetenv("FTPSIM_LOOP_WAITS_IN_SIMGRID");
  assert_same_rows(own, waits, FALSE);
  g_autofree gchar *a = harness_read_text(own, "summary.csv");
  g_autofree gchar *b = harness_read_text(waits, "summary.csv");
  ck_assert_str_eq(a, b);
  harness_remove_tree(dir);
}
END_TEST

/* Deployed sessions (start times, per-session parameters) go through the host's loop too. */
START_TEST(test_event_loop_runs_deployed_sessions)
{
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *deployment = harness_write_file(
      dir, "deployment.xml",
      "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
      "<platform version=\"4.1\">\n"
      "  <actor host=\"as400\" function=\"ftp_client\"><argument value=\"client.start_port=1015\"/></actor>\n"
      "  <actor host=\"as400\" function=\"ftp_client\" start_time=\"3\"/>\n"
      "  <actor host=\"as400\" function=\"ftp_client\" start_time=\"3.5\">"
      "<argument value=\"client.reaction=retry\"/></actor>\n"
      "</platform>\n");
  const char *platform = FTPSIM_SOURCE_DIR "/platforms/kb140424.xml";
  const char *sets[] = {"session.commands=40", NULL};
  g_autofree gchar *actors = run(dir, "actors", platform, "uncongested", sets, "1", deployment);
  g_autofree gchar *event_loop = run(dir, "event-loop", platform, "event-loop", sets, "1", deployment);
  assert_same_rows(actors, event_loop, FALSE);
  g_autofree gchar *sessions_path = g_build_filename(event_loop, "sessions.csv", NULL);
  g_autoptr(Csv) rows = harness_read_csv(sessions_path);
  ck_assert_uint_eq(rows->rows->len, 3);
  ck_assert_int_eq(harness_int(rows, 0, "rejected_before_first_accept"), 9); /* 1015..1023 */
  ck_assert_double_eq_tol(harness_double(rows, 1, "start_time"), 3, 1e-9);
  harness_remove_tree(dir);
}
END_TEST

static Suite *control_suite(void)
{
  Suite *suite = suite_create("control");
  TCase *tc = tcase_create("uncongested");
  tcase_set_timeout(tc, 60);
  tcase_add_loop_test(tc, test_one_session_same_as_shared, 0, CONTROL_ROUTE_COUNT * CONTROL_WORKLOAD_COUNT);
  tcase_add_test(tc, test_contention_only_in_shared);
  tcase_add_loop_test(tc, test_event_loop_same_sessions_as_actors, 0, (int)G_N_ELEMENTS(many_sessions));
  tcase_add_test(tc, test_event_loop_runs_deployed_sessions);
  tcase_add_loop_test(tc, test_loop_moving_time_same_bytes_as_simgrid_waits, 0, 3 * (int)G_N_ELEMENTS(many_sessions));
  suite_add_tcase(suite, tc);
  return suite;
}

int main(void)
{
  return check_main(control_suite);
}
