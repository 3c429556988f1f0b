/* Scale: a 100,000-session run completes, with every session accounted for. Not timed; speed is
 * measured by bench/bench.py. FTPSIM_SCALE_SESSIONS lowers the count where the build is slow
 * (the ASan build: about 20x slower with thread contexts). */
#include <check.h>
#include <stdlib.h>

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
  const char *args[] = {"run",   "--set", sessions, "--set", "session.commands=1", "--set", "workload.arrival=interval",
                        "--set", "workload.interval=0.005", "--out", out, "--quiet", NULL};
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

int main(void)
{
  Suite *suite = suite_create("scale");
  TCase *tc = tcase_create("sessions");
  tcase_set_timeout(tc, 900);
  tcase_add_test(tc, test_hundred_thousand_sessions_complete);
  suite_add_tcase(suite, tc);
  SRunner *runner = srunner_create(suite);
  srunner_run_all(runner, CK_NORMAL);
  int failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
