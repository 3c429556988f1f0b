/* The sweep's parts without the binary: the experiment file, the journal, the collected files,
 * failures.csv, the progress line, and the RunRequest a worker makes of a point of the plan. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "check_main.h"
#include "run_progress.h"
#include "run_request.h"
#include "sim_harness.h"
#include "sweep_collect.h"
#include "sweep_experiment.h"
#include "sweep_failures.h"
#include "sweep_journal.h"
#include "sweep_plan.h"
#include "sweep_progress.h"
#include "sweep_run_request.h"
#include "sweep_runs.h"

static const char *value_at(const SweepDimension *dimension, guint i)
{
  return g_ptr_array_index(dimension->values, i);
}

/* ---- Experiment file ------------------------------------------------------------------------ */

static gboolean load_text(const char *dir, const char *text, SweepPlan *plan, SweepSettings *settings, GError **error)
{
  g_autofree gchar *path = harness_write_file(dir, "e.ini", text);
  return sweep_experiment_load(path, plan, settings, FALSE, error);
}

START_TEST(experiment_file_fills_the_plan_and_the_settings)
{
  g_autofree gchar *dir = harness_temp_dir();
  g_autoptr(SweepPlan) plan = sweep_plan_new();
  SweepSettings settings = {.jobs = 8};
  g_autoptr(GError) error = NULL;
  ck_assert_msg(load_text(dir,
                          "[sweep]\nseed = 7\nreps = 3\njobs = 2\nout = results\ntrace = true\nsessions = true\n"
                          "[set]\nsession.commands = 5\n"
                          "[vary]\nserver.policy = nt351,nt351sp2\n",
                          plan, &settings, &error),
                "%s", error ? error->message : "");
  ck_assert_uint_eq(plan->seed, 7);
  ck_assert_uint_eq(plan->reps, 3);
  ck_assert(plan->trace && plan->session_detail);
  ck_assert_uint_eq(settings.jobs, 2);
  ck_assert_str_eq(settings.out_dir, "results");
  ck_assert(!settings.force);
  ck_assert_uint_eq(plan->sets->len, 1);
  ck_assert_str_eq(g_ptr_array_index(plan->sets, 0), "session.commands=5");
  ck_assert_uint_eq(plan->dimensions->len, 1);
  const SweepDimension *policies = g_ptr_array_index(plan->dimensions, 0);
  ck_assert_str_eq(policies->key, "server.policy");
  ck_assert_uint_eq(policies->values->len, 2);
  ck_assert_str_eq(value_at(policies, 1), "nt351sp2");
  g_free(settings.out_dir);
  harness_remove_tree(dir);
}
END_TEST

START_TEST(experiment_file_without_a_key_keeps_the_default)
{
  g_autofree gchar *dir = harness_temp_dir();
  g_autoptr(SweepPlan) plan = sweep_plan_new();
  SweepSettings settings = {.jobs = 8};
  ck_assert(load_text(dir, "[sweep]\n", plan, &settings, NULL));
  ck_assert_uint_eq(plan->seed, 1);
  ck_assert_uint_eq(plan->reps, 1);
  ck_assert_uint_eq(settings.jobs, 8);
  ck_assert_ptr_null(settings.out_dir);
  harness_remove_tree(dir);
}
END_TEST

START_TEST(experiment_platforms_resolve_against_the_file_folder)
{
  g_autofree gchar *dir = harness_temp_dir();
  g_autoptr(SweepPlan) plan = sweep_plan_new();
  SweepSettings settings = {0};
  ck_assert(load_text(dir, "[sweep]\nplatforms = a.xml;sub/b.xml\n", plan, &settings, NULL));
  const SweepDimension *platforms = sweep_plan_find_dimension(plan, SWEEP_PLATFORM_KEY);
  ck_assert_ptr_nonnull(platforms);
  ck_assert_uint_eq(platforms->values->len, 2);
  ck_assert_str_eq(value_at(platforms, 0), "a.xml");
  ck_assert_str_eq(value_at(platforms, 1), "sub/b.xml");
  g_autofree gchar *canonical = g_canonicalize_filename(dir, NULL);
  ck_assert_str_eq(g_ptr_array_index(platforms->dirs, 1), canonical);
  harness_remove_tree(dir);
}
END_TEST

START_TEST(experiment_file_errors_name_the_file_group_and_key)
{
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *path = g_build_filename(dir, "e.ini", NULL);
  const struct {
    const char *text, *message;
  } cases[] = {
      {"[sweeps]\nseed = 1\n", "%s: unknown group [sweeps] (accepted: [sweep], [set], [vary])"},
      {"[sweep]\ntrace = maybe\n", "%s: [sweep] trace: 'maybe' is not true or false"},
      {"[sweep]\nreps = 0\n", "%s: [sweep] reps: '0' is not a whole number in 1..1000000"},
      {"[sweep]\ncolour = red\n",
       "%s: [sweep] colour: unknown key in [sweep] (accepted: seed, reps, jobs, out, platforms, trace, sessions, "
       "force)"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(SweepPlan) plan = sweep_plan_new();
    SweepSettings settings = {0};
    g_autoptr(GError) error = NULL;
    ck_assert(!load_text(dir, cases[i].text, plan, &settings, &error));
    g_autofree gchar *expected = g_strdup_printf(cases[i].message, path);
    ck_assert_str_eq(error->message, expected);
    g_free(settings.out_dir);
  }
  harness_remove_tree(dir);
}
END_TEST

START_TEST(experiment_vary_error_is_prefixed_with_the_file)
{
  g_autofree gchar *dir = harness_temp_dir();
  g_autoptr(SweepPlan) plan = sweep_plan_new();
  SweepSettings settings = {0};
  g_autoptr(GError) error = NULL;
  ck_assert(!load_text(dir, "[vary]\nclient.start_port = 1..1000000\n", plan, &settings, &error));
  g_autofree gchar *prefix = g_strdup_printf("%s/e.ini: ", dir);
  ck_assert_msg(g_str_has_prefix(error->message, prefix), "%s", error->message);
  harness_remove_tree(dir);
}
END_TEST

/* ---- Journal ------------------------------------------------------------------------------ */

/* A plan of 3 points x 2 reps seeded with 9. */
static SweepPlan *small_plan(void)
{
  SweepPlan *plan = sweep_plan_new();
  plan->seed = 9;
  plan->reps = 2;
  sweep_plan_vary(plan, sweep_dimension_parse("client.start_port=1,2,3", FALSE, NULL));
  return plan;
}

static void make_finished_run_dir(const SweepRuns *runs, guint64 point, guint64 rep)
{
  g_autofree gchar *run_dir = sweep_run_dir(runs, point, rep);
  ck_assert_int_eq(g_mkdir_with_parents(run_dir, 0777), 0);
  g_autofree gchar *summary = harness_write_file(run_dir, "summary.csv", "a,b\n1,2\n");
}

START_TEST(journal_resumes_the_runs_whose_folder_holds_a_summary)
{
  g_autofree gchar *dir = harness_temp_dir();
  g_autoptr(SweepPlan) plan = small_plan();
  SweepRuns runs;
  sweep_runs_init(&runs, dir, 3, 2);
  SweepJournal journal = SWEEP_JOURNAL_CLOSED;
  ck_assert(sweep_journal_open(&journal, &runs, plan, "d1", NULL));
  ck_assert_uint_eq(runs.done_count, 0);
  make_finished_run_dir(&runs, 0, 1);
  ck_assert(sweep_journal_append(&journal, 0, 1, sweep_seed(9, 0, 1), NULL));
  ck_assert(sweep_journal_append(&journal, 2, 0, sweep_seed(9, 2, 0), NULL)); /* its folder is gone */
  sweep_journal_close(&journal);
  sweep_runs_clear(&runs);

  g_autofree gchar *text = harness_read_text(dir, SWEEP_JOURNAL_NAME);
  g_autofree gchar *expected =
      g_strdup_printf("ftpsim-sweep-journal 1 d1\nrun 0 1 %" G_GUINT64_FORMAT "\nrun 2 0 %" G_GUINT64_FORMAT "\n",
                      sweep_seed(9, 0, 1), sweep_seed(9, 2, 0));
  ck_assert_str_eq(text, expected);

  sweep_runs_init(&runs, dir, 3, 2);
  ck_assert(sweep_journal_open(&journal, &runs, plan, "d1", NULL));
  ck_assert_uint_eq(runs.done_count, 1);
  ck_assert(sweep_runs_is_done(&runs, 0, 1));
  ck_assert(!sweep_runs_is_done(&runs, 2, 0));
  sweep_journal_close(&journal);
  sweep_runs_clear(&runs);
  harness_remove_tree(dir);
}
END_TEST

START_TEST(journal_drops_a_line_cut_short_and_stale_temporary_folders)
{
  g_autofree gchar *dir = harness_temp_dir();
  g_autoptr(SweepPlan) plan = small_plan();
  g_autofree gchar *header_and_cut = g_strdup("ftpsim-sweep-journal 1 d1\nrun 1 0 12");
  g_autofree gchar *journal_path = harness_write_file(dir, SWEEP_JOURNAL_NAME, header_and_cut);
  SweepRuns runs;
  sweep_runs_init(&runs, dir, 3, 2);
  g_autofree gchar *stale = g_build_filename(runs.runs_dir, ".tmp-p1-r0-4242", NULL);
  ck_assert_int_eq(g_mkdir_with_parents(stale, 0777), 0);
  g_autofree gchar *stale_file = harness_write_file(stale, ".sessions.csv.4242.tmp", "x");
  SweepJournal journal = SWEEP_JOURNAL_CLOSED;
  g_autoptr(GError) error = NULL;
  ck_assert_msg(sweep_journal_open(&journal, &runs, plan, "d1", &error), "%s", error ? error->message : "");
  ck_assert_uint_eq(runs.done_count, 0);
  ck_assert(!g_file_test(stale, G_FILE_TEST_EXISTS));
  ck_assert(sweep_journal_append(&journal, 1, 0, sweep_seed(9, 1, 0), NULL));
  sweep_journal_close(&journal);
  g_autofree gchar *text = harness_read_text(dir, SWEEP_JOURNAL_NAME);
  g_autofree gchar *expected =
      g_strdup_printf("ftpsim-sweep-journal 1 d1\nrun 1 0 %" G_GUINT64_FORMAT "\n", sweep_seed(9, 1, 0));
  ck_assert_str_eq(text, expected);
  sweep_runs_clear(&runs);
  harness_remove_tree(dir);
}
END_TEST

START_TEST(journal_of_another_sweep_or_damaged_is_refused)
{
  g_autofree gchar *dir = harness_temp_dir();
  g_autoptr(SweepPlan) plan = small_plan();
  SweepRuns runs;
  sweep_runs_init(&runs, dir, 3, 2);
  SweepJournal journal = SWEEP_JOURNAL_CLOSED;
  g_autoptr(GError) error = NULL;

  g_autofree gchar *path = harness_write_file(dir, SWEEP_JOURNAL_NAME, "ftpsim-sweep-journal 1 d1\n");
  ck_assert(!sweep_journal_open(&journal, &runs, plan, "d2", &error));
  g_autofree gchar *different = g_strdup_printf("'%s' holds a different sweep (other parameters, seed, reps or "
                                                "options); use another --out, or remove it to start over",
                                                dir);
  ck_assert_str_eq(error->message, different);
  sweep_journal_close(&journal);
  g_clear_error(&error);

  g_autofree gchar *again = harness_write_file(dir, SWEEP_JOURNAL_NAME, "ftpsim-sweep-journal 1 d1\nrun 0 0 123\n");
  ck_assert(!sweep_journal_open(&journal, &runs, plan, "d1", &error));
  g_autofree gchar *damaged =
      g_strdup_printf("'%s' line 2 is damaged ('run 0 0 123'); remove the folder to start over", path);
  ck_assert_str_eq(error->message, damaged);
  sweep_journal_close(&journal);
  g_clear_error(&error);

  g_autofree gchar *other = harness_write_file(dir, SWEEP_JOURNAL_NAME, "runs.csv\n");
  ck_assert(!sweep_journal_open(&journal, &runs, plan, "d1", &error));
  g_autofree gchar *not_journal = g_strdup_printf("'%s' is not a sweep journal; use another --out or remove it", path);
  ck_assert_str_eq(error->message, not_journal);
  sweep_journal_close(&journal);
  sweep_runs_clear(&runs);
  harness_remove_tree(dir);
}
END_TEST

START_TEST(journal_lock_keeps_a_second_sweep_out)
{
  g_autofree gchar *dir = harness_temp_dir();
  g_autoptr(SweepPlan) plan = small_plan();
  SweepRuns first, second;
  sweep_runs_init(&first, dir, 3, 2);
  sweep_runs_init(&second, dir, 3, 2);
  SweepJournal running = SWEEP_JOURNAL_CLOSED, other = SWEEP_JOURNAL_CLOSED;
  ck_assert(sweep_journal_open(&running, &first, plan, "d1", NULL));
  g_autoptr(GError) error = NULL;
  ck_assert(!sweep_journal_open(&other, &second, plan, "d1", &error));
  g_autofree gchar *expected = g_strdup_printf(
      "another sweep is running in '%s' (a local one, or --runs of this one); wait for it or use another --out", dir);
  ck_assert_str_eq(error->message, expected);
  sweep_journal_close(&other);
  sweep_journal_close(&running);
  ck_assert(sweep_journal_open(&other, &second, plan, "d1", NULL)); /* closing released the lock */
  sweep_journal_close(&other);
  sweep_runs_clear(&first);
  sweep_runs_clear(&second);
  harness_remove_tree(dir);
}
END_TEST

/* ---- Collected files ------------------------------------------------------------------------ */

START_TEST(collected_csv_has_point_and_rep_in_front_in_run_order)
{
  g_autofree gchar *dir = harness_temp_dir();
  SweepRuns runs;
  sweep_runs_init(&runs, dir, 3, 2);
  make_finished_run_dir(&runs, 2, 0);
  make_finished_run_dir(&runs, 0, 1);
  sweep_runs_mark_done(&runs, 2, 0); /* finished first */
  sweep_runs_mark_done(&runs, 0, 1);
  ck_assert(sweep_collect_file(&runs, "summary.csv", "runs.csv", NULL));
  g_autofree gchar *text = harness_read_text(dir, "runs.csv");
  ck_assert_str_eq(text, "point,rep,a,b\n0,1,1,2\n2,0,1,2\n");
  sweep_runs_clear(&runs);
  harness_remove_tree(dir);
}
END_TEST

START_TEST(collected_csv_refuses_other_columns_and_leaves_no_file)
{
  g_autofree gchar *dir = harness_temp_dir();
  SweepRuns runs;
  sweep_runs_init(&runs, dir, 2, 1);
  ck_assert(sweep_collect_file(&runs, "summary.csv", "runs.csv", NULL)); /* no finished run */
  g_autofree gchar *runs_csv = g_build_filename(dir, "runs.csv", NULL);
  ck_assert(!g_file_test(runs_csv, G_FILE_TEST_EXISTS));

  make_finished_run_dir(&runs, 0, 0);
  make_finished_run_dir(&runs, 1, 0);
  g_autofree gchar *run_dir = sweep_run_dir(&runs, 1, 0);
  g_autofree gchar *summary = harness_write_file(run_dir, "summary.csv", "a,c\n1,2\n");
  sweep_runs_mark_done(&runs, 0, 0);
  sweep_runs_mark_done(&runs, 1, 0);
  g_autoptr(GError) error = NULL;
  ck_assert(!sweep_collect_file(&runs, "summary.csv", "runs.csv", &error));
  g_autofree gchar *expected = g_strdup_printf("'%s' has other columns than the sweep's first run", summary);
  ck_assert_str_eq(error->message, expected);
  ck_assert(!g_file_test(runs_csv, G_FILE_TEST_EXISTS));
  sweep_runs_clear(&runs);
  harness_remove_tree(dir);
}
END_TEST

START_TEST(failures_csv_is_sorted_by_point_and_rep_and_quoted)
{
  g_autofree gchar *dir = harness_temp_dir();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(rows, sweep_failure_row(10, 0, 5, "client.start_port=10", "killed by signal 9 (Killed)"));
  g_ptr_array_add(rows, sweep_failure_row(9, 1, 6, "server.policy=x,y", "exit status 2: bad \"x\""));
  g_ptr_array_add(rows, sweep_failure_row(9, 0, 7, "(no varied parameter)", "exit status 1: no"));
  ck_assert(sweep_write_failures(dir, rows, NULL));
  g_autofree gchar *text = harness_read_text(dir, "failures.csv");
  ck_assert_str_eq(text, "point,rep,seed,parameters,error\n"
                         "9,0,7,(no varied parameter),exit status 1: no\n"
                         "9,1,6,\"server.policy=x,y\",\"exit status 2: bad \"\"x\"\"\"\n"
                         "10,0,5,client.start_port=10,killed by signal 9 (Killed)\n");
  g_ptr_array_set_size(rows, 0);
  ck_assert(sweep_write_failures(dir, rows, NULL)); /* none failed this time: the old file goes */
  g_autofree gchar *path = g_build_filename(dir, "failures.csv", NULL);
  ck_assert(!g_file_test(path, G_FILE_TEST_EXISTS));
  harness_remove_tree(dir);
}
END_TEST

START_TEST(point_description_names_the_varied_values)
{
  g_autoptr(SweepPlan) plan = sweep_plan_new();
  g_autofree gchar *nothing = sweep_plan_point_description(plan, 0);
  ck_assert_str_eq(nothing, "(no varied parameter)");
  sweep_plan_vary(plan, sweep_dimension_parse("server.policy=nt351,nt351sp2", FALSE, NULL));
  sweep_plan_vary(plan, sweep_dimension_parse("client.start_port=900,1000", FALSE, NULL));
  g_autofree gchar *third = sweep_plan_point_description(plan, 2);
  ck_assert_str_eq(third, "server.policy=nt351sp2 client.start_port=900");
}
END_TEST

/* ---- Progress ------------------------------------------------------------------------------- */

START_TEST(durations_are_minutes_then_hours)
{
  char text[32];
  sweep_format_duration(text, sizeof text, 0.4);
  ck_assert_str_eq(text, "0:00");
  sweep_format_duration(text, sizeof text, 59.6);
  ck_assert_str_eq(text, "1:00");
  sweep_format_duration(text, sizeof text, 3599.4);
  ck_assert_str_eq(text, "59:59");
  sweep_format_duration(text, sizeof text, 3725);
  ck_assert_str_eq(text, "1:02:05");
}
END_TEST

static gchar *progress_output(FILE *stream)
{
  fflush(stream);
  long length = ftell(stream);
  gchar *text = g_malloc0((gsize)length + 1);
  rewind(stream);
  ck_assert_uint_eq(fread(text, 1, (size_t)length, stream), (size_t)length);
  rewind(stream);
  ck_assert_int_eq(ftruncate(fileno(stream), 0), 0);
  return text;
}

START_TEST(plain_progress_is_a_line_at_most_every_two_seconds)
{
  FILE *stream = tmpfile();
  SweepProgress progress = {.stream = stream, .runs = 10, .resumed = 2, .start_us = g_get_monotonic_time()};
  sweep_progress_show(&progress, 2, 0, FALSE);
  g_autofree gchar *first = progress_output(stream);
  ck_assert_str_eq(first, "ftpsim: sweep 2/10 runs done, 0:00 elapsed, ETA ?\n"); /* resumed runs give no pace */
  sweep_progress_show(&progress, 5, 1, FALSE);
  g_autofree gchar *too_soon = progress_output(stream);
  ck_assert_str_eq(too_soon, "");
  sweep_progress_show(&progress, 10, 1, TRUE);
  g_autofree gchar *final = progress_output(stream);
  ck_assert_str_eq(final, "ftpsim: sweep 10/10 runs done, 1 failed, 0:00 elapsed, ETA 0:00\n");
  sweep_progress_show(&progress, 10, 1, TRUE);
  g_autofree gchar *repeated = progress_output(stream);
  ck_assert_str_eq(repeated, "");
  fclose(stream);
}
END_TEST

/* 'ftpsim run''s line: an ETA from the sessions' rate once 1% of them are done, "?" before (sessions
 * started together end together, and the first to end would predict hours for a run about to finish). */
START_TEST(run_progress_gives_an_eta_once_a_hundredth_is_done)
{
  g_autofree gchar *early = run_progress_text(12.5, 9, 1000, 40960, 60);
  ck_assert_str_eq(early, "simulated 12.500000 s, 9/1000 sessions, 40960 data commands, 1:00 elapsed, ETA ?");
  /* 10 of 1000 in 60 s: 990 more at 6 s each */
  g_autofree gchar *hundredth = run_progress_text(12.5, 10, 1000, 45056, 60);
  ck_assert_str_eq(hundredth,
                   "simulated 12.500000 s, 10/1000 sessions, 45056 data commands, 1:00 elapsed, ETA 1:39:00");
  g_autofree gchar *none = run_progress_text(0, 0, 3, 0, 2);
  ck_assert_str_eq(none, "simulated 0.000000 s, 0/3 sessions, 0 data commands, 0:02 elapsed, ETA ?");
  g_autofree gchar *one_of_three = run_progress_text(1, 1, 3, 7, 2);
  ck_assert_str_eq(one_of_three, "simulated 1.000000 s, 1/3 sessions, 7 data commands, 0:02 elapsed, ETA 0:04");
}
END_TEST

START_TEST(terminal_progress_redraws_a_bar_in_place)
{
  FILE *stream = tmpfile();
  SweepProgress progress = {.stream = stream, .on_terminal = TRUE, .runs = 10, .start_us = g_get_monotonic_time()};
  sweep_progress_show(&progress, 3, 1, FALSE);
  g_autofree gchar *bar = progress_output(stream);
  ck_assert_str_eq(bar, "\r\033[K[#########.....................] 3/10 runs, 1 failed, 0:00 elapsed, ETA 0:00");
  sweep_progress_clear_line(&progress);
  g_autofree gchar *cleared = progress_output(stream);
  ck_assert_str_eq(cleared, "\r\033[K");
  progress.quiet = TRUE;
  sweep_progress_show(&progress, 10, 1, TRUE);
  g_autofree gchar *quiet = progress_output(stream);
  ck_assert_str_eq(quiet, "");
  fclose(stream);
}
END_TEST

/* ---- Run requests --------------------------------------------------------------------------- */

START_TEST(worker_request_is_the_point_of_the_plan)
{
  g_autoptr(SweepPlan) plan = sweep_plan_new();
  ck_assert(sweep_plan_set(plan, "session.commands=5", NULL));
  sweep_plan_vary(plan, sweep_dimension_parse("server.policy=nt351,nt351sp2", FALSE, NULL));
  const char *platforms[] = {"a.xml", "b.xml", NULL};
  sweep_plan_vary(plan, sweep_dimension_platforms(platforms, "/data"));
  plan->trace = TRUE;
  g_ptr_array_add(plan->simgrid_args, g_strdup("--cfg=network/model:CM02"));
  const char *working_dir = NULL;
  g_autoptr(RunRequest) request = sweep_run_request(plan, 3, 77, "/out/runs/.tmp-p3-r0-1", &working_dir);
  ck_assert_str_eq(request->platform_path, "b.xml");
  ck_assert_str_eq(working_dir, "/data");
  ck_assert_ptr_null(request->deployment_path);
  ck_assert_uint_eq(g_strv_length(request->assignments), 2);
  ck_assert_str_eq(request->assignments[0], "session.commands=5"); /* sets first, the point's values win */
  ck_assert_str_eq(request->assignments[1], "server.policy=nt351sp2");
  ck_assert_uint_eq(request->seed, 77);
  ck_assert_str_eq(request->out_dir, "/out/runs/.tmp-p3-r0-1");
  ck_assert(request->quiet && request->trace && request->simgrid_inputs_checked);
  ck_assert_uint_eq(g_strv_length(request->simgrid_options), 1);
  ck_assert_str_eq(request->simgrid_options[0], "--cfg=network/model:CM02");
  ck_assert_ptr_null(request->restart_arguments);
}
END_TEST

START_TEST(worker_request_without_platforms_uses_the_builtin_one)
{
  g_autoptr(SweepPlan) plan = sweep_plan_new();
  sweep_plan_vary(plan, sweep_dimension_parse("client.start_port=1,2", FALSE, NULL));
  const char *working_dir = "unchanged";
  g_autoptr(RunRequest) request = sweep_run_request(plan, 1, 5, "out", &working_dir);
  ck_assert_ptr_null(request->platform_path);
  ck_assert_ptr_null(working_dir);
  ck_assert(!request->trace);
  ck_assert_uint_eq(g_strv_length(request->simgrid_options), 0);
  ck_assert_str_eq(request->assignments[0], "client.start_port=2");
}
END_TEST

START_TEST(request_arguments_ask_for_the_same_run)
{
  g_autoptr(RunRequest) request = run_request_new();
  ck_assert_uint_eq(request->seed, 1);
  ck_assert_str_eq(request->out_dir, RUN_DEFAULT_OUT_DIR);
  request->platform_path = g_strdup("p.xml");
  request->deployment_path = g_strdup("d.xml");
  request->assignments = g_strsplit("a.b=1|c.d=2", "|", -1);
  request->simgrid_options = g_strsplit("--cfg=x:1|--log=y", "|", -1);
  request->seed = 42;
  request->quiet = TRUE;
  request->trace = TRUE;
  g_auto(GStrv) args = run_request_arguments(request);
  g_autofree gchar *joined = g_strjoinv(" ", args);
  ck_assert_str_eq(joined, "run p.xml d.xml --set a.b=1 --set c.d=2 --seed=42 --out=ftpsim-out --quiet --trace "
                           "--cfg=x:1 --log=y");
}
END_TEST

static Suite *sweep_units_suite(void)
{
  Suite *suite = suite_create("sweep_units");
  TCase *experiment = tcase_create("experiment_file");
  tcase_add_test(experiment, experiment_file_fills_the_plan_and_the_settings);
  tcase_add_test(experiment, experiment_file_without_a_key_keeps_the_default);
  tcase_add_test(experiment, experiment_platforms_resolve_against_the_file_folder);
  tcase_add_test(experiment, experiment_file_errors_name_the_file_group_and_key);
  tcase_add_test(experiment, experiment_vary_error_is_prefixed_with_the_file);
  suite_add_tcase(suite, experiment);
  TCase *journal = tcase_create("journal");
  tcase_add_test(journal, journal_resumes_the_runs_whose_folder_holds_a_summary);
  tcase_add_test(journal, journal_drops_a_line_cut_short_and_stale_temporary_folders);
  tcase_add_test(journal, journal_of_another_sweep_or_damaged_is_refused);
  tcase_add_test(journal, journal_lock_keeps_a_second_sweep_out);
  suite_add_tcase(suite, journal);
  TCase *files = tcase_create("files");
  tcase_add_test(files, collected_csv_has_point_and_rep_in_front_in_run_order);
  tcase_add_test(files, collected_csv_refuses_other_columns_and_leaves_no_file);
  tcase_add_test(files, failures_csv_is_sorted_by_point_and_rep_and_quoted);
  tcase_add_test(files, point_description_names_the_varied_values);
  suite_add_tcase(suite, files);
  TCase *progress = tcase_create("progress");
  tcase_add_test(progress, durations_are_minutes_then_hours);
  tcase_add_test(progress, plain_progress_is_a_line_at_most_every_two_seconds);
  tcase_add_test(progress, terminal_progress_redraws_a_bar_in_place);
  tcase_add_test(progress, run_progress_gives_an_eta_once_a_hundredth_is_done);
  suite_add_tcase(suite, progress);
  TCase *requests = tcase_create("run_requests");
  tcase_add_test(requests, worker_request_is_the_point_of_the_plan);
  tcase_add_test(requests, worker_request_without_platforms_uses_the_builtin_one);
  tcase_add_test(requests, request_arguments_ask_for_the_same_run);
  suite_add_tcase(suite, requests);
  return suite;
}

int main(void)
{
  return check_main(sweep_units_suite);
}
