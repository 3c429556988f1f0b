/* Issue 13's metrics without the engine: intended, unissued and lost data commands, the time lost to
 * rejections, the nearest-rank quantiles over sessions, and the summary `ftpsim run` prints (every failure
 * class that happened, none that did not, a line per model when a run mixes them). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "session_stats.h"
#include "summary_text.h"

/* A session of `intended` data commands on a counter from `start`, against a server refusing ports below
 * 1024: each command one PORT sent at t and answered at t + 0.01; the session ends after `issued`. */
static SessionStats kb_session(guint start, guint64 intended, guint64 issued, double start_time)
{
  SessionStats stats;
  session_stats_init(&stats, start_time);
  stats.intended_commands = intended;
  double t = start_time;
  for (guint64 i = 0; i < issued; i++) {
    const guint16 port = (guint16)(start + i);
    session_stats_begin_command(&stats);
    session_stats_port_sent(&stats, port, t);
    t += 0.01;
    session_stats_record_port(&stats, port, port >= 1024, t);
    if (port < 1024)
      session_stats_fail_command(&stats);
    else
      session_stats_record_transfer(&stats, 100, t);
  }
  stats.end_time = t;
  return stats;
}

START_TEST(test_intended_is_issued_plus_unissued_and_lost_is_failed_plus_unissued)
{
  SessionStats stats = kb_session(1000, 30, 20, 0); /* ended after 20 of 30: 24 would fail, 20 did */
  stats.end = SESSION_END_DISCONNECTED;
  ck_assert_uint_eq(stats.data_commands, 20);
  ck_assert_uint_eq(stats.failed_commands, 20);
  ck_assert_uint_eq(session_stats_unissued(&stats), 10);
  ck_assert_uint_eq(session_stats_lost(&stats), 30);
  ck_assert_uint_eq(stats.intended_commands, stats.data_commands + session_stats_unissued(&stats));
  ck_assert_int_eq(stats.start_port, 1000);
  ck_assert_double_eq_tol(stats.rejection_time, 20 * 0.01, 1e-12);
  ck_assert_str_eq(session_outcome_name(session_stats_outcome(&stats)), "disconnected");

  SessionStats kb = kb_session(1000, 30, 30, 0); /* the KB: 24 lost of 30 */
  ck_assert_uint_eq(session_stats_lost(&kb), 24);
  ck_assert_uint_eq(session_stats_unissued(&kb), 0);
  ck_assert_double_eq_tol(kb.rejection_time, 24 * 0.01, 1e-12);
  ck_assert_str_eq(session_outcome_name(session_stats_outcome(&kb)), "partial");

  SessionStats clean = kb_session(2000, 30, 30, 0);
  ck_assert_uint_eq(session_stats_lost(&clean), 0);
  ck_assert_double_eq(clean.rejection_time, 0);
  ck_assert_str_eq(session_outcome_name(session_stats_outcome(&clean)), "ok");
}
END_TEST

/* A session banned at its greeting issued nothing: all it intended is lost, and it is not ok. */
START_TEST(test_a_session_that_issued_nothing_lost_all_it_intended)
{
  SessionStats stats = kb_session(1000, 30, 0, 0);
  stats.end = SESSION_END_BANNED;
  ck_assert_uint_eq(session_stats_lost(&stats), 30);
  ck_assert_int_eq(stats.start_port, -1);
  RunStats run;
  run_stats_init(&run);
  run_stats_add(&run, &stats);
  ck_assert_uint_eq(run.intended_commands, 30);
  ck_assert_uint_eq(run.unissued_commands, 30);
  ck_assert_uint_eq(run.lost_commands, 30);
  ck_assert_uint_eq(run.failed_commands, 0);
  run_stats_clear(&run);
}
END_TEST

/* Three sessions on one host counter from 1000, taking turns (1000, 1001, 1002, 1003, ...): session k
 * (0, 1, 2) names 1000 + k + 3i, so it has ceil((24 - k) / 3) = 8 rejections before its first accept, at
 * ports 1024, 1025, 1026. Times to accept 0.09, 0.10, 0.11 and rejections of other shapes check the
 * ranks: the median of n values is the ceil(n/2)-th, the p95 the ceil(0.95 n)-th. */
START_TEST(test_quantiles_are_nearest_rank)
{
  RunStats run;
  run_stats_init(&run);
  for (guint k = 0; k < 3; k++) {
    SessionStats stats;
    session_stats_init(&stats, 1.0);
    for (guint port = 1000 + k; port <= 1026; port += 3) {
      session_stats_port_sent(&stats, (guint16)port, 1.0);
      session_stats_record_port(&stats, (guint16)port, port >= 1024, port >= 1024 ? 1.09 + 0.01 * k : 1.0);
    }
    ck_assert_uint_eq(stats.rejected_before_first_accept, 8);
    ck_assert_int_eq(stats.first_accept_port, 1024 + k);
    run_stats_add(&run, &stats);
  }
  Quantiles rejected = run_stats_rejected_before_first_accept_quantiles(&run);
  ck_assert_uint_eq(rejected.count, 3);
  ck_assert_double_eq(rejected.median, 8);
  ck_assert_double_eq(rejected.p95, 8);
  ck_assert_double_eq(rejected.max, 8);
  Quantiles wait = run_stats_time_to_first_accept_quantiles(&run);
  ck_assert_uint_eq(wait.count, 3);
  ck_assert_double_eq_tol(wait.median, 0.10, 1e-12);
  ck_assert_double_eq_tol(wait.p95, 0.11, 1e-12);
  ck_assert_double_eq_tol(wait.max, 0.11, 1e-12);

  /* 20 more sessions with 0..19 rejections and no accept: 23 values 0..19, 8, 8, 8. Sorted:
   * 0..7, 8, 8, 8, 8, 9..19; rank ceil(11.5) = 12 is 8 (the 9th to 12th are 8), rank ceil(21.85) = 22 is 18. */
  for (guint n = 0; n < 20; n++) {
    SessionStats stats;
    session_stats_init(&stats, 0);
    for (guint i = 0; i < n; i++)
      session_stats_record_port(&stats, 1, FALSE, 0);
    run_stats_add(&run, &stats);
  }
  rejected = run_stats_rejected_before_first_accept_quantiles(&run);
  ck_assert_uint_eq(rejected.count, 23);
  ck_assert_double_eq(rejected.median, 8);
  ck_assert_double_eq(rejected.p95, 18);
  ck_assert_double_eq(rejected.max, 19);
  wait = run_stats_time_to_first_accept_quantiles(&run); /* sessions without an accept do not count */
  ck_assert_uint_eq(wait.count, 3);
  run_stats_clear(&run);

  RunStats empty;
  run_stats_init(&empty);
  ck_assert_uint_eq(run_stats_rejected_before_first_accept_quantiles(&empty).count, 0);
  ck_assert_uint_eq(run_stats_time_to_first_accept_quantiles(&empty).count, 0);
  run_stats_clear(&empty);
}
END_TEST

/* The printed summary of a run, as a string. */
static gchar *summary_of(const RunStats *run, const RunBreakdown *breakdown)
{
  char *text = NULL;
  size_t length = 0;
  FILE *stream = open_memstream(&text, &length);
  const SummaryText summary = {.platform_label = "p.xml",
                               .seed = 1,
                               .client_model = "as400",
                               .server_policy = "nt351sp2",
                               .run = run,
                               .breakdown = breakdown,
                               .simulated_time = 2};
  summary_text_write(stream, &summary);
  fclose(stream);
  gchar *copy = g_strdup(text);
  free(text);
  return copy;
}

START_TEST(test_one_kb_session_prints_the_kb_and_only_rejections)
{
  RunStats run;
  run_stats_init(&run);
  SessionStats kb = kb_session(1000, 30, 30, 0);
  run_stats_add(&run, &kb);
  g_autofree gchar *text = summary_of(&run, NULL);
  ck_assert_str_eq(text,
                   "ftpsim: 1 session(s) of client model as400 against server policy nt351sp2 on p.xml, seed 1\n"
                   "  data commands: 30 intended, 30 issued, 6 completed, 24 lost\n"
                   "  PORT commands: 30 sent, 24 rejected\n"
                   "  failures:\n"
                   "    24 PORT commands rejected: the server policy refused the port (or address) the client named\n"
                   "  rejected before the first accepted PORT: 24\n"
                   "  first accepted PORT at 0.250000 s (simulated); first transfer completed at 0.250000 s\n"
                   "  simulated time: 2.000000 s\n");
  run_stats_clear(&run);
}
END_TEST

START_TEST(test_a_clean_run_prints_no_failures)
{
  RunStats run;
  run_stats_init(&run);
  SessionStats clean = kb_session(2000, 30, 30, 0);
  run_stats_add(&run, &clean);
  g_autofree gchar *text = summary_of(&run, NULL);
  ck_assert_ptr_null(strstr(text, "failures"));
  ck_assert_ptr_null(strstr(text, "rejected:"));
  ck_assert_ptr_nonnull(strstr(text, "  data commands: 30 intended, 30 issued, 30 completed, 0 lost\n"));
  run_stats_clear(&run);
}
END_TEST

/* Each class on its own line with its count, only when it happened. */
START_TEST(test_every_class_that_happened_and_none_other)
{
  RunStats run;
  run_stats_init(&run);
  SessionStats a = kb_session(2000, 10, 4, 0); /* 4 transfers, then banned: 6 unissued */
  a.end = SESSION_END_BANNED;
  SessionStats b = kb_session(2000, 5, 0, 0);
  b.data_commands = 3;
  b.failed_commands = 3;
  b.connection_failures = 3;
  b.time_wait_failures = 2;
  b.client_port_busy_failures = 1;
  run_stats_add(&run, &a);
  run_stats_add(&run, &b);
  g_autofree gchar *text = summary_of(&run, NULL);
  ck_assert_ptr_nonnull(strstr(text, "  data commands: 15 intended, 7 issued, 4 completed, 11 lost\n"));
  ck_assert_ptr_nonnull(
      strstr(text, "\n    1 data commands failed before their PORT: the port was busy on the client"));
  ck_assert_ptr_nonnull(strstr(text, "\n    2 data connections failed in TIME_WAIT:"));
  ck_assert_ptr_nonnull(strstr(text, "\n    8 data commands never issued: their session ended first\n"));
  ck_assert_ptr_nonnull(strstr(text, "\n    1 sessions banned:"));
  ck_assert_ptr_null(strstr(text, "PORT commands rejected"));
  ck_assert_ptr_null(strstr(text, "data connections refused"));
  ck_assert_ptr_null(strstr(text, "never answered"));
  ck_assert_ptr_null(strstr(text, "other data connections"));
  ck_assert_ptr_null(strstr(text, "aborted"));
  ck_assert_ptr_null(strstr(text, "disconnected"));
  ck_assert_ptr_null(strstr(text, "ended by the server"));
  ck_assert_ptr_nonnull(strstr(text, "rejected before the first accepted PORT, per session: median 0, p95 0, max 0"));
  run_stats_clear(&run);
}
END_TEST

START_TEST(test_a_line_per_model_and_per_policy_only_when_mixed)
{
  RunStats run;
  run_stats_init(&run);
  RunBreakdown breakdown;
  run_breakdown_init(&breakdown);
  const SessionStats kb = kb_session(1000, 30, 30, 0), clean = kb_session(2000, 30, 30, 0);
  const SessionRecord records[] = {
      {.id = 1, .client_model = "as400", .server_policy = "nt351sp2", .stats = &kb},
      {.id = 2, .client_model = "sequential", .server_policy = "nt351sp2", .stats = &clean},
      {.id = 3, .client_model = "as400", .server_policy = "nt351sp2", .stats = &kb},
  };
  for (guint i = 0; i < G_N_ELEMENTS(records); i++) {
    run_stats_add(&run, records[i].stats);
    run_breakdown_add(&breakdown, &records[i]);
  }
  g_autofree gchar *text = summary_of(&run, &breakdown);
  ck_assert_ptr_nonnull(strstr(text, "\n  client model as400: 2 session(s), 60 data commands intended, 12 completed, "
                                     "48 lost; 48 PORT commands rejected\n"
                                     "  client model sequential: 1 session(s), 30 data commands intended, 30 "
                                     "completed, 0 lost; 0 PORT commands rejected\n"));
  ck_assert_ptr_null(strstr(text, "server policy nt351sp2:")); /* one policy: no line */
  ck_assert_ptr_nonnull(
      strstr(text, "rejected before the first accepted PORT, per session: median 24, p95 24, max 24"));
  run_breakdown_clear(&breakdown);
  run_stats_clear(&run);
}
END_TEST

/* Each class alone: the heading and exactly that one line, with its count; a run with none prints neither. */
START_TEST(test_each_class_alone_prints_one_line)
{
  static const struct {
    gsize offset;
    const char *words;
  } classes[] = {
      {G_STRUCT_OFFSET(RunStats, rejected), "PORT commands rejected"},
      {G_STRUCT_OFFSET(RunStats, middlebox_rejected), "of those, refused by a middlebox"},
      {G_STRUCT_OFFSET(RunStats, middlebox_dropped), "PORT commands a middlebox on the route dropped"},
      {G_STRUCT_OFFSET(RunStats, client_port_busy_failures), "data commands failed before their PORT"},
      {G_STRUCT_OFFSET(RunStats, time_wait_failures), "data connections failed in TIME_WAIT"},
      {G_STRUCT_OFFSET(RunStats, refused_failures), "data connections refused"},
      {G_STRUCT_OFFSET(RunStats, unreachable_failures), "data connections that never answered"},
      {G_STRUCT_OFFSET(RunStats, middlebox_data_blocked), "of those, dropped by a stateful firewall"},
      {G_STRUCT_OFFSET(RunStats, connection_failures), "other data connections that could not be opened"},
      {G_STRUCT_OFFSET(RunStats, unissued_commands), "data commands never issued"},
      {G_STRUCT_OFFSET(RunStats, aborted), "sessions aborted"},
      {G_STRUCT_OFFSET(RunStats, disconnected), "sessions disconnected"},
      {G_STRUCT_OFFSET(RunStats, banned), "sessions banned"},
      {G_STRUCT_OFFSET(RunStats, ended_by_server), "sessions ended by the server"},
      {G_STRUCT_OFFSET(RunStats, stalled), "sessions stalled"},
      {G_STRUCT_OFFSET(RunStats, ended_by_middlebox), "sessions ended by a middlebox"},
  };
  RunStats none;
  run_stats_init(&none);
  g_autofree gchar *clean = summary_of(&none, NULL);
  ck_assert_ptr_null(strstr(clean, "failures"));
  for (guint i = 0; i < G_N_ELEMENTS(classes); i++) {
    RunStats run;
    run_stats_init(&run);
    G_STRUCT_MEMBER(guint64, &run, classes[i].offset) = 7;
    g_autofree gchar *text = summary_of(&run, NULL);
    g_autofree gchar *line = g_strdup_printf("  failures:\n    7 %s", classes[i].words);
    ck_assert_msg(strstr(text, line) != NULL, "%s: no '%s' in:\n%s", classes[i].words, line, text);
    guint lines = 0;
    for (const char *p = strstr(text, "  failures:\n"); (p = strstr(p + 1, "\n    ")) != NULL;)
      lines++;
    ck_assert_msg(lines == 1, "%s: %u failure lines in:\n%s", classes[i].words, lines, text);
  }
}
END_TEST

static Suite *summary_suite(void)
{
  Suite *suite = suite_create("summary");
  TCase *stats = tcase_create("stats");
  tcase_add_test(stats, test_intended_is_issued_plus_unissued_and_lost_is_failed_plus_unissued);
  tcase_add_test(stats, test_a_session_that_issued_nothing_lost_all_it_intended);
  tcase_add_test(stats, test_quantiles_are_nearest_rank);
  suite_add_tcase(suite, stats);
  TCase *text = tcase_create("text");
  tcase_add_test(text, test_one_kb_session_prints_the_kb_and_only_rejections);
  tcase_add_test(text, test_a_clean_run_prints_no_failures);
  tcase_add_test(text, test_every_class_that_happened_and_none_other);
  tcase_add_test(text, test_each_class_alone_prints_one_line);
  tcase_add_test(text, test_a_line_per_model_and_per_policy_only_when_mixed);
  suite_add_tcase(suite, text);
  return suite;
}

int main(void)
{
  return check_main(summary_suite);
}
