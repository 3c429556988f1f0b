/* Scale: 100,000-session runs complete, with every session accounted for: arriving over time with an
 * actor per session, and all at once with engine.sessions=event-loop. Not timed; speed is
 * measured by bench/bench.py. FTPSIM_SCALE_SESSIONS lowers the count where the build is slow
 * (the ASan build: about 20x slower with thread contexts). */
#include <check.h>

#include "check_main.h"
#include "sim_harness.h"

#define DEFAULT_SESSIONS 100000

static guint64 scale_sessions(void)
{
  const char *text = g_getenv("FTPSIM_SCALE_SESSIONS");
  guint64 sessions = DEFAULT_SESSIONS;
  if (text != NULL && !g_ascii_string_to_unsigned(text, 10, 1, G_MAXUINT32, &sessions, NULL))
    ck_abort_msg("FTPSIM_SCALE_SESSIONS='%s' is not a whole number >= 1", text);
  return sessions;
}

/* 100,000 sessions of one PORT each on the built-in KB Q140424 platform, arriving one every 5 ms
 * (a few alive at once); each names port 1000, which NT 3.51 SP2 refuses: every command is
 * rejected, no transfer happens. Above 10,000 sessions ftpsim picks small stacks without guard
 * pages itself, so this also runs those settings. */
START_TEST(test_hundred_thousand_sessions_complete)
{
  guint64 n = scale_sessions();
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *out = g_build_filename(dir, "out", NULL);
  g_autofree gchar *sessions = g_strdup_printf("client.sessions=%" G_GUINT64_FORMAT, n);
  const char *args[] = {"run",
                        "--set",
                        sessions,
                        "--set",
                        "session.commands=1",
                        "--set",
                        "client.counter=session", /* every session names 1000: all rejected */
                        "--set",
                        "workload.arrival=interval",
                        "--set",
                        "workload.interval=0.005",
                        "--out",
                        out,
                        "--quiet",
                        NULL};
  RunResult result = harness_run(NULL, args);
  ck_assert_msg(result.status == 0, "ftpsim exited with %d: %s", result.status, result.err);
  harness_result_clear(&result);

  g_autofree gchar *sessions_path = g_build_filename(out, "sessions.csv", NULL);
  g_autoptr(Csv) rows = harness_read_csv(sessions_path);
  ck_assert_uint_eq(rows->rows->len, n);
  ck_assert_int_eq(harness_int(rows, 0, "session"), 1);
  ck_assert_int_eq(harness_int(rows, (guint)n - 1, "rejected"), 1);
  /* The last session arrives at (n - 1) x 5 ms. */
  ck_assert_double_eq_tol(harness_double(rows, (guint)n - 1, "start_time"), (double)(n - 1) * 0.005, 1e-6);

  g_autofree gchar *summary_path = g_build_filename(out, "summary.csv", NULL);
  g_autoptr(Csv) summary = harness_read_csv(summary_path);
  ck_assert_int_eq(harness_int(summary, 0, "sessions"), (gint64)n);
  ck_assert_int_eq(harness_int(summary, 0, "commands"), (gint64)n);
  ck_assert_int_eq(harness_int(summary, 0, "rejected"), (gint64)n);
  ck_assert_int_eq(harness_int(summary, 0, "transfers"), 0);
  harness_remove_tree(dir);
}
END_TEST

/* 100,000 sessions alive at once, the benchmark's c5 case (bench/platform.xml: two client hosts, each
 * with a host-wide counter over 1..65534, a server refusing every port below 65535): 10 PORTs each, all
 * refused. With network.control=uncongested no session waits for another, so each ends when a session
 * alone does (within the few bytes that longer port numbers add). */
START_TEST(test_hundred_thousand_sessions_at_once_event_loop)
{
  guint64 n = scale_sessions() / 2 * 2; /* half on each client host */
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *out = g_build_filename(dir, "out", NULL);
  g_autofree gchar *alone_out = g_build_filename(dir, "alone", NULL);
  g_autofree gchar *sessions = g_strdup_printf("client.sessions=%" G_GUINT64_FORMAT, n / 2);
  const char *platform = FTPSIM_SOURCE_DIR "/bench/platform.xml";
  const char *many[] = {"run",     platform,
                        "--set",   sessions,
                        "--set",   "session.commands=10",
                        "--set",   "client.model=sequential",
                        "--set",   "client.range=custom",
                        "--set",   "client.low=1",
                        "--set",   "client.high=65534",
                        "--set",   "server.policy=min-port",
                        "--set",   "server.min_port=65535",
                        "--set",   "network.control=uncongested",
                        "--set",   "engine.sessions=event-loop",
                        "--out",   out,
                        "--quiet", NULL};
  RunResult result = harness_run(NULL, many);
  ck_assert_msg(result.status == 0, "ftpsim exited with %d: %s", result.status, result.err);
  harness_result_clear(&result);
  /* The same with one session per host. */
  many[3] = "client.sessions=1";
  many[G_N_ELEMENTS(many) - 3] = alone_out;
  result = harness_run(NULL, many);
  ck_assert_msg(result.status == 0, "ftpsim exited with %d: %s", result.status, result.err);
  harness_result_clear(&result);

  g_autofree gchar *summary_path = g_build_filename(out, "summary.csv", NULL);
  g_autoptr(Csv) summary = harness_read_csv(summary_path);
  ck_assert_int_eq(harness_int(summary, 0, "sessions"), (gint64)n);
  ck_assert_int_eq(harness_int(summary, 0, "commands"), (gint64)(10 * n));
  ck_assert_int_eq(harness_int(summary, 0, "rejected"), (gint64)(10 * n));
  ck_assert_int_eq(harness_int(summary, 0, "connection_failures"), 0);
  ck_assert_int_eq(harness_int(summary, 0, "transfers"), 0);

  g_autofree gchar *alone_path = g_build_filename(alone_out, "sessions.csv", NULL);
  g_autoptr(Csv) alone = harness_read_csv(alone_path);
  const double alone_end = harness_double(alone, 0, "end_time");
  g_autofree gchar *sessions_path = g_build_filename(out, "sessions.csv", NULL);
  g_autoptr(Csv) rows = harness_read_csv(sessions_path);
  ck_assert_uint_eq(rows->rows->len, n);
  for (guint i = 0; i < n; i++) {
    ck_assert_double_eq(harness_double(rows, i, "start_time"), 0);
    ck_assert_int_eq(harness_int(rows, i, "rejected"), 10);
    ck_assert_double_ge(harness_double(rows, i, "end_time"), alone_end);
    ck_assert_double_le(harness_double(rows, i, "end_time"), alone_end * 1.001);
  }
  harness_remove_tree(dir);
}
END_TEST

static Suite *scale_suite(void)
{
  Suite *suite = suite_create("scale");
  TCase *tc = tcase_create("sessions");
  tcase_set_timeout(tc, 900);
  tcase_add_test(tc, test_hundred_thousand_sessions_complete);
  tcase_add_test(tc, test_hundred_thousand_sessions_at_once_event_loop);
  suite_add_tcase(suite, tc);
  return suite;
}

int main(void)
{
  return check_main(scale_suite);
}
