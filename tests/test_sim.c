/* End-to-end tests of ftpsim run: the simulation against closed forms, simulated times against the
 * platform, parameter precedence, bad input, and byte-identical reruns. Each test runs the binary. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "check_main.h"
#include "memory_estimate.h"
#include "sim_harness.h"

/* ---- closed forms ---- */

/* as400, step 1, nt351sp2: a session from p0 has exactly max(0, 1024 - p0) rejections before its
 * first accept, and its first accepted port is max(p0, 1024). */
static const gint64 start_ports[] = {1, 600, 1000, 1023, 1024, 5000};

START_TEST(test_rejections_before_first_accept_closed_form)
{
  gint64 p0 = start_ports[_i];
  gint64 expected = MAX(0, 1024 - p0);
  Fixture fixture = fixture_new();
  g_autofree gchar *start = g_strdup_printf("client.start_port=%" G_GINT64_FORMAT, p0);
  g_autofree gchar *commands = g_strdup_printf("session.commands=%" G_GINT64_FORMAT, expected + 5);
  const char *args[] = {"--set", start, "--set", commands, "--set", "session.file_size=1000", NULL};
  g_autoptr(Csv) csv = run_sessions(&fixture, NULL, args);
  ck_assert_uint_eq(csv->rows->len, 1);
  ck_assert_int_eq(harness_int(csv, 0, "rejected_before_first_accept"), expected);
  ck_assert_int_eq(harness_int(csv, 0, "rejected"), expected);
  ck_assert_int_eq(harness_int(csv, 0, "commands"), expected + 5);
  ck_assert_int_eq(harness_int(csv, 0, "first_accept_port"), MAX(p0, 1024));
  ck_assert_int_eq(harness_int(csv, 0, "transfers"), 5);
  ck_assert_int_eq(harness_int(csv, 0, "bytes"), 5000);
  ck_assert_str_eq(harness_field(csv, 0, "outcome"), expected > 0 ? "partial" : "ok");
  ck_assert_str_eq(harness_field(csv, 0, "server_policy"), "nt351sp2");
  fixture_clear(&fixture);
}
END_TEST

/* With step s the counter reaches 1024 after ceil((1024 - p0) / s) rejected commands. */
static const gint64 steps[] = {1, 2, 3, 7, 24, 25, 100, 1023};

START_TEST(test_step_closed_form)
{
  const gint64 p0 = 1000;
  gint64 step = steps[_i];
  gint64 expected = (1024 - p0 + step - 1) / step;
  Fixture fixture = fixture_new();
  g_autofree gchar *step_set = g_strdup_printf("client.step=%" G_GINT64_FORMAT, step);
  const char *args[] = {"--set", "client.start_port=1000", "--set", step_set, "--set", "session.commands=40", NULL};
  g_autoptr(Csv) csv = run_sessions(&fixture, NULL, args);
  ck_assert_int_eq(harness_int(csv, 0, "rejected_before_first_accept"), expected);
  ck_assert_int_eq(harness_int(csv, 0, "first_accept_port"), p0 + expected * step);
  fixture_clear(&fixture);
}
END_TEST

START_TEST(test_nt351_rejects_nothing)
{
  Fixture fixture = fixture_new();
  const char *args[] = {"--set", "server.policy=nt351", "--set", "client.start_port=1",
                        "--set", "session.commands=50", NULL};
  g_autoptr(Csv) csv = run_sessions(&fixture, NULL, args);
  ck_assert_int_eq(harness_int(csv, 0, "rejected"), 0);
  ck_assert_int_eq(harness_int(csv, 0, "rejected_before_first_accept"), 0);
  ck_assert_int_eq(harness_int(csv, 0, "first_accept_port"), 1);
  ck_assert_int_eq(harness_int(csv, 0, "transfers"), 50);
  ck_assert_str_eq(harness_field(csv, 0, "outcome"), "ok");
  fixture_clear(&fixture);
}
END_TEST

START_TEST(test_too_few_commands_all_rejected)
{
  Fixture fixture = fixture_new();
  const char *args[] = {"--set", "client.start_port=1000", "--set", "session.commands=10", NULL};
  g_autoptr(Csv) csv = run_sessions(&fixture, NULL, args);
  ck_assert_int_eq(harness_int(csv, 0, "commands"), 10);
  ck_assert_int_eq(harness_int(csv, 0, "rejected"), 10);
  ck_assert_int_eq(harness_int(csv, 0, "rejected_before_first_accept"), 10);
  ck_assert_str_eq(harness_field(csv, 0, "first_accept_port"), "");
  ck_assert_str_eq(harness_field(csv, 0, "first_accept_time"), "");
  ck_assert_int_eq(harness_int(csv, 0, "transfers"), 0);
  ck_assert_str_eq(harness_field(csv, 0, "outcome"), "all_rejected");
  g_autofree gchar *summary_path = g_build_filename(fixture.out, "summary.csv", NULL);
  g_autoptr(Csv) summary = harness_read_csv(summary_path);
  ck_assert_int_eq(harness_int(summary, 0, "sessions_without_accept"), 1);
  fixture_clear(&fixture);
}
END_TEST

/* One counter shared by the host's sessions: however the sessions interleave, the ports below 1024
 * are each used once, so the host's sessions see 1024 - p0 rejections in all. */
START_TEST(test_host_counter_total_rejections)
{
  Fixture fixture = fixture_new();
  const char *args[] = {"--set", "client.counter=host", "--set", "client.start_port=900", "--set", "client.sessions=4",
                        "--set", "session.commands=60", "--set", "session.file_size=100", NULL};
  g_autoptr(Csv) csv = run_sessions(&fixture, NULL, args);
  ck_assert_uint_eq(csv->rows->len, 4);
  gint64 rejected = 0, rejected_before = 0, commands = 0;
  for (guint i = 0; i < csv->rows->len; i++) {
    rejected += harness_int(csv, i, "rejected");
    rejected_before += harness_int(csv, i, "rejected_before_first_accept");
    commands += harness_int(csv, i, "commands");
  }
  ck_assert_int_eq(rejected, 1024 - 900);
  ck_assert_int_eq(rejected_before, 1024 - 900);
  ck_assert_int_eq(commands, 240);
  /* With per-session counters each session pays the whole ramp. (Sessions that overlap on one host
   * could not listen on the same port at once, so these arrive one after another.) */
  const char *per_session[] = {
      "--set", "client.counter=session", "--set", "client.start_port=900", "--set", "client.sessions=4",
      "--set", "session.commands=130",   "--set", "session.file_size=100", "--set", "workload.arrival=interval",
      "--set", "workload.interval=1000", "--set", "tcp.time_wait=0",       NULL};
  g_autoptr(Csv) separate = run_sessions(&fixture, NULL, per_session);
  for (guint i = 0; i < separate->rows->len; i++)
    ck_assert_int_eq(harness_int(separate, i, "rejected_before_first_accept"), 124);
  fixture_clear(&fixture);
}
END_TEST

/* ---- simulated time follows the platform ----
 * With SimGrid's CM02 model and no cross traffic, a message of b bytes over one link of latency L
 * and bandwidth B takes exactly L + b/B. Before the first accepted PORT the session exchanges 8
 * messages (connect, 220, USER, 331, PASS, 230, PORT, 200) of 498 bytes in all, TCP/IP headers
 * included; the transfer then adds RETR (51 B), 150 (82 B), the file (F B) and 226 (64 B). */
static void check_times(const char *latency_text, double latency)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *platform = harness_write_platform(fixture.dir, "p.xml", latency_text, "1MBps", NULL, NULL);
  const char *args[] = {"--set",
                        "client.start_port=1024",
                        "--set",
                        "session.commands=1",
                        "--set",
                        "session.file_size=100000",
                        "--cfg=network/model:CM02",
                        "--cfg=network/crosstraffic:0",
                        NULL};
  g_autoptr(Csv) csv = run_sessions(&fixture, platform, args);
  const double bandwidth = 1e6;
  double accept = 8 * latency + 498 / bandwidth;
  double transfer = accept + 4 * latency + (51 + 82 + 100000 + 64) / bandwidth;
  ck_assert_double_eq_tol(harness_double(csv, 0, "first_accept_time"), accept, 1e-9);
  ck_assert_double_eq_tol(harness_double(csv, 0, "first_transfer_time"), transfer, 1e-9);
  fixture_clear(&fixture);
}

START_TEST(test_times_closed_form)
{
  check_times("10ms", 0.010);
  check_times("50ms", 0.050);
}
END_TEST

START_TEST(test_more_latency_later_accept_default_model)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *fast = harness_write_platform(fixture.dir, "fast.xml", "100us", "10Mbps", NULL, NULL);
  g_autofree gchar *slow = harness_write_platform(fixture.dir, "slow.xml", "20ms", "10Mbps", NULL, NULL);
  const char *args[] = {NULL};
  g_autoptr(Csv) a = run_sessions(&fixture, fast, args);
  double fast_accept = harness_double(a, 0, "first_accept_time");
  g_autoptr(Csv) b = run_sessions(&fixture, slow, args);
  double slow_accept = harness_double(b, 0, "first_accept_time");
  /* Same 24 rejections before the accept either way; each of the 56 messages before it pays the
   * extra latency (times SimGrid's LV08 latency factor, at least 1). */
  ck_assert_int_eq(harness_int(a, 0, "rejected_before_first_accept"), 24);
  ck_assert_int_eq(harness_int(b, 0, "rejected_before_first_accept"), 24);
  ck_assert_double_gt(slow_accept - fast_accept, 56 * (0.020 - 0.0001));
  fixture_clear(&fixture);
}
END_TEST

/* ---- precedence: defaults < host properties < deployment arguments < --set ---- */

START_TEST(test_parameter_precedence)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *plain = harness_write_platform(fixture.dir, "plain.xml", "1ms", "10Mbps", NULL, NULL);
  g_autofree gchar *with_prop = harness_write_platform(fixture.dir, "prop.xml", "1ms", "10Mbps",
                                                       "<prop id=\"client.start_port\" value=\"1010\"/>"
                                                       "<prop id=\"client.counter\" value=\"session\"/>",
                                                       NULL);
  const char *none[] = {NULL};
  g_autoptr(Csv) defaults = run_sessions(&fixture, plain, none);
  ck_assert_int_eq(harness_int(defaults, 0, "rejected_before_first_accept"), 24); /* default start 1000 */
  g_autoptr(Csv) host = run_sessions(&fixture, with_prop, none);
  ck_assert_int_eq(harness_int(host, 0, "rejected_before_first_accept"), 14);
  const char *set[] = {"--set", "client.start_port=1020", NULL};
  g_autoptr(Csv) overridden = run_sessions(&fixture, with_prop, set);
  ck_assert_int_eq(harness_int(overridden, 0, "rejected_before_first_accept"), 4);

  g_autofree gchar *deployment =
      harness_write_file(fixture.dir, "d.xml",
                         "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
                         "<platform version=\"4.1\">\n"
                         "  <actor host=\"client\" function=\"ftp_client\"><argument value=\"server\"/>"
                         "<argument value=\"client.start_port=1015\"/></actor>\n"
                         "  <actor host=\"client\" function=\"ftp_client\" start_time=\"3\"/>\n"
                         "</platform>\n");
  const char *deploy_args[] = {deployment, NULL};
  g_autoptr(Csv) deployed = run_sessions(&fixture, with_prop, deploy_args);
  ck_assert_uint_eq(deployed->rows->len, 2);
  ck_assert_int_eq(harness_int(deployed, 0, "session"), 1);
  ck_assert_int_eq(harness_int(deployed, 0, "rejected_before_first_accept"), 9);  /* actor argument */
  ck_assert_int_eq(harness_int(deployed, 1, "rejected_before_first_accept"), 14); /* host property */
  ck_assert_double_eq(harness_double(deployed, 1, "start_time"), 3.0);
  const char *deploy_set[] = {deployment, "--set", "client.start_port=1020", NULL};
  g_autoptr(Csv) deployed_set = run_sessions(&fixture, with_prop, deploy_set);
  ck_assert_int_eq(harness_int(deployed_set, 0, "rejected_before_first_accept"), 4);
  ck_assert_int_eq(harness_int(deployed_set, 1, "rejected_before_first_accept"), 4);
  fixture_clear(&fixture);
}
END_TEST

/* Every key is a host property, the network. and engine. ones included: the namespaces a host property may
 * set come from the parameter table. */
START_TEST(test_host_property_sets_network_control_and_engine_sessions)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *platform = harness_write_platform(
      fixture.dir, "loop.xml", "1ms", "10Mbps",
      "<prop id=\"network.control\" value=\"uncongested\"/><prop id=\"engine.sessions\" value=\"event-loop\"/>", NULL);
  const char *none[] = {NULL};
  g_autoptr(Csv) sessions = run_sessions(&fixture, platform, none);
  ck_assert_int_eq(harness_int(sessions, 0, "rejected_before_first_accept"), 24); /* the same KB Q140424 result */
  g_autofree gchar *summary_path = g_build_filename(fixture.out, "summary.csv", NULL);
  g_autoptr(Csv) summary = harness_read_csv(summary_path);
  ck_assert_str_eq(harness_field(summary, 0, "network.control"), "uncongested");
  ck_assert_str_eq(harness_field(summary, 0, "engine.sessions"), "event-loop");
  fixture_clear(&fixture);
}
END_TEST

/* ---- outputs ---- */

START_TEST(test_trace_and_summary)
{
  Fixture fixture = fixture_new();
  const char *args[] = {"--trace", "--set", "client.start_port=1020", "--set", "session.commands=6", NULL};
  g_autoptr(Csv) sessions = run_sessions(&fixture, NULL, args);
  g_autofree gchar *trace_path = g_build_filename(fixture.out, "commands.csv", NULL);
  g_autoptr(Csv) trace = harness_read_csv(trace_path);
  /* Six PORTs (1020..1023 rejected), and a RETR after each of the two accepted ones. */
  const char *commands[] = {"PORT", "PORT", "PORT", "PORT", "PORT", "RETR", "PORT", "RETR"};
  const gint64 ports[] = {1020, 1021, 1022, 1023, 1024, 1024, 1025, 1025};
  const gint64 codes[] = {500, 500, 500, 500, 200, 226, 200, 226};
  ck_assert_uint_eq(trace->rows->len, G_N_ELEMENTS(commands));
  for (guint i = 0; i < G_N_ELEMENTS(commands); i++) {
    ck_assert_str_eq(harness_field(trace, i, "command"), commands[i]);
    ck_assert_int_eq(harness_int(trace, i, "port"), ports[i]);
    ck_assert_int_eq(harness_int(trace, i, "reply_code"), codes[i]);
    ck_assert_int_eq(harness_int(trace, i, "accepted"), codes[i] < 300);
    if (i > 0)
      ck_assert_double_gt(harness_double(trace, i, "time"), harness_double(trace, i - 1, "time"));
  }
  ck_assert_double_eq(harness_double(trace, 4, "time"), harness_double(sessions, 0, "first_accept_time"));
  ck_assert_double_eq(harness_double(trace, 5, "time"), harness_double(sessions, 0, "first_transfer_time"));

  g_autofree gchar *summary_path = g_build_filename(fixture.out, "summary.csv", NULL);
  g_autoptr(Csv) summary = harness_read_csv(summary_path);
  ck_assert_uint_eq(summary->rows->len, 1);
  ck_assert_str_eq(harness_field(summary, 0, "platform"), "builtin:kb140424.xml");
  ck_assert_int_eq(harness_int(summary, 0, "seed"), 1);
  ck_assert_int_eq(harness_int(summary, 0, "client.start_port"), 1020);
  ck_assert_str_eq(harness_field(summary, 0, "server.policy"), "nt351sp2");
  ck_assert_int_eq(harness_int(summary, 0, "sessions"), 1);
  ck_assert_int_eq(harness_int(summary, 0, "commands"), 6);
  ck_assert_int_eq(harness_int(summary, 0, "rejected"), 4);
  ck_assert_int_eq(harness_int(summary, 0, "sessions_with_rejection"), 1);
  ck_assert_double_eq(harness_double(summary, 0, "mean_rejected_before_first_accept"), 4.0);
  ck_assert_int_eq(harness_int(summary, 0, "max_rejected_before_first_accept"), 4);
  ck_assert_double_eq(harness_double(summary, 0, "simulated_time"), harness_double(sessions, 0, "end_time"));
  fixture_clear(&fixture);
}
END_TEST

START_TEST(test_default_run_from_any_folder)
{
  Fixture fixture = fixture_new();
  const char *args[] = {NULL};
  RunResult result = harness_run(fixture.dir, args);
  ck_assert_msg(result.status == 0, "exit %d: %s", result.status, result.err);
  ck_assert_ptr_nonnull(strstr(result.out, "PORT commands: 30 sent, 24 rejected"));
  ck_assert_ptr_nonnull(strstr(result.out, "rejected before the first accepted PORT: 24"));
  ck_assert_ptr_nonnull(strstr(result.out, "ftpsim-out/sessions.csv"));
  ck_assert_str_eq(result.err, "");
  harness_result_clear(&result);
  g_autofree gchar *path = g_build_filename(fixture.dir, "ftpsim-out", "sessions.csv", NULL);
  g_autoptr(Csv) csv = harness_read_csv(path);
  ck_assert_int_eq(harness_int(csv, 0, "first_accept_port"), 1024);
  fixture_clear(&fixture);
}
END_TEST

START_TEST(test_same_seed_same_bytes)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *out_a = g_build_filename(fixture.dir, "a", NULL);
  g_autofree gchar *out_b = g_build_filename(fixture.dir, "b", NULL);
  g_autofree gchar *out_c = g_build_filename(fixture.dir, "c", NULL);
  const char *platform = FTPSIM_SOURCE_DIR "/platforms/two-sites.xml";
  const char *common[] = {"run",     platform,
                          "--trace", "--quiet",
                          "--set",   "workload.arrival=poisson",
                          "--set",   "workload.rate=0.5",
                          "--set",   "client.counter=host"};
  const char *outs[] = {out_a, out_b, out_c};
  const char *seeds[] = {"7", "7", "8"};
  for (guint i = 0; i < 3; i++) {
    const char *args[G_N_ELEMENTS(common) + 5];
    memcpy(args, common, sizeof common);
    args[G_N_ELEMENTS(common)] = "--seed";
    args[G_N_ELEMENTS(common) + 1] = seeds[i];
    args[G_N_ELEMENTS(common) + 2] = "--out";
    args[G_N_ELEMENTS(common) + 3] = outs[i];
    args[G_N_ELEMENTS(common) + 4] = NULL;
    RunResult result = harness_run(NULL, args);
    ck_assert_msg(result.status == 0, "exit %d: %s", result.status, result.err);
    harness_result_clear(&result);
  }
  const char *files[] = {"sessions.csv", "summary.csv", "commands.csv"};
  for (guint f = 0; f < G_N_ELEMENTS(files); f++) {
    g_autofree gchar *a = harness_read_text(out_a, files[f]);
    g_autofree gchar *b = harness_read_text(out_b, files[f]);
    g_autofree gchar *c = harness_read_text(out_c, files[f]);
    ck_assert_msg(strcmp(a, b) == 0, "%s differs between two runs with seed 7", files[f]);
    ck_assert_msg(strcmp(a, c) != 0, "%s is the same for seeds 7 and 8 (Poisson arrivals ignore the seed?)", files[f]);
  }
  fixture_clear(&fixture);
}
END_TEST

/* Never killed for memory: under a 600 MiB address-space limit, 20,000 sessions at once with an actor
 * each (estimated 845 MiB; 474 MiB on the event loop, whose transfers have actors too) are refused in one
 * line before anything is written, and 8,000 (estimated 376 MiB) run as asked. Under 1.7 GiB, 100,000 at
 * once on network.control=uncongested (about 2 GiB with an actor each, 1.4 GiB on the loop, as one host's
 * ports bound its transfers in flight) move to the event loop by themselves, which gives the same bytes. */
START_TEST(test_run_too_large_for_memory_is_refused_or_made_light)
{
#ifdef __SANITIZE_ADDRESS__
  return; /* ASan reserves terabytes of shadow memory: it cannot start under an address-space limit */
#endif
  const guint64 limit = 600ull << 20, light_limit = 1700ull << 20;
  Fixture fixture = fixture_new();
  g_autofree gchar *refused_dir = g_build_filename(fixture.dir, "refused", NULL);
  const char *too_many[] = {"run",       "--set", "client.sessions=20000", "--set", "session.commands=2", "--out",
                            refused_dir, NULL};
  RunResult refused = harness_run_limited(NULL, too_many, limit);
  ck_assert_int_eq(refused.status, 2);
  ck_assert_msg(
      strcmp(refused.err,
             "ftpsim: 20000 sessions at once need about 845.2 MiB with an actor each, more than the 600.0 MiB "
             "of the address-space limit (ulimit -v); with no actor they need about 83.5 MiB: add --set "
             "network.control=loaded --set network.transfers=loaded --set engine.sessions=event-loop, or start "
             "fewer sessions at once (workload.arrival=interval|poisson)\n") == 0,
      "stderr: %s", refused.err);
  ck_assert(!g_file_test(refused_dir, G_FILE_TEST_EXISTS));
  harness_result_clear(&refused);

  g_autofree gchar *light_dir = g_build_filename(fixture.dir, "light", NULL);
  g_autofree gchar *actors_dir = g_build_filename(fixture.dir, "actors", NULL);
  const char *light[] = {"run",   "--quiet",
                         "--set", "client.sessions=100000",
                         "--set", "session.commands=2",
                         "--set", "network.control=uncongested",
                         "--set", "client.counter=session",
                         "--set", "client.when_busy=fail",
                         "--out", light_dir,
                         NULL};
  RunResult moved = harness_run_limited(NULL, light, light_limit);
  ck_assert_msg(moved.status == 0, "exit %d: %s", moved.status, moved.err);
  harness_result_clear(&moved);
  g_autofree gchar *light_summary = harness_read_text(light_dir, "summary.csv");
  ck_assert_msg(strstr(light_summary, ",event-loop,") != NULL, "not moved to the event loop: %.200s", light_summary);
  const char *unlimited[] = {"run",   "--quiet",
                             "--set", "client.sessions=100000",
                             "--set", "session.commands=2",
                             "--set", "network.control=uncongested",
                             "--set", "client.counter=session",
                             "--set", "client.when_busy=fail",
                             "--out", actors_dir,
                             NULL};
  RunResult actors = harness_run(NULL, unlimited);
  ck_assert_int_eq(actors.status, 0);
  harness_result_clear(&actors);
  g_autofree gchar *light_rows = harness_read_text(light_dir, "sessions.csv");
  g_autofree gchar *actor_rows = harness_read_text(actors_dir, "sessions.csv");
  ck_assert_msg(strcmp(light_rows, actor_rows) == 0, "the event loop's rows differ from the actors'");

  const char *fits[] = {"run",   "--quiet",
                        "--set", "client.sessions=8000",
                        "--set", "session.commands=2",
                        "--set", "client.counter=session",
                        "--set", "client.when_busy=fail",
                        "--out", fixture.dir,
                        NULL};
  RunResult fitted = harness_run_limited(NULL, fits, limit);
  ck_assert_msg(fitted.status == 0, "exit %d: %s", fitted.status, fitted.err);
  harness_result_clear(&fitted);
  fixture_clear(&fixture);
}
END_TEST

/* Sessions that arrive over time can pile up where the estimate before the run (sessions at time 0) sees
 * one: under a 600 MiB limit, 40,000 arriving at 10,000 a second and pausing 1,000 s between their two
 * (rejected, so transferless) commands are stopped when the next would pass the limit less the program's
 * own 64 MiB, at 20 KiB a session: session 27,444, in one line, with no file left, before malloc fails
 * (without the guard this run dies on a signal; 50,000 at 50,000 a second under 1 GB died of SimGrid's
 * uncaught std::bad_alloc and left 0-byte temporary files). */
START_TEST(test_sessions_piling_up_past_memory_are_stopped)
{
#ifdef __SANITIZE_ADDRESS__
  return; /* ASan reserves terabytes of shadow memory: it cannot start under an address-space limit */
#endif
  const guint64 limit = 600ull << 20;
  const guint64 stopped_at = (limit - MEMORY_BASE_BYTES) / MEMORY_ACTOR_UNCONGESTED_SESSION_BYTES + 1;
  Fixture fixture = fixture_new();
  const char *piling[] = {"run",   "--quiet",
                          "--set", "client.sessions=40000",
                          "--set", "session.commands=2",
                          "--set", "session.think_time=1000",
                          "--set", "client.counter=session",
                          "--set", "workload.arrival=poisson",
                          "--set", "workload.rate=10000",
                          "--set", "network.control=uncongested",
                          "--out", fixture.dir,
                          NULL};
  RunResult stopped = harness_run_limited(NULL, piling, limit);
  ck_assert_int_eq(stopped.status, 2);
  g_autofree gchar *expected = g_strdup_printf(
      "%" G_GUINT64_FORMAT " sessions alive at once need more than the 600.0 MiB of the address-space limit "
      "(ulimit -v); start fewer at once (a lower workload.rate, a longer workload.interval, fewer "
      "client.sessions) or add --set network.control=loaded --set network.transfers=loaded --set "
      "engine.sessions=event-loop; nothing was "
      "written\n",
      stopped_at);
  ck_assert_msg(g_str_has_prefix(stopped.err, "ftpsim: stopped at ") && g_str_has_suffix(stopped.err, expected) &&
                    strchr(stopped.err, '\n') == stopped.err + strlen(stopped.err) - 1,
                "stderr: %s", stopped.err);
  harness_result_clear(&stopped);
  GDir *dir = g_dir_open(fixture.dir, 0, NULL);
  const char *left = g_dir_read_name(dir);
  ck_assert_msg(left == NULL, "%s left in the output folder", left);
  g_dir_close(dir);
  fixture_clear(&fixture);
}
END_TEST

/* The restart execs the program's own path, not /proc/self/exe, so ps and top still show "ftpsim"
 * (the kernel names a process after the file it ran). Watched from outside while the run is alive. */
START_TEST(test_restarted_run_keeps_its_name)
{
#ifdef __SANITIZE_ADDRESS__
  return; /* no restart under ASan: its allocator has no huge-page setting */
#endif
  Fixture fixture = fixture_new();
  g_autofree gchar *saved = g_strdup(g_getenv("GLIBC_TUNABLES"));
  g_unsetenv("GLIBC_TUNABLES");
  const char *argv[] = {FTPSIM_BINARY,
                        "run",
                        "--quiet",
                        "--set",
                        "client.sessions=20000",
                        "--set",
                        "client.counter=session",
                        "--set",
                        "client.when_busy=fail",
                        "--out",
                        fixture.dir,
                        NULL};
  GPid pid;
  g_autoptr(GError) error = NULL;
  gboolean spawned = g_spawn_async(NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                   NULL, NULL, &pid, &error);
  if (saved)
    g_setenv("GLIBC_TUNABLES", saved, TRUE);
  ck_assert_msg(spawned, "%s", error ? error->message : "");
  g_autofree gchar *environ_path = g_strdup_printf("/proc/%d/environ", pid);
  g_autofree gchar *comm_path = g_strdup_printf("/proc/%d/comm", pid);
  g_autofree gchar *name = NULL;
  for (int attempt = 0; attempt < 500 && name == NULL; attempt++) { /* at most 5 s */
    g_autofree gchar *environment = NULL;
    gsize length = 0;
    gboolean restarted = FALSE;
    if (g_file_get_contents(environ_path, &environment, &length, NULL))
      for (gsize at = 0; at < length && !restarted; at += strlen(environment + at) + 1)
        restarted = g_str_has_prefix(environment + at, "GLIBC_TUNABLES=");
    if (restarted)
      g_file_get_contents(comm_path, &name, NULL, NULL);
    else
      g_usleep(10000);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ck_assert_msg(name != NULL, "the run never restarted with the huge-page heap");
  ck_assert_str_eq(name, "ftpsim\n");
  ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  fixture_clear(&fixture);
}
END_TEST

/* Above 1,000 sessions ftpsim execs itself once with glibc's huge-page heap (sim/restart.c): the
 * restarted run must keep every argument and give the same bytes as a run that needs no restart
 * (GLIBC_TUNABLES already names the setting), and a bad input must still get its one-line error. */
START_TEST(test_large_run_restart_keeps_arguments_and_results)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *out_restarted = g_build_filename(fixture.dir, "restarted", NULL);
  g_autofree gchar *out_direct = g_build_filename(fixture.dir, "direct", NULL);
  g_autofree gchar *saved = g_strdup(g_getenv("GLIBC_TUNABLES"));
  const char *outs[] = {out_restarted, out_direct};
  for (guint i = 0; i < 2; i++) {
    if (i == 0)
      g_unsetenv("GLIBC_TUNABLES");
    else
      g_setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0", TRUE);
    const char *args[] = {"run",    "--quiet",
                          "--set",  "client.sessions=1001",
                          "--set",  "session.commands=2",
                          "--set",  "workload.arrival=interval",
                          "--set",  "workload.interval=0.5",
                          "--set",  "client.start_port=1020",
                          "--set",  "client.counter=session",
                          "--seed", "5",
                          "--out",  outs[i],
                          NULL};
    RunResult result = harness_run(NULL, args);
    ck_assert_msg(result.status == 0, "exit %d: %s", result.status, result.err);
    harness_result_clear(&result);
  }
  const char *bad[] = {"run",   "--quiet",  "--set", "client.sessions=1001", "--cfg=network/model:Nope",
                       "--out", out_direct, NULL};
  RunResult refused = harness_run(NULL, bad);
  if (saved)
    g_setenv("GLIBC_TUNABLES", saved, TRUE);
  else
    g_unsetenv("GLIBC_TUNABLES");
  ck_assert_int_eq(refused.status, 2);
  ck_assert_msg(strstr(refused.err, "Model 'Nope' is invalid") != NULL && strchr(refused.err, '\n') != NULL &&
                    strchr(refused.err, '\n')[1] == '\0',
                "stderr: %s", refused.err);
  harness_result_clear(&refused);

  const char *files[] = {"sessions.csv", "summary.csv"};
  for (guint f = 0; f < G_N_ELEMENTS(files); f++) {
    g_autofree gchar *a = harness_read_text(out_restarted, files[f]);
    g_autofree gchar *b = harness_read_text(out_direct, files[f]);
    ck_assert_msg(strcmp(a, b) == 0, "%s differs between a restarted run and a direct one", files[f]);
  }
  g_autofree gchar *summary_path = g_build_filename(out_restarted, "summary.csv", NULL);
  g_autoptr(Csv) summary = harness_read_csv(summary_path);
  ck_assert_int_eq(harness_int(summary, 0, "sessions"), 1001);
  ck_assert_int_eq(harness_int(summary, 0, "seed"), 5);
  ck_assert_int_eq(harness_int(summary, 0, "commands"), 2002);
  /* each session's own counter from 1020 with 2 commands: 2 rejections (1020, 1021), none accepted */
  ck_assert_int_eq(harness_int(summary, 0, "rejected"), 2002);
  fixture_clear(&fixture);
}
END_TEST

START_TEST(test_models_listing)
{
  const char *args[] = {"models", NULL};
  RunResult result = harness_run(NULL, args);
  ck_assert_int_eq(result.status, 0);
  const char *expected[] = {"as400", "nt351", "nt351sp2", "client.start_port", "client.counter", "KB Q140424"};
  for (guint i = 0; i < G_N_ELEMENTS(expected); i++)
    ck_assert_msg(strstr(result.out, expected[i]) != NULL, "'ftpsim models' does not mention %s", expected[i]);
  harness_result_clear(&result);
}
END_TEST

START_TEST(test_readme_parameter_table_is_current)
{
  const char *args[] = {"params", "--markdown", NULL};
  RunResult result = harness_run(NULL, args);
  ck_assert_int_eq(result.status, 0);
  g_autofree gchar *readme = NULL;
  ck_assert(g_file_get_contents(FTPSIM_SOURCE_DIR "/README.md", &readme, NULL, NULL));
  const char *begin = strstr(readme, "<!-- params:begin -->\n");
  const char *end = strstr(readme, "<!-- params:end -->");
  ck_assert_ptr_nonnull(begin);
  ck_assert_ptr_nonnull(end);
  begin += strlen("<!-- params:begin -->\n");
  g_autofree gchar *table = g_strndup(begin, (gsize)(end - begin));
  ck_assert_msg(strcmp(table, result.out) == 0,
                "README.md's parameter table is stale: replace it with the output of 'ftpsim params --markdown'");
  harness_result_clear(&result);
}
END_TEST

/* ---- bad input: exit 2, one line on stderr that says what is wrong, and no output files ---- */

#define DOCTYPE "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"

typedef struct BadInput {
  const char *what;
  const char *args[8];  /* after "run" and before --out; "@" stands for the fixture's folder */
  const char *expected; /* a part of the message */
} BadInput;

static const char good_platform[] =
    "<?xml version='1.0'?>\n" DOCTYPE "<platform version=\"4.1\"><zone id=\"z\" routing=\"Full\">"
    "<host id=\"c\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"client\"/>%s</host>"
    "<host id=\"s\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"%s\"/></host>"
    "<link id=\"l\" bandwidth=\"%s\" latency=\"1ms\"/>"
    "<route src=\"c\" dst=\"s\"><link_ctn id=\"%s\"/></route></zone></platform>\n";

static const BadInput bad_inputs[] = {
    {"missing platform", {"@/nowhere.xml"}, "cannot read the platform"},
    {"malformed platform", {"@/malformed.xml"}, "malformed.xml: Error on line"},
    {"no DOCTYPE", {"@/nodoctype.xml"}, "SimGrid needs the line <!DOCTYPE platform"},
    {"no server host", {"@/noserver.xml"}, "the platform has no server host"},
    {"bad role", {"@/badrole.xml"}, "ftpsim.role 'router' is not a known role (accepted: client, server)"},
    {"bad bandwidth", {"@/badbw.xml"}, "cannot parse number:fast"},
    {"unknown link", {"@/badlink.xml"}, "Link not found: nowhere"},
    {"no route", {"@/noroute.xml"}, "no route from host 'c' to host 's'"},
    {"bad host property", {"@/badprop.xml"}, "host 'c': client.step: '0' is out of range (accepted: 1..65535)"},
    {"unknown model",
     {"--set", "client.model=as401"},
     "client.model: 'as401' is not a known value (did you mean 'as400'? accepted: "},
    {"unknown policy", {"--set", "server.policy=nt4"}, "server.policy: 'nt4' is not a known value (accepted: "},
    {"unknown key",
     {"--set", "client.port_start=5"},
     "unknown parameter 'client.port_start' ('ftpsim params' lists every key)"},
    {"not key=value", {"--set", "client.step"}, "is not KEY=VALUE"},
    {"wrong type", {"--set", "client.step=two"}, "client.step: 'two' is not a whole number (accepted: 1..65535)"},
    {"port 0", {"--set", "client.start_port=0"}, "client.start_port: '0' is out of range (accepted: 1..65535)"},
    {"port 65536", {"--set", "client.start_port=65536"}, "'65536' is out of range (accepted: 1..65535)"},
    {"step 0", {"--set", "client.step=0"}, "client.step: '0' is out of range"},
    {"negative sessions", {"--set", "client.sessions=-2"}, "client.sessions: '-2' is out of range (accepted: 0.."},
    {"negative commands", {"--set", "session.commands=-1"}, "session.commands: '-1' is out of range"},
    {"bad seed", {"--seed", "-3"}, "--seed: '-3' is not a whole number"},
    {"unknown option", {"--sed", "3"}, "unknown option '--sed'"},
    {"unknown SimGrid option", {"--cfg=network/modle:CM02"}, "Bad config key: network/modle"},
    {"unwritable out", {"--out", "@/file/out"}, "cannot create output folder"},
    {"missing deployment",
     {FTPSIM_SOURCE_DIR "/platforms/kb140424.xml", "@/nodeploy.xml"},
     "cannot read the deployment"},
    {"deployment on a server host",
     {FTPSIM_SOURCE_DIR "/platforms/kb140424.xml", "@/baddeploy.xml"},
     "host 'nt351' is not a client host of the platform"},
};

static void write_bad_files(const char *dir)
{
  g_autofree gchar *noserver = g_strdup_printf(good_platform, "", "client", "1Mbps", "l");
  g_autofree gchar *badrole = g_strdup_printf(good_platform, "", "router", "1Mbps", "l");
  g_autofree gchar *badbw = g_strdup_printf(good_platform, "", "server", "fast", "l");
  g_autofree gchar *badlink = g_strdup_printf(good_platform, "", "server", "1Mbps", "nowhere");
  g_autofree gchar *badprop =
      g_strdup_printf(good_platform, "<prop id=\"client.step\" value=\"0\"/>", "server", "1Mbps", "l");
  const char *files[][2] = {
      {"malformed.xml", DOCTYPE "<platform version=\"4.1\"><zone id=\"z\" routing=\"Full\"></platform>"},
      {"noserver.xml", noserver},
      {"badrole.xml", badrole},
      {"badbw.xml", badbw},
      {"badlink.xml", badlink},
      {"badprop.xml", badprop},
      {"file", "not a folder"},
      {"noroute.xml", "<?xml version='1.0'?>\n" DOCTYPE "<platform version=\"4.1\"><zone id=\"z\" routing=\"Full\">"
                      "<host id=\"c\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"client\"/></host>"
                      "<host id=\"s\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"server\"/></host>"
                      "<link id=\"l\" bandwidth=\"1Mbps\" latency=\"1ms\"/></zone></platform>\n"},
      {"nodoctype.xml", "<?xml version='1.0'?>\n<platform version=\"4.1\"></platform>\n"},
      {"baddeploy.xml", "<?xml version='1.0'?>\n" DOCTYPE "<platform version=\"4.1\"><actor host=\"nt351\" "
                        "function=\"ftp_client\"/></platform>\n"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(files); i++)
    g_free(harness_write_file(dir, files[i][0], files[i][1]));
}

START_TEST(test_bad_input)
{
  const BadInput *bad = &bad_inputs[_i];
  Fixture fixture = fixture_new();
  write_bad_files(fixture.dir);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(argv, g_strdup("run"));
  gboolean has_out = FALSE;
  for (guint i = 0; bad->args[i] != NULL; i++) {
    const char *arg = bad->args[i];
    has_out |= strcmp(arg, "--out") == 0;
    g_ptr_array_add(argv, arg[0] == '@' ? g_strconcat(fixture.dir, arg + 1, NULL) : g_strdup(arg));
  }
  if (!has_out) {
    g_ptr_array_add(argv, g_strdup("--out"));
    g_ptr_array_add(argv, g_strdup(fixture.out));
  }
  g_ptr_array_add(argv, NULL);
  RunResult result = harness_run(NULL, (const char *const *)argv->pdata);
  ck_assert_msg(result.status == 2, "%s: exit %d, stderr: %s", bad->what, result.status, result.err);
  ck_assert_msg(g_str_has_prefix(result.err, "ftpsim: "), "%s: stderr is '%s'", bad->what, result.err);
  ck_assert_msg(strchr(result.err, '\n') == result.err + strlen(result.err) - 1, "%s: more than one line: '%s'",
                bad->what, result.err);
  ck_assert_msg(strstr(result.err, bad->expected) != NULL, "%s: '%s' does not say '%s'", bad->what, result.err,
                bad->expected);
  ck_assert_msg(strstr(result.err, "Backtrace") == NULL && strstr(result.err, "terminate") == NULL, "%s", result.err);
  ck_assert_str_eq(result.out, "");
  /* Nothing written: no output folder at all, or one without files. */
  if (g_file_test(fixture.out, G_FILE_TEST_IS_DIR)) {
    GDir *dir = g_dir_open(fixture.out, 0, NULL);
    const char *name = g_dir_read_name(dir);
    ck_assert_msg(name == NULL, "%s: left %s behind", bad->what, name);
    g_dir_close(dir);
  }
  harness_result_clear(&result);
  fixture_clear(&fixture);
}
END_TEST

START_TEST(test_failed_run_keeps_previous_output)
{
  /* An earlier good run's files stay whole when a later run in the same folder is refused. */
  Fixture fixture = fixture_new();
  const char *good[] = {NULL};
  g_autoptr(Csv) first = run_sessions(&fixture, NULL, good);
  g_autofree gchar *before = harness_read_text(fixture.out, "sessions.csv");
  const char *args[] = {"run", "--out", fixture.out, "--set", "client.step=0", NULL};
  RunResult result = harness_run(NULL, args);
  ck_assert_int_eq(result.status, 2);
  harness_result_clear(&result);
  g_autofree gchar *after = harness_read_text(fixture.out, "sessions.csv");
  ck_assert_str_eq(before, after);
  GDir *dir = g_dir_open(fixture.out, 0, NULL);
  const char *name;
  guint files = 0;
  while ((name = g_dir_read_name(dir)) != NULL) {
    ck_assert_msg(name[0] != '.', "temporary file %s left behind", name);
    files++;
  }
  g_dir_close(dir);
  ck_assert_uint_eq(files, 3); /* sessions.csv, summary.csv, provenance.csv */
  fixture_clear(&fixture);
}
END_TEST

/* Ctrl-C in the middle of a run: the process dies of SIGINT and leaves no file, not even a temporary one. */
START_TEST(test_interrupted_run_leaves_nothing)
{
  Fixture fixture = fixture_new();
  const char *argv[] = {
      FTPSIM_BINARY,          "run", "--out", fixture.out, "--quiet", "--set", "client.sessions=20000", "--set",
      "session.commands=100", NULL};
  GPid pid;
  ck_assert(g_spawn_async(NULL, (gchar **)argv, NULL,
                          G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                          NULL, &pid, NULL));
  /* Wait (at most 60 s) until the run is writing its temporary files. */
  gboolean writing = FALSE;
  for (int i = 0; i < 600 && !writing; i++) {
    g_usleep(100000);
    GDir *dir = g_dir_open(fixture.out, 0, NULL);
    writing = dir != NULL && g_dir_read_name(dir) != NULL;
    if (dir != NULL)
      g_dir_close(dir);
  }
  ck_assert_msg(writing, "the run never started writing");
  g_usleep(300000);
  kill(pid, SIGINT);
  int status = 0;
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  g_spawn_close_pid(pid);
  ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT, "status %d", status);
  GDir *dir = g_dir_open(fixture.out, 0, NULL);
  ck_assert_ptr_nonnull(dir);
  const char *left = g_dir_read_name(dir);
  ck_assert_msg(left == NULL, "%s left behind", left);
  g_dir_close(dir);
  fixture_clear(&fixture);
}
END_TEST

static Suite *sim_suite(void)
{
  Suite *suite = suite_create("sim");
  TCase *closed = tcase_create("closed_forms");
  tcase_set_timeout(closed, 300);
  tcase_add_loop_test(closed, test_rejections_before_first_accept_closed_form, 0, G_N_ELEMENTS(start_ports));
  tcase_add_loop_test(closed, test_step_closed_form, 0, G_N_ELEMENTS(steps));
  tcase_add_test(closed, test_nt351_rejects_nothing);
  tcase_add_test(closed, test_too_few_commands_all_rejected);
  tcase_add_test(closed, test_host_counter_total_rejections);
  tcase_add_test(closed, test_times_closed_form);
  tcase_add_test(closed, test_more_latency_later_accept_default_model);
  suite_add_tcase(suite, closed);

  TCase *io = tcase_create("inputs_outputs");
  tcase_set_timeout(io, 300);
  tcase_add_test(io, test_parameter_precedence);
  tcase_add_test(io, test_host_property_sets_network_control_and_engine_sessions);
  tcase_add_test(io, test_trace_and_summary);
  tcase_add_test(io, test_default_run_from_any_folder);
  tcase_add_test(io, test_same_seed_same_bytes);
  tcase_add_test(io, test_large_run_restart_keeps_arguments_and_results);
  tcase_add_test(io, test_restarted_run_keeps_its_name);
  tcase_add_test(io, test_run_too_large_for_memory_is_refused_or_made_light);
  tcase_add_test(io, test_sessions_piling_up_past_memory_are_stopped);
  tcase_add_test(io, test_models_listing);
  tcase_add_test(io, test_readme_parameter_table_is_current);
  tcase_add_loop_test(io, test_bad_input, 0, G_N_ELEMENTS(bad_inputs));
  tcase_add_test(io, test_failed_run_keeps_previous_output);
  tcase_add_test(io, test_interrupted_run_leaves_nothing);
  suite_add_tcase(suite, io);
  return suite;
}

int main(void)
{
  return check_main(sim_suite);
}
