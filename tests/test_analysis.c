/* What makes ftpsim's files stand alone in an analysis tool, and its messages helpful: the nearest names of a
 * mistyped one, provenance.csv's text, and the varied values a sweep's collected rows carry. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "nearest.h"
#include "provenance.h"
#include "sweep_collect.h"
#include "sweep_plan.h"

START_TEST(test_distance_counts_edits_and_swaps_once)
{
  ck_assert_uint_eq(nearest_distance("sweep", "sweep"), 0);
  ck_assert_uint_eq(nearest_distance("swep", "sweep"), 1);            /* a deletion */
  ck_assert_uint_eq(nearest_distance("sweeep", "sweep"), 1);          /* an insertion */
  ck_assert_uint_eq(nearest_distance("sxeep", "sweep"), 1);           /* a substitution */
  ck_assert_uint_eq(nearest_distance("start_prot", "start_port"), 1); /* two neighbours swapped */
  ck_assert_uint_eq(nearest_distance("RUN", "run"), 0);               /* case ignored */
  ck_assert_uint_eq(nearest_distance("", "probe"), 5);
  ck_assert_uint_eq(nearest_distance("kitten", "sitting"), 3);
}
END_TEST

START_TEST(test_hint_names_the_nearest_one_or_two)
{
  static const char *const commands[] = {"run", "sweep", "models", "params", "probe", "help", NULL};
  g_autofree gchar *one = nearest_hint("swep", commands, -1);
  ck_assert_str_eq(one, "did you mean 'sweep'?");
  g_autofree gchar *two = nearest_hint("prams", commands, -1); /* params: 1 insertion; probe: 3 */
  ck_assert_str_eq(two, "did you mean 'params'?");
  static const char *const options[] = {"--set", "--seed", "--out"};
  g_autofree gchar *tie = nearest_hint("--sed", options, 3);
  ck_assert_str_eq(tie, "did you mean '--set' or '--seed'?");
  static const char *const codes[] = {"500", "501", "504", NULL};
  g_autofree gchar *three = nearest_hint("502", codes, -1); /* three as near: no guess */
  ck_assert_ptr_null(three);
  g_autofree gchar *none = nearest_hint("frobnicate", commands, -1);
  ck_assert_ptr_null(none);
  static const char *const keys[] = {"client.start_port", "tcp.closer", NULL};
  g_autofree gchar *last_part = nearest_hint("closer", keys, -1);
  ck_assert_str_eq(last_part, "did you mean 'tcp.closer'?");
  g_autofree gchar *beginning = nearest_hint("client.start", keys, -1);
  ck_assert_str_eq(beginning, "did you mean 'client.start_port'?");
}
END_TEST

START_TEST(test_provenance_is_five_key_value_lines)
{
  char *argv[] = {"/opt/bin/ftpsim", "run", "--set", "session.think_time=0.025", "--out", "my results", NULL};
  provenance_set_command_line(6, argv);
  provenance_set_simgrid_version("3.32.0");
  g_autofree gchar *text = provenance_text(42);
  g_autofree gchar *expected =
      g_strdup_printf("ftpsim_version,%s\nftpsim_commit,%s\nsimgrid_version,3.32.0\n"
                      "command_line,ftpsim run --set session.think_time=0.025 --out 'my results'\nseed,42\n",
                      provenance_version(), provenance_commit());
  ck_assert_str_eq(text, expected);
  ck_assert_str_eq(provenance_version(), "0.1.0");
  ck_assert(provenance_commit()[0] == '\0' || strlen(provenance_commit()) >= 40);
}
END_TEST

START_TEST(test_provenance_quotes_a_command_line_with_a_comma)
{
  char *argv[] = {"ftpsim", "sweep", "--vary", "server.allow=20;6000-7000,8000", NULL};
  provenance_set_command_line(4, argv);
  provenance_set_simgrid_version("3.32.0");
  g_autofree gchar *text = provenance_text(1);
  ck_assert_ptr_nonnull(strstr(text, "\ncommand_line,\"ftpsim sweep --vary 'server.allow=20;6000-7000,8000'\"\n"));
}
END_TEST

START_TEST(test_collected_rows_lead_with_the_points_varied_values)
{
  g_autoptr(SweepPlan) plan = sweep_plan_new();
  sweep_plan_vary(plan, sweep_dimension_parse("client.start_port=1022..1023", FALSE, NULL));
  sweep_plan_vary(plan, sweep_dimension_parse("session.think_time=0.025,0.1", FALSE, NULL));
  sweep_plan_vary(plan, sweep_dimension_parse("server.allow=20;6000-7000", FALSE, NULL));
  g_autofree gchar *names = sweep_collect_varied_names(plan);
  ck_assert_str_eq(names, "point,rep,client.start_port,session.think_time,server.allow");
  /* The last dimension varies fastest: point 5 = (1, 0, 1). */
  g_autofree gchar *fields = sweep_collect_varied_fields(plan, 5, 2);
  ck_assert_str_eq(fields, "5,2,1023,0.025,6000-7000");
  g_autofree gchar *first = sweep_collect_varied_fields(plan, 0, 0);
  ck_assert_str_eq(first, "0,0,1022,0.025,20");
  g_autofree gchar *alone = sweep_collect_varied_fields(NULL, 3, 1);
  ck_assert_str_eq(alone, "3,1");
}
END_TEST

static Suite *analysis_suite(void)
{
  Suite *suite = suite_create("analysis");
  TCase *nearest = tcase_create("nearest");
  tcase_add_test(nearest, test_distance_counts_edits_and_swaps_once);
  tcase_add_test(nearest, test_hint_names_the_nearest_one_or_two);
  suite_add_tcase(suite, nearest);
  TCase *files = tcase_create("files");
  tcase_add_test(files, test_provenance_is_five_key_value_lines);
  tcase_add_test(files, test_provenance_quotes_a_command_line_with_a_comma);
  tcase_add_test(files, test_collected_rows_lead_with_the_points_varied_values);
  suite_add_tcase(suite, files);
  return suite;
}

int main(void)
{
  return check_main(analysis_suite);
}
