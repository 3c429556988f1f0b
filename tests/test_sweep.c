/* ftpsim sweep: the grammar, the product and the seeds (pure functions), then end-to-end sweeps of
 * the built ftpsim binary: --jobs independence, resume after kill -9, failed runs, bad input, plots. */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "check_main.h"
#include "sim_harness.h"
#include "sweep_plan.h"

#ifndef FTPSIM_BINARY
#error "FTPSIM_BINARY must name the built ftpsim program"
#endif

static const char *value_at(const SweepDimension *dimension, guint i)
{
  return g_ptr_array_index(dimension->values, i);
}

/* ---- Grammar ------------------------------------------------------------------------------- */

START_TEST(list_values_are_validated_and_canonical)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SweepDimension) d = sweep_dimension_parse("server.policy=nt351sp2,nt351", FALSE, &error);
  ck_assert_ptr_nonnull(d);
  ck_assert_str_eq(d->key, "server.policy");
  ck_assert_uint_eq(d->values->len, 2);
  ck_assert_str_eq(value_at(d, 0), "nt351sp2");
  ck_assert_str_eq(value_at(d, 1), "nt351");
  g_autoptr(SweepDimension) numbers = sweep_dimension_parse("client.start_port=0100,1023", FALSE, &error);
  ck_assert_str_eq(value_at(numbers, 0), "100");
  g_autoptr(SweepDimension) semicolons = sweep_dimension_parse("client.start_port=900;1000;1100", FALSE, &error);
  ck_assert_uint_eq(semicolons->values->len, 3);
  ck_assert_str_eq(value_at(semicolons, 2), "1100");
}
END_TEST

START_TEST(int_range_includes_both_ends)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SweepDimension) all = sweep_dimension_parse("client.start_port=900..1100", FALSE, &error);
  ck_assert_ptr_nonnull(all);
  ck_assert_uint_eq(all->values->len, 201);
  ck_assert_str_eq(value_at(all, 0), "900");
  ck_assert_str_eq(value_at(all, 200), "1100");
  g_autoptr(SweepDimension) stepped = sweep_dimension_parse("client.start_port=900..1100:30", FALSE, &error);
  ck_assert_uint_eq(stepped->values->len, 7); /* 900, 930, ..., 1080: 1110 would pass HIGH */
  ck_assert_str_eq(value_at(stepped, 6), "1080");
  g_autoptr(SweepDimension) single = sweep_dimension_parse("client.start_port=5..5", FALSE, &error);
  ck_assert_uint_eq(single->values->len, 1);
}
END_TEST

START_TEST(double_range_has_no_rounding_noise)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SweepDimension) d = sweep_dimension_parse("session.think_time=0..1:0.1", FALSE, &error);
  ck_assert_ptr_nonnull(d);
  ck_assert_uint_eq(d->values->len, 11);
  ck_assert_str_eq(value_at(d, 3), "0.3");
  ck_assert_str_eq(value_at(d, 10), "1");
}
END_TEST

static void assert_refused(const char *text, gboolean force, const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SweepDimension) d = sweep_dimension_parse(text, force, &error);
  ck_assert_msg(d == NULL, "'%s' was accepted", text);
  ck_assert_msg(strstr(error->message, expected) != NULL, "'%s': message '%s' lacks '%s'", text, error->message,
                expected);
  ck_assert_ptr_null(strchr(error->message, '\n'));
}

START_TEST(bad_vary_is_refused_with_a_reason)
{
  assert_refused("client.colour=1,2", FALSE,
                 "unknown parameter 'client.colour' (did you mean 'client.counter' or 'client.low'? 'ftpsim params' "
                 "lists every key)");
  assert_refused("client.start_port=1100..900", FALSE, "the range is empty");
  assert_refused("client.start_port=900..1100:0", FALSE, "step must be above 0");
  assert_refused("client.start_port=900..1100:-5", FALSE, "step must be above 0");
  assert_refused("client.start_port=1,,2", FALSE, "empty value");
  assert_refused("client.start_port=", FALSE, "no values");
  assert_refused("client.start_port", FALSE, "is not KEY=");
  assert_refused("client.start_port=0..10", FALSE, "'0' is out of range (accepted: 1..65535)");
  assert_refused("client.start_port=a..b", FALSE, "LOW..HIGH[:STEP] with whole numbers");
  assert_refused("server.policy=nt351..nt351sp2", FALSE, "takes names, not a range");
  assert_refused("server.policy=nt4", FALSE, "'nt4' is not a known value");
  assert_refused("session.file_size=1..2000000", FALSE, "2000000 values, more than 100000 (use --force");
  assert_refused("session.file_size=1..20000000", TRUE, "the most one range can hold");
}
END_TEST

START_TEST(force_allows_a_large_range)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SweepDimension) d = sweep_dimension_parse("session.file_size=1..200000", TRUE, &error);
  ck_assert_ptr_nonnull(d);
  ck_assert_uint_eq(d->values->len, 200000);
}
END_TEST

/* ---- Plan ---------------------------------------------------------------------------------- */

START_TEST(first_dimension_varies_slowest)
{
  g_autoptr(SweepPlan) plan = sweep_plan_new();
  sweep_plan_vary(plan, sweep_dimension_parse("server.policy=nt351,nt351sp2", FALSE, NULL));
  sweep_plan_vary(plan, sweep_dimension_parse("client.start_port=1,2,3", FALSE, NULL));
  guint64 points = 0;
  ck_assert(sweep_plan_check(plan, FALSE, &points, NULL));
  ck_assert_uint_eq(points, 6);
  guint64 indices[2];
  for (guint64 point = 0; point < points; point++) {
    sweep_plan_point_indices(plan, point, indices);
    ck_assert_uint_eq(indices[0], point / 3);
    ck_assert_uint_eq(indices[1], point % 3);
  }
}
END_TEST

START_TEST(plan_refuses_conflicts_and_huge_products)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SweepPlan) plan = sweep_plan_new();
  ck_assert(sweep_plan_set(plan, "client.start_port=1000", NULL));
  sweep_plan_vary(plan, sweep_dimension_parse("client.start_port=1,2", FALSE, NULL));
  guint64 points = 0;
  ck_assert(!sweep_plan_check(plan, FALSE, &points, &error));
  ck_assert_str_eq(error->message, "client.start_port is both set and varied (give it once: --set or --vary)");
  g_clear_error(&error);

  sweep_plan_forget(plan, "client.start_port");
  sweep_plan_vary(plan, sweep_dimension_parse("client.start_port=1..1000", FALSE, NULL));
  sweep_plan_vary(plan, sweep_dimension_parse("client.step=1..200", FALSE, NULL));
  ck_assert(!sweep_plan_check(plan, FALSE, &points, &error));
  ck_assert(strstr(error->message, "200000 runs (200000 points x 1 reps)") != NULL);
  ck_assert(sweep_plan_check(plan, TRUE, &points, NULL));
  ck_assert_uint_eq(points, 200000);
}
END_TEST

START_TEST(set_validates_and_replaces)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SweepPlan) plan = sweep_plan_new();
  ck_assert(sweep_plan_set(plan, "session.commands=300", NULL));
  ck_assert(sweep_plan_set(plan, "client.counter=host", NULL));
  ck_assert(sweep_plan_set(plan, "session.commands=400", NULL));
  ck_assert_uint_eq(plan->sets->len, 2);
  ck_assert_str_eq(g_ptr_array_index(plan->sets, 0), "client.counter=host"); /* sorted by key */
  ck_assert_str_eq(g_ptr_array_index(plan->sets, 1), "session.commands=400");
  ck_assert(!sweep_plan_set(plan, "session.commands=-1", &error));
  ck_assert(strstr(error->message, "out of range") != NULL);
}
END_TEST

/* ---- Seeds --------------------------------------------------------------------------------- */

START_TEST(splitmix64_matches_the_reference)
{
  /* The first two outputs of the reference SplitMix64 generator seeded with 0 (Vigna's splitmix64.c):
   * our function is its output step applied to state + golden gamma. */
  ck_assert_uint_eq(sweep_splitmix64(0), G_GUINT64_CONSTANT(0xe220a8397b1dcdaf));
  ck_assert_uint_eq(sweep_splitmix64(G_GUINT64_CONSTANT(0x9e3779b97f4a7c15)), G_GUINT64_CONSTANT(0x6e789e6aa1b965f4));
}
END_TEST

START_TEST(seeds_follow_the_documented_formula_and_differ)
{
  guint64 expected = sweep_splitmix64(sweep_splitmix64(sweep_splitmix64(42) ^ 7) ^ 3);
  ck_assert_uint_eq(sweep_seed(42, 7, 3), expected);
  ck_assert_uint_eq(sweep_seed(42, 7, 3), G_GUINT64_CONSTANT(17680642119211242809)); /* computed in Python */
  g_autoptr(GHashTable) seen = g_hash_table_new(g_int64_hash, g_int64_equal);
  static gint64 seeds[200 * 50];
  guint n = 0;
  for (guint64 point = 0; point < 200; point++)
    for (guint64 rep = 0; rep < 50; rep++) {
      seeds[n] = (gint64)sweep_seed(1, point, rep);
      ck_assert_msg(!g_hash_table_contains(seen, &seeds[n]), "seed collision at point %lu rep %lu",
                    (unsigned long)point, (unsigned long)rep);
      g_hash_table_add(seen, &seeds[n]);
      n++;
    }
  ck_assert_uint_ne(sweep_seed(1, 0, 0), sweep_seed(2, 0, 0));
}
END_TEST

START_TEST(digest_names_what_decides_the_results)
{
  g_autoptr(SweepPlan) a = sweep_plan_new();
  g_autoptr(SweepPlan) b = sweep_plan_new();
  sweep_plan_vary(a, sweep_dimension_parse("client.start_port=1,2", FALSE, NULL));
  sweep_plan_vary(b, sweep_dimension_parse("client.start_port=1..2", FALSE, NULL));
  g_autofree gchar *da = sweep_plan_digest(a);
  g_autofree gchar *db = sweep_plan_digest(b);
  ck_assert_str_eq(da, db); /* the same values, however written */
  b->reps = 2;
  g_autofree gchar *db2 = sweep_plan_digest(b);
  ck_assert_str_ne(da, db2);
}
END_TEST

/* ---- End to end ---------------------------------------------------------------------------- */

static guint count_lines(const char *text)
{
  guint lines = 0;
  for (const char *p = text; *p; p++)
    lines += *p == '\n';
  return lines;
}

/* The value of column `name` in data row `row` (0-based) of a CSV without quoted fields. */
static gchar *csv_cell(const char *text, guint row, const char *name)
{
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  g_auto(GStrv) header = g_strsplit(lines[0], ",", -1);
  g_auto(GStrv) cells = g_strsplit(lines[row + 1], ",", -1);
  for (guint i = 0; header[i]; i++)
    if (strcmp(header[i], name) == 0)
      return g_strdup(cells[i]);
  ck_abort_msg("no column %s", name);
  return NULL;
}

START_TEST(runs_csv_is_the_same_for_any_jobs_and_right)
{
  g_autofree gchar *dir = harness_temp_dir();
  const char *one[] = {"sweep",
                       "--vary",
                       "client.start_port=1000..1030:10",
                       "--vary",
                       "server.policy=nt351,nt351sp2",
                       "--reps",
                       "2",
                       "--jobs",
                       "1",
                       "--out",
                       "one",
                       "--quiet",
                       NULL};
  const char *two[] = {"sweep",
                       "--vary",
                       "client.start_port=1000..1030:10",
                       "--vary",
                       "server.policy=nt351,nt351sp2",
                       "--reps",
                       "2",
                       "--jobs",
                       "2",
                       "--out",
                       "two",
                       "--quiet",
                       NULL};
  RunResult a = harness_run(dir, one), b = harness_run(dir, two);
  ck_assert_msg(a.status == 0 && b.status == 0, "%s%s", a.err, b.err);
  g_autofree gchar *dir_one = g_build_filename(dir, "one", NULL);
  g_autofree gchar *dir_two = g_build_filename(dir, "two", NULL);
  g_autofree gchar *csv_one = harness_read_text(dir_one, "runs.csv");
  g_autofree gchar *csv_two = harness_read_text(dir_two, "runs.csv");
  ck_assert_str_eq(csv_one, csv_two);
  ck_assert_uint_eq(count_lines(csv_one), 1 + 4 * 2 * 2);
  ck_assert(g_str_has_prefix(csv_one, "point,rep,platform,seed,"));
  /* Rows in (point, rep) order; point 2 = start port 1010 against nt351 (the first dimension is
   * slowest), rep 1, with its derived seed. Against nt351sp2 the AS/400 counter names
   * 1010..1023 first: 14 rejections of 30 commands; nt351 rejects none. */
  g_autofree gchar *point = csv_cell(csv_one, 5, "point");
  g_autofree gchar *rep = csv_cell(csv_one, 5, "rep");
  g_autofree gchar *seed = csv_cell(csv_one, 5, "seed");
  g_autofree gchar *policy = csv_cell(csv_one, 5, "server.policy");
  g_autofree gchar *port = csv_cell(csv_one, 5, "client.start_port");
  ck_assert_str_eq(point, "2");
  ck_assert_str_eq(rep, "1");
  g_autofree gchar *expected_seed = g_strdup_printf("%" G_GUINT64_FORMAT, sweep_seed(1, 2, 1));
  ck_assert_str_eq(seed, expected_seed);
  ck_assert_str_eq(port, "1010");
  ck_assert_str_eq(policy, "nt351");
  g_autofree gchar *rejected_nt351 = csv_cell(csv_one, 5, "rejected");
  g_autofree gchar *rejected_sp2 = csv_cell(csv_one, 6, "max_rejected_before_first_accept");
  g_autofree gchar *sp2_port = csv_cell(csv_one, 6, "client.start_port");
  ck_assert_str_eq(rejected_nt351, "0");
  ck_assert_str_eq(sp2_port, "1010");
  ck_assert_str_eq(rejected_sp2, "14");
  harness_result_clear(&a);
  harness_result_clear(&b);
  harness_remove_tree(dir);
}
END_TEST

static guint journal_runs(const char *out_dir)
{
  g_autofree gchar *path = g_build_filename(out_dir, "sweep.journal", NULL);
  g_autofree gchar *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL))
    return 0;
  guint runs = 0;
  for (const char *p = text; (p = strstr(p, "\nrun ")) != NULL; p++)
    runs++;
  return runs;
}

START_TEST(killed_sweep_resumes_without_loss_or_repeat)
{
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *killed_dir = g_build_filename(dir, "killed", NULL);
  /* 24 runs of a few hundred PORT exchanges each, one at a time, so the kill lands mid-way. */
  const char *args_reference[] = {"sweep",
                                  "--vary",
                                  "client.start_port=1000..1011",
                                  "--vary",
                                  "server.policy=nt351,nt351sp2",
                                  "--set",
                                  "session.commands=200",
                                  "--jobs",
                                  "2",
                                  "--out",
                                  "reference",
                                  "--quiet",
                                  NULL};
  RunResult reference = harness_run(dir, args_reference);
  ck_assert_msg(reference.status == 0, "%s", reference.err);

  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    setpgid(0, 0);
    if (chdir(dir) != 0)
      _exit(127);
    execl(FTPSIM_BINARY, FTPSIM_BINARY, "sweep", "--vary", "client.start_port=1000..1011", "--vary",
          "server.policy=nt351,nt351sp2", "--set", "session.commands=200", "--jobs", "1", "--out", "killed", "--quiet",
          (char *)NULL);
    _exit(127);
  }
  setpgid(pid, pid); /* also from here, so the group exists before the kill whatever runs first */
  guint journaled = 0;
  for (guint waited_ms = 0; waited_ms < 60000 && (journaled = journal_runs(killed_dir)) < 3; waited_ms += 5)
    g_usleep(5000);
  ck_assert_msg(journaled >= 3, "the sweep journaled no run in 60 s");
  ck_assert_int_eq(kill(-pid, SIGKILL), 0);
  int status = 0;
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  ck_assert(WIFSIGNALED(status));
  guint journaled_at_kill = journal_runs(killed_dir);
  ck_assert_msg(journaled_at_kill < 24, "the sweep finished before the kill");

  const char *args_resume[] = {"sweep",
                               "--vary",
                               "client.start_port=1000..1011",
                               "--vary",
                               "server.policy=nt351,nt351sp2",
                               "--set",
                               "session.commands=200",
                               "--jobs",
                               "2",
                               "--out",
                               "killed",
                               NULL};
  RunResult resumed = harness_run(dir, args_resume);
  ck_assert_msg(resumed.status == 0, "%s", resumed.err);
  g_autofree gchar *expected_note = g_strdup_printf("(%u run now)", 24 - journaled_at_kill);
  ck_assert_msg(strstr(resumed.err, expected_note) != NULL, "resume said: %s", resumed.err);

  g_autofree gchar *reference_dir = g_build_filename(dir, "reference", NULL);
  g_autofree gchar *reference_csv = harness_read_text(reference_dir, "runs.csv");
  g_autofree gchar *resumed_csv = harness_read_text(killed_dir, "runs.csv");
  ck_assert_str_eq(resumed_csv, reference_csv);
  ck_assert_uint_eq(journal_runs(killed_dir), 24); /* each run journaled exactly once */
  harness_result_clear(&reference);
  harness_result_clear(&resumed);
  harness_remove_tree(dir);
}
END_TEST

START_TEST(failing_run_does_not_stop_the_others)
{
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *good = NULL;
  ck_assert(g_file_get_contents(FTPSIM_SOURCE_DIR "/platforms/kb140424.xml", &good, NULL, NULL));
  g_autofree gchar *good_path = g_build_filename(dir, "good.xml", NULL);
  ck_assert(g_file_set_contents(good_path, good, -1, NULL));
  /* Every value is valid on its own, so the sweep starts; one combination is not (an empty port
   * range: client.low 6000 above client.high 5000), and only its runs fail. --set too: the
   * platform checks must leave the plan's settings intact for the runs. */
  const char *args[] = {"sweep",
                        "--platform",
                        "good.xml",
                        "--vary",
                        "client.low=6000,1000",
                        "--vary",
                        "client.start_port=1000,1010",
                        "--set",
                        "client.model=sequential",
                        "--set",
                        "client.range=custom",
                        "--set",
                        "client.high=5000",
                        "--set",
                        "session.commands=40",
                        "--jobs",
                        "2",
                        "--out",
                        "out",
                        "--quiet",
                        NULL};
  RunResult outcome = harness_run(dir, args);
  ck_assert_int_eq(outcome.status, 1);
  ck_assert_msg(strstr(outcome.err, "run failed: point 0 rep 0") != NULL &&
                    strstr(outcome.err, "client.low=6000 client.start_port=1000") != NULL &&
                    strstr(outcome.err, "client.low (6000) is above client.high (5000)") != NULL,
                "stderr: %s", outcome.err);
  g_autofree gchar *out_dir = g_build_filename(dir, "out", NULL);
  g_autofree gchar *runs = harness_read_text(out_dir, "runs.csv");
  g_autofree gchar *failures = harness_read_text(out_dir, "failures.csv");
  ck_assert_uint_eq(count_lines(runs), 1 + 2);     /* client.low=1000: two points */
  ck_assert_uint_eq(count_lines(failures), 1 + 2); /* client.low=6000: two points */
  g_autofree gchar *point = csv_cell(runs, 0, "point");
  g_autofree gchar *platform = csv_cell(runs, 0, "platform");
  g_autofree gchar *commands = csv_cell(runs, 0, "commands");
  ck_assert_str_eq(point, "2");
  ck_assert_str_eq(platform, "good.xml");
  ck_assert_str_eq(commands, "40");
  harness_result_clear(&outcome);
  harness_remove_tree(dir);
}
END_TEST

START_TEST(bad_platform_refused_before_any_run)
{
  /* Well-formed, so the scenario check passes; SimGrid refuses the bandwidth. The sweep loads every
   * platform in SimGrid once before starting, so nothing runs. */
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *good = NULL;
  ck_assert(g_file_get_contents(FTPSIM_SOURCE_DIR "/platforms/kb140424.xml", &good, NULL, NULL));
  g_autoptr(GString) bad = g_string_new(good);
  g_string_replace(bad, "bandwidth=\"10Mbps\"", "bandwidth=\"fast\"", 1);
  g_autofree gchar *bad_path = g_build_filename(dir, "bad.xml", NULL);
  ck_assert(g_file_set_contents(bad_path, bad->str, -1, NULL));
  const char *args[] = {"sweep", "--platform", "bad.xml", "--vary", "client.start_port=1000,1010",
                        "--out", "out",        "--quiet", NULL};
  RunResult outcome = harness_run(dir, args);
  ck_assert_int_eq(outcome.status, 2);
  ck_assert_msg(strstr(outcome.err, "cannot parse number") != NULL &&
                    strchr(outcome.err, '\n') == outcome.err + strlen(outcome.err) - 1,
                "stderr: %s", outcome.err);
  g_autofree gchar *out_dir = g_build_filename(dir, "out", NULL);
  ck_assert(!g_file_test(out_dir, G_FILE_TEST_EXISTS));
  harness_result_clear(&outcome);
  harness_remove_tree(dir);
}
END_TEST

START_TEST(bad_input_runs_nothing)
{
  g_autofree gchar *dir = harness_temp_dir();
  const char *cases[][8] = {
      {"sweep", "--vary", "client.start_port=1100..900", "--out", "out", NULL},
      {"sweep", "--vary", "client.colour=red", "--out", "out", NULL},
      {"sweep", "--vary", "session.file_size=1..5000000", "--out", "out", NULL},
      {"sweep", "--vary", "client.start_port=1000", NULL},
      {"sweep", "--platform", "missing.xml", "--out", "out", NULL},
      {"sweep", "missing.ini", "--out", "out", NULL},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    RunResult outcome = harness_run(dir, cases[i]);
    ck_assert_msg(outcome.status == 2, "case %u: status %d", i, outcome.status);
    ck_assert_msg(g_str_has_prefix(outcome.err, "ftpsim: ") && count_lines(outcome.err) == 1, "case %u: %s", i,
                  outcome.err);
    harness_result_clear(&outcome);
  }
  g_autofree gchar *out_dir = g_build_filename(dir, "out", NULL);
  ck_assert(!g_file_test(out_dir, G_FILE_TEST_EXISTS));
  harness_remove_tree(dir);
}
END_TEST

START_TEST(experiment_file_with_command_line_overrides)
{
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *ini = g_build_filename(dir, "e.ini", NULL);
  ck_assert(g_file_set_contents(ini,
                                "[sweep]\nseed = 7\nreps = 3\n\n[set]\nsession.commands = 40\n\n[vary]\n"
                                "client.start_port = 1000,1020\nserver.policy = nt351,nt351sp2\n",
                                -1, NULL));
  const char *args[] = {"sweep", "e.ini", "--reps", "1", "--vary", "server.policy=nt351sp2",
                        "--out", "out",   "-q",     NULL};
  RunResult outcome = harness_run(dir, args);
  ck_assert_msg(outcome.status == 0, "%s", outcome.err);
  g_autofree gchar *out_dir = g_build_filename(dir, "out", NULL);
  g_autofree gchar *runs = harness_read_text(out_dir, "runs.csv");
  ck_assert_uint_eq(count_lines(runs), 1 + 2); /* 2 ports x 1 policy x 1 rep */
  g_autofree gchar *commands = csv_cell(runs, 1, "commands");
  g_autofree gchar *rejected = csv_cell(runs, 1, "rejected");
  g_autofree gchar *seed = csv_cell(runs, 1, "seed");
  ck_assert_str_eq(commands, "40");
  ck_assert_str_eq(rejected, "4"); /* 1020..1023 */
  g_autofree gchar *expected_seed = g_strdup_printf("%" G_GUINT64_FORMAT, sweep_seed(7, 1, 0));
  ck_assert_str_eq(seed, expected_seed);

  /* Platforms named in the file are relative to its folder, wherever the sweep is started. */
  g_autofree gchar *experiment_dir = g_build_filename(dir, "exp", NULL);
  ck_assert_int_eq(g_mkdir(experiment_dir, 0777), 0);
  g_autofree gchar *platform = NULL;
  ck_assert(g_file_get_contents(FTPSIM_SOURCE_DIR "/platforms/kb140424.xml", &platform, NULL, NULL));
  g_autofree gchar *platform_path = g_build_filename(experiment_dir, "lan.xml", NULL);
  g_autofree gchar *platform_ini = g_build_filename(experiment_dir, "p.ini", NULL);
  ck_assert(g_file_set_contents(platform_path, platform, -1, NULL));
  ck_assert(g_file_set_contents(platform_ini, "[sweep]\nplatforms = lan.xml\n[vary]\nclient.start_port = 1000,1010\n",
                                -1, NULL));
  const char *with_platform[] = {"sweep", "exp/p.ini", "--out", "with-platform", "-q", NULL};
  RunResult platform_outcome = harness_run(dir, with_platform);
  ck_assert_msg(platform_outcome.status == 0, "%s", platform_outcome.err);
  g_autofree gchar *platform_out = g_build_filename(dir, "with-platform", NULL);
  g_autofree gchar *platform_runs = harness_read_text(platform_out, "runs.csv");
  g_autofree gchar *label = csv_cell(platform_runs, 1, "platform");
  g_autofree gchar *rejected_1010 = csv_cell(platform_runs, 1, "rejected");
  ck_assert_str_eq(label, "lan.xml");
  ck_assert_str_eq(rejected_1010, "14");
  harness_result_clear(&platform_outcome);

  /* Another definition in the same folder is refused, not mixed in. */
  const char *other[] = {"sweep", "e.ini", "--out", "out", "-q", NULL};
  RunResult refused = harness_run(dir, other);
  ck_assert_int_eq(refused.status, 2);
  ck_assert(strstr(refused.err, "holds a different sweep") != NULL);
  harness_result_clear(&outcome);
  harness_result_clear(&refused);
  harness_remove_tree(dir);
}
END_TEST

START_TEST(session_detail_and_trace_are_collected)
{
  g_autofree gchar *dir = harness_temp_dir();
  const char *args[] = {"sweep",
                        "--vary",
                        "client.start_port=1020,1022",
                        "--set",
                        "session.commands=5",
                        "--sessions",
                        "--trace",
                        "--out",
                        "out",
                        "-q",
                        NULL};
  RunResult outcome = harness_run(dir, args);
  ck_assert_msg(outcome.status == 0, "%s", outcome.err);
  g_autofree gchar *out_dir = g_build_filename(dir, "out", NULL);
  g_autofree gchar *sessions = harness_read_text(out_dir, "sessions.csv");
  g_autofree gchar *commands = harness_read_text(out_dir, "commands.csv");
  ck_assert(g_str_has_prefix(sessions, "point,rep,client.start_port,session,")); /* the varied value, too */
  ck_assert_ptr_nonnull(strstr(sessions, "\n1,0,1022,1,"));
  ck_assert_uint_eq(count_lines(sessions), 1 + 2);
  /* 5 PORT commands per run, each run's rows after its point and rep; point 1 starts at 1022. */
  guint port_rows = 0;
  for (const char *p = commands; (p = strstr(p, ",PORT,")) != NULL; p++)
    port_rows++;
  ck_assert_uint_eq(port_rows, 2 * 5);
  ck_assert(g_str_has_prefix(commands, "point,rep,"));
  const char *first_of_point_1 = strstr(commands, "\n1,0,");
  ck_assert_ptr_nonnull(first_of_point_1);
  ck_assert_ptr_null(strstr(first_of_point_1, "\n0,0,")); /* sorted by point */
  g_autofree gchar *first_line = g_strndup(first_of_point_1 + 1, strcspn(first_of_point_1 + 1, "\n"));
  ck_assert_msg(g_str_has_suffix(first_line, ",PORT,1022,500,0,Invalid PORT Command.,"), "point 1 starts with %s",
                first_line);
  ck_assert_msg(g_str_has_prefix(first_line, "1,0,1022,"), "point 1's rows carry its start port: %s", first_line);
  harness_result_clear(&outcome);
  harness_remove_tree(dir);
}
END_TEST

static void assert_png_and_svg(const char *base)
{
  g_autofree gchar *png_path = g_strconcat(base, ".png", NULL);
  g_autofree gchar *svg_path = g_strconcat(base, ".svg", NULL);
  g_autofree gchar *png = NULL, *svg = NULL;
  gsize png_length = 0;
  ck_assert_msg(g_file_get_contents(png_path, &png, &png_length, NULL), "no %s", png_path);
  ck_assert_msg(png_length > 1000 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0, "%s is not a PNG", png_path);
  ck_assert_msg(g_file_get_contents(svg_path, &svg, NULL, NULL), "no %s", svg_path);
  ck_assert_msg(strstr(svg, "<svg") != NULL && strstr(svg, "</svg>") != NULL, "%s is not an SVG", svg_path);
}

static void plot(const char *dir, const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, (gpointer) "bash");
  g_ptr_array_add(argv, (gpointer)FTPSIM_SOURCE_DIR "/experiments/plot.sh");
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add(argv, (gpointer)args[i]);
  g_ptr_array_add(argv, NULL);
  g_autofree gchar *err = NULL;
  gint wait_status = 0;
  ck_assert(g_spawn_sync(dir, (gchar **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                         NULL, &err, &wait_status, NULL));
  ck_assert_msg(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0, "plot.sh %s failed: %s", args[0], err);
}

START_TEST(plots_are_drawn_from_a_small_sweep)
{
  g_autofree gchar *dir = harness_temp_dir();
  const char *args[] = {"sweep",
                        "--vary",
                        "server.policy=nt351,nt351sp2",
                        "--vary",
                        "client.start_port=1000..1030:10",
                        "--set",
                        "client.sessions=3",
                        "--set",
                        "workload.arrival=interval",
                        "--sessions",
                        "--reps",
                        "2",
                        "--out",
                        "small",
                        "-q",
                        NULL};
  RunResult outcome = harness_run(dir, args);
  ck_assert_msg(outcome.status == 0, "%s", outcome.err);
  const char *kb[] = {"kb", "small", "fig/kb", NULL};
  const char *matrix[] = {"matrix", "small", "fig/matrix", "--rows", "client.model+client.start_port", NULL};
  const char *bursts[] = {
      "bursts", "small", "fig/bursts", "--series", "server.policy", "--where", "client.start_port=1000", NULL};
  const char *cdf[] = {"cdf", "small", "fig/cdf", "--series", "server.policy", NULL};
  plot(dir, kb);
  plot(dir, matrix);
  plot(dir, bursts);
  plot(dir, cdf);
  const char *names[] = {"kb", "matrix", "bursts", "cdf"};
  for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
    g_autofree gchar *base = g_build_filename(dir, "fig", names[i], NULL);
    assert_png_and_svg(base);
  }
  /* The KB figure's data: nt351sp2's line names 1024 - start rejections below 1024. */
  g_autofree gchar *svg_path = g_build_filename(dir, "fig", "kb.svg", NULL);
  g_autofree gchar *svg = NULL;
  ck_assert(g_file_get_contents(svg_path, &svg, NULL, NULL));
  ck_assert(strstr(svg, "nt351sp2") != NULL && strstr(svg, "client start port") != NULL);
  harness_result_clear(&outcome);
  harness_remove_tree(dir);
}
END_TEST

static Suite *sweep_suite(void)
{
  Suite *suite = suite_create("sweep");
  TCase *grammar = tcase_create("grammar");
  tcase_add_test(grammar, list_values_are_validated_and_canonical);
  tcase_add_test(grammar, int_range_includes_both_ends);
  tcase_add_test(grammar, double_range_has_no_rounding_noise);
  tcase_add_test(grammar, bad_vary_is_refused_with_a_reason);
  tcase_add_test(grammar, force_allows_a_large_range);
  suite_add_tcase(suite, grammar);
  TCase *plan = tcase_create("plan");
  tcase_add_test(plan, first_dimension_varies_slowest);
  tcase_add_test(plan, plan_refuses_conflicts_and_huge_products);
  tcase_add_test(plan, set_validates_and_replaces);
  tcase_add_test(plan, splitmix64_matches_the_reference);
  tcase_add_test(plan, seeds_follow_the_documented_formula_and_differ);
  tcase_add_test(plan, digest_names_what_decides_the_results);
  suite_add_tcase(suite, plan);
  TCase *end_to_end = tcase_create("end_to_end");
  tcase_set_timeout(end_to_end, 240);
  tcase_add_test(end_to_end, runs_csv_is_the_same_for_any_jobs_and_right);
  tcase_add_test(end_to_end, killed_sweep_resumes_without_loss_or_repeat);
  tcase_add_test(end_to_end, failing_run_does_not_stop_the_others);
  tcase_add_test(end_to_end, bad_platform_refused_before_any_run);
  tcase_add_test(end_to_end, bad_input_runs_nothing);
  tcase_add_test(end_to_end, experiment_file_with_command_line_overrides);
  tcase_add_test(end_to_end, session_detail_and_trace_are_collected);
  tcase_add_test(end_to_end, plots_are_drawn_from_a_small_sweep);
  suite_add_tcase(suite, end_to_end);
  return suite;
}

int main(void)
{
  return check_main(sweep_suite);
}
