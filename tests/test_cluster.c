/* A sweep addressed from outside its process: run-id selections, the journal shared by --runs
 * processes, each run's state from the folder (--status), the Slurm job script, and the command of a
 * run elsewhere. The end-to-end runs through real Slurm and GNU parallel are tests/cluster/. */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "check_main.h"
#include "sim_harness.h"
#include "sweep_journal.h"
#include "sweep_options.h"
#include "sweep_progress.h"
#include "sweep_plan.h"
#include "sweep_runs.h"
#include "sweep_select.h"
#include "sweep_slurm.h"
#include "sweep_status.h"
#include "sweep_weight.h"

/* ---- Selections ------------------------------------------------------------------------------ */

static gchar *selected_ids(const guint8 *flags, guint64 count)
{
  GString *text = g_string_new(NULL);
  for (guint64 i = 0; i < count; i++)
    if (flags[i])
      g_string_append_printf(text, "%" G_GUINT64_FORMAT " ", i);
  return g_string_free(text, FALSE);
}

START_TEST(runs_selection_takes_ids_ranges_and_lists)
{
  g_autofree guint8 *flags = sweep_select_parse("3-5,9,0,4-6", 12, NULL);
  ck_assert_ptr_nonnull(flags);
  g_autofree gchar *ids = selected_ids(flags, 12);
  ck_assert_str_eq(ids, "0 3 4 5 6 9 ");
}
END_TEST

START_TEST(runs_selection_errors_name_the_item_and_the_ids)
{
  const char *bad[][2] = {{"12", "'12' is not a run id"},        {"3-x", "'x' is not a run id"},
                          {"5-3", "'5-3' ends below its start"}, {"1,,2", "'' is not a run id"},
                          {"-1", "'' is not a run id"},          {"", "empty"}};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) error = NULL;
    ck_assert_ptr_null(sweep_select_parse(bad[i][0], 12, &error));
    ck_assert_msg(strstr(error->message, bad[i][1]) != NULL, "%s: %s", bad[i][0], error->message);
    ck_assert_msg(strstr(error->message, "accepted") != NULL, "%s", error->message);
  }
  g_autoptr(GError) error = NULL;
  ck_assert_ptr_null(sweep_select_parse("12", 12, &error));
  ck_assert_str_eq(error->message,
                   "--runs '12': '12' is not a run id (accepted: ID, FIRST-LAST or a comma list of them, ids 0..11, "
                   "see --list)");
}
END_TEST

START_TEST(ids_format_as_ranges_and_split_into_chunks)
{
  const guint64 ids[] = {0, 1, 2, 5, 7, 8, 9, 10, 12};
  g_autofree gchar *text = sweep_select_format(ids, G_N_ELEMENTS(ids));
  ck_assert_str_eq(text, "0-2,5,7-10,12");
  g_autoptr(GPtrArray) chunks = sweep_select_chunks(ids, G_N_ELEMENTS(ids), 4);
  ck_assert_uint_eq(chunks->len, 3);
  ck_assert_str_eq(g_ptr_array_index(chunks, 0), "0-2,5");
  ck_assert_str_eq(g_ptr_array_index(chunks, 1), "7-10");
  ck_assert_str_eq(g_ptr_array_index(chunks, 2), "12");
  /* and back: the chunks select exactly the ids */
  g_autofree guint8 *flags = sweep_select_parse("0-2,5,7-10,12", 13, NULL);
  g_autofree gchar *back = selected_ids(flags, 13);
  ck_assert_str_eq(back, "0 1 2 5 7 8 9 10 12 ");
}
END_TEST

/* ---- The journal shared by --runs processes ---------------------------------------------------- */

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

START_TEST(shared_journals_append_side_by_side_and_keep_the_local_pool_out)
{
  g_autofree gchar *dir = harness_temp_dir();
  g_autoptr(SweepPlan) plan = small_plan();
  SweepRuns runs_a, runs_b, runs_c;
  sweep_runs_init(&runs_a, dir, 3, 2);
  sweep_runs_init(&runs_b, dir, 3, 2);
  sweep_runs_init(&runs_c, dir, 3, 2);
  SweepJournal a = SWEEP_JOURNAL_CLOSED, b = SWEEP_JOURNAL_CLOSED, local = SWEEP_JOURNAL_CLOSED;
  a.shared = b.shared = TRUE;
  ck_assert(sweep_journal_open(&a, &runs_a, plan, "d1", NULL));
  ck_assert(sweep_journal_open(&b, &runs_b, plan, "d1", NULL));
  g_autoptr(GError) error = NULL;
  ck_assert(!sweep_journal_open(&local, &runs_c, plan, "d1", &error));
  ck_assert_msg(strstr(error->message, "another sweep is running") != NULL, "%s", error->message);
  sweep_journal_close(&local);
  make_finished_run_dir(&runs_a, 0, 0);
  make_finished_run_dir(&runs_a, 2, 1);
  ck_assert(sweep_journal_append(&a, 0, 0, sweep_seed(9, 0, 0), NULL));
  ck_assert(sweep_journal_append(&b, 2, 1, sweep_seed(9, 2, 1), NULL));
  sweep_journal_close(&a);
  sweep_journal_close(&b);

  /* Read without a lock (--status, --collect): both processes' runs. */
  ck_assert(sweep_journal_read(dir, &runs_c, plan, "d1", NULL));
  ck_assert_uint_eq(runs_c.done_count, 2);
  ck_assert(sweep_runs_is_done(&runs_c, 0, 0) && sweep_runs_is_done(&runs_c, 2, 1));
  g_clear_error(&error);
  ck_assert(!sweep_journal_read(dir, &runs_c, plan, "other", &error));
  ck_assert_msg(strstr(error->message, "holds a different sweep") != NULL, "%s", error->message);
  sweep_runs_clear(&runs_a);
  sweep_runs_clear(&runs_b);
  sweep_runs_clear(&runs_c);
  harness_remove_tree(dir);
}
END_TEST

static gint compare_lines(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Six --runs processes starting at once on a new folder: one header, then each one's line, whole. */
START_TEST(processes_starting_at_once_create_one_journal)
{
  g_autofree gchar *dir = harness_temp_dir();
  g_autoptr(SweepPlan) plan = small_plan();
  pid_t children[6];
  for (guint i = 0; i < 6; i++) {
    children[i] = fork();
    if (children[i] == 0) {
      SweepRuns runs;
      sweep_runs_init(&runs, dir, 3, 2);
      SweepJournal journal = SWEEP_JOURNAL_CLOSED;
      journal.shared = TRUE;
      gboolean ok = sweep_journal_open(&journal, &runs, plan, "d1", NULL) &&
                    sweep_journal_append(&journal, i / 2, i % 2, sweep_seed(9, i / 2, i % 2), NULL);
      _exit(ok ? 0 : 1);
    }
  }
  for (guint i = 0; i < 6; i++) {
    int status = 0;
    ck_assert_int_eq(waitpid(children[i], &status, 0), children[i]);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "process %u could not journal its run", i);
  }
  g_autofree gchar *text = harness_read_text(dir, SWEEP_JOURNAL_NAME);
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  ck_assert_str_eq(lines[0], "ftpsim-sweep-journal 1 d1");
  ck_assert_uint_eq(g_strv_length(lines), 8); /* header, 6 runs, "" after the last line end */
  g_autoptr(GPtrArray) sorted = g_ptr_array_new();
  for (guint i = 1; i < 7; i++)
    g_ptr_array_add(sorted, lines[i]);
  g_ptr_array_sort(sorted, compare_lines);
  for (guint i = 0; i < 6; i++) {
    g_autofree gchar *want = g_strdup_printf("run %u %u %" G_GUINT64_FORMAT, i / 2, i % 2, sweep_seed(9, i / 2, i % 2));
    ck_assert_str_eq(g_ptr_array_index(sorted, i), want);
  }
  harness_remove_tree(dir);
}
END_TEST

START_TEST(journal_read_of_a_folder_without_one_is_no_run_done)
{
  g_autofree gchar *dir = harness_temp_dir();
  g_autoptr(SweepPlan) plan = small_plan();
  SweepRuns runs;
  sweep_runs_init(&runs, dir, 3, 2);
  ck_assert(sweep_journal_read(dir, &runs, plan, "d1", NULL));
  ck_assert_uint_eq(runs.done_count, 0);
  g_autofree gchar *journal = g_build_filename(dir, SWEEP_JOURNAL_NAME, NULL);
  ck_assert(!g_file_test(journal, G_FILE_TEST_EXISTS)); /* reading creates nothing */
  sweep_runs_clear(&runs);
  harness_remove_tree(dir);
}
END_TEST

/* ---- Status from the folder ------------------------------------------------------------------- */

/* A child process that holds the .running lock of temp_dir until it is killed (a lock is only seen as
 * held by another process). */
static pid_t hold_running_lock(const char *temp_dir)
{
  int ready[2];
  ck_assert_int_eq(pipe(ready), 0);
  pid_t pid = fork();
  if (pid == 0) {
    int fd = sweep_lock_running(temp_dir);
    char byte = fd >= 0 ? 'y' : 'n';
    ck_assert_int_eq(write(ready[1], &byte, 1), 1);
    pause();
    _exit(0);
  }
  char byte = 0;
  ck_assert_int_eq(read(ready[0], &byte, 1), 1);
  ck_assert_int_eq(byte, 'y');
  close(ready[0]);
  close(ready[1]);
  return pid;
}

START_TEST(status_counts_done_running_failed_and_missing_exactly)
{
  g_autofree gchar *dir = harness_temp_dir();
  SweepRuns runs;
  sweep_runs_init(&runs, dir, 4, 2); /* 8 runs */
  ck_assert_int_eq(g_mkdir_with_parents(runs.runs_dir, 0777), 0);
  sweep_runs_mark_done(&runs, 0, 0);
  sweep_runs_mark_done(&runs, 0, 1);
  sweep_runs_mark_done(&runs, 3, 1);
  /* run (1,0) in progress in another process; run (1,1)'s process was killed (no lock holder) */
  g_autofree gchar *live = g_build_filename(runs.runs_dir, ".tmp-p1-r0-node7-123", NULL);
  g_autofree gchar *stale = g_build_filename(runs.runs_dir, ".tmp-p1-r1-node7-124", NULL);
  ck_assert_int_eq(g_mkdir(live, 0777), 0);
  ck_assert_int_eq(g_mkdir(stale, 0777), 0);
  close(sweep_lock_running(stale)); /* its holder is gone */
  pid_t holder = hold_running_lock(live);
  /* runs (2,0) and (3,1) failed once; (3,1) has succeeded since, which counts */
  g_autofree gchar *failed = sweep_failed_record_path(&runs, 2, 0);
  g_autofree gchar *old_failure = sweep_failed_record_path(&runs, 3, 1);
  ck_assert(g_file_set_contents(failed, "2,0,5,x,boom\n", -1, NULL));
  ck_assert(g_file_set_contents(old_failure, "3,1,6,x,old\n", -1, NULL));

  SweepStatus status;
  g_autofree guint8 *states = sweep_status_scan(&runs, &status);
  g_autofree gchar *text = sweep_status_text(&status);
  ck_assert_str_eq(text, "8 runs: 3 done, 1 running, 1 failed, 3 missing");
  ck_assert_int_eq(states[2], SWEEP_RUN_RUNNING);
  ck_assert_int_eq(states[3], SWEEP_RUN_MISSING);
  ck_assert_int_eq(states[4], SWEEP_RUN_FAILED);
  ck_assert_int_eq(states[7], SWEEP_RUN_DONE);
  g_autoptr(GPtrArray) rows = sweep_status_failure_rows(&runs, states);
  ck_assert_uint_eq(rows->len, 1);
  ck_assert_str_eq(g_ptr_array_index(rows, 0), "2,0,5,x,boom");

  /* A stale folder of a selected run goes; a live one and unselected ones stay. */
  guint8 selected[8] = {0, 0, 1, 1, 0, 0, 0, 0};
  sweep_remove_stale_temp_dirs_of(&runs, selected);
  ck_assert(g_file_test(live, G_FILE_TEST_IS_DIR));
  ck_assert(!g_file_test(stale, G_FILE_TEST_EXISTS));

  kill(holder, SIGKILL);
  waitpid(holder, NULL, 0);
  g_autofree guint8 *after = sweep_status_scan(&runs, &status);
  g_autofree gchar *after_text = sweep_status_text(&status);
  ck_assert_str_eq(after_text, "8 runs: 3 done, 0 running, 1 failed, 4 missing");
  sweep_runs_clear(&runs);
  harness_remove_tree(dir);
}
END_TEST

/* ---- The Slurm job script ------------------------------------------------------------------------ */

START_TEST(slurm_chunk_is_the_request_or_keeps_the_array_within_its_limit)
{
  ck_assert_uint_eq(sweep_slurm_chunk(16, 3), 3);
  ck_assert_uint_eq(sweep_slurm_chunk(16, 0), SWEEP_SLURM_DEFAULT_CHUNK);
  ck_assert_uint_eq(sweep_slurm_chunk(10000, 0), 10);
  ck_assert_uint_eq(sweep_slurm_chunk(10001, 0), 11);     /* 910 tasks, not 1001 */
  ck_assert_uint_eq(sweep_slurm_chunk(1000000, 0), 1000); /* 1000 tasks */
}
END_TEST

START_TEST(slurm_script_is_one_array_over_the_runs_file)
{
  const char *extra[] = {"--time=5", "#SBATCH --partition=debug", NULL};
  SlurmJob job = {.base_command = "cd /s && /usr/bin/ftpsim sweep --vary 'client.model=as400;fixed' --out o",
                  .out_dir = "/s/o",
                  .runs_file = "/s/o/slurm/submit-2.runs",
                  .log_pattern = "/s/o/slurm/logs/submit-2-%A_%a.out",
                  .runs = 16,
                  .tasks = 6,
                  .chunk = 3,
                  .max_tasks = 4,
                  .extra_lines = extra};
  g_autofree gchar *script = sweep_slurm_script(&job);
  ck_assert(g_str_has_prefix(script, "#!/bin/bash\n# An ftpsim sweep as a Slurm job array"));
  ck_assert_msg(strstr(script, "# 16 runs in 6 tasks of at most 3 runs, at most 4 tasks at a time.\n") != NULL, "%s",
                script);
  ck_assert(strstr(script,
                   "#SBATCH --array=0-5%4\n#SBATCH --output=/s/o/slurm/logs/submit-2-%A_%a.out\n"
                   "# From --sbatch:\n#SBATCH --time=5\n#SBATCH --partition=debug\nset -euo pipefail\n") != NULL);
  ck_assert(g_str_has_suffix(script, "runs=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" /s/o/slurm/submit-2.runs)\n"
                                     "cd /s && /usr/bin/ftpsim sweep --vary 'client.model=as400;fixed' --out o "
                                     "--runs \"$runs\" --jobs \"${SLURM_CPUS_PER_TASK:-1}\" --quiet\n"));
  /* sbatch reads #SBATCH lines only before the first command */
  const char *first_command = strstr(script, "\nset -euo");
  const char *last_directive = g_strrstr(script, "#SBATCH");
  ck_assert(last_directive < first_command);
}
END_TEST

START_TEST(shell_words_are_quoted_only_when_needed)
{
  g_autofree gchar *plain = sweep_shell_word("client.start_port=900..1100");
  g_autofree gchar *spaced = sweep_shell_word("my dir/it's");
  g_autofree gchar *semicolon = sweep_shell_word("a;b");
  g_autofree gchar *empty = sweep_shell_word("");
  ck_assert_str_eq(plain, "client.start_port=900..1100");
  ck_assert_str_eq(spaced, "'my dir/it'\\''s'");
  ck_assert_str_eq(semicolon, "'a;b'");
  ck_assert_str_eq(empty, "''");
}
END_TEST

/* ---- The command of a run elsewhere --------------------------------------------------------------- */

START_TEST(base_command_drops_what_chooses_where_the_runs_go)
{
  char *args[] = {"sweep",
                  "e.ini",
                  "--jobs",
                  "2",
                  "-j4",
                  "--vary",
                  "client.start_port=1..3",
                  "--runs",
                  "3-4",
                  "--quiet",
                  "-q",
                  "--list",
                  "--executor",
                  "slurm",
                  "--chunk=5",
                  "--sbatch",
                  "--time=5",
                  "--sbatch=--mem=1G",
                  "--max-tasks",
                  "3",
                  "--script-only",
                  "--status",
                  "--collect",
                  "--out",
                  "my out",
                  "--cfg=network/model:CM02",
                  NULL};
  g_autofree gchar *command = sweep_options_base_command(args);
  g_autofree gchar *cwd = g_get_current_dir();
  g_autofree gchar *expected_tail =
      g_strdup(" sweep e.ini --vary client.start_port=1..3 --out 'my out' --cfg=network/model:CM02");
  ck_assert_msg(g_str_has_suffix(command, expected_tail), "%s", command);
  g_autofree gchar *expected_head = g_strdup_printf("cd %s && /", cwd);
  ck_assert_msg(g_str_has_prefix(command, expected_head), "%s", command);
}
END_TEST

/* ---- The sweep's ETA weighs runs by sessions x commands ------------------------------------------ */

START_TEST(run_weight_is_sessions_times_commands_varied_set_or_default)
{
  g_autoptr(SweepPlan) plan = sweep_plan_new();
  plan->reps = 1;
  sweep_plan_vary(plan, sweep_dimension_parse("client.sessions=1,10", FALSE, NULL));
  sweep_plan_vary(plan, sweep_dimension_parse("client.start_port=1,2", FALSE, NULL));
  ck_assert_double_eq(sweep_point_weight(plan, 0), 1 * 30); /* session.commands' default: 30 */
  ck_assert_double_eq(sweep_point_weight(plan, 3), 10 * 30);
  ck_assert(sweep_plan_set(plan, "session.commands=7", NULL));
  ck_assert_double_eq(sweep_point_weight(plan, 2), 10 * 7);
  ck_assert(sweep_plan_set(plan, "session.commands=0", NULL));
  ck_assert_double_eq(sweep_point_weight(plan, 0), 1); /* never 0 */
}
END_TEST

START_TEST(eta_is_the_work_left_at_the_pace_of_the_work_done)
{
  char *text = NULL;
  size_t size = 0;
  FILE *stream = open_memstream(&text, &size);
  /* 4 runs left of weights 1, 1, 1, 97: one light run took 10 s; 99 units are left, not 3 runs */
  SweepProgress progress = {.stream = stream, .runs = 4, .weight_left = 100, .weight_done = 1};
  progress.start_us = g_get_monotonic_time() - 10 * G_USEC_PER_SEC;
  sweep_progress_show(&progress, 1, 0, FALSE);
  fclose(stream);
  ck_assert_msg(strstr(text, "sweep 1/4 runs done, 0:10 elapsed, ETA 16:30\n") != NULL, "%s", text);
  free(text);
}
END_TEST

static Suite *cluster_suite(void)
{
  Suite *suite = suite_create("cluster");
  TCase *select = tcase_create("select");
  tcase_add_test(select, runs_selection_takes_ids_ranges_and_lists);
  tcase_add_test(select, runs_selection_errors_name_the_item_and_the_ids);
  tcase_add_test(select, ids_format_as_ranges_and_split_into_chunks);
  suite_add_tcase(suite, select);
  TCase *journal = tcase_create("journal");
  tcase_add_test(journal, shared_journals_append_side_by_side_and_keep_the_local_pool_out);
  tcase_add_test(journal, journal_read_of_a_folder_without_one_is_no_run_done);
  tcase_add_test(journal, processes_starting_at_once_create_one_journal);
  suite_add_tcase(suite, journal);
  TCase *status = tcase_create("status");
  tcase_add_test(status, status_counts_done_running_failed_and_missing_exactly);
  suite_add_tcase(suite, status);
  TCase *slurm = tcase_create("slurm");
  tcase_add_test(slurm, slurm_chunk_is_the_request_or_keeps_the_array_within_its_limit);
  tcase_add_test(slurm, slurm_script_is_one_array_over_the_runs_file);
  tcase_add_test(slurm, shell_words_are_quoted_only_when_needed);
  tcase_add_test(slurm, base_command_drops_what_chooses_where_the_runs_go);
  suite_add_tcase(suite, slurm);
  TCase *eta = tcase_create("eta");
  tcase_add_test(eta, run_weight_is_sessions_times_commands_varied_set_or_default);
  tcase_add_test(eta, eta_is_the_work_left_at_the_pace_of_the_work_done);
  suite_add_tcase(suite, eta);
  return suite;
}

int main(void)
{
  return check_main(cluster_suite);
}
