/* The two drivers on the shared control model: engine.sessions=event-loop (an actor per client host; a
 * session's flows, back to back, in an actor that lives while they do) against engine.sessions=actors (an
 * actor per session and one per server connection). The same flows on the same links, started and ended in
 * the same turns, so the same files: sessions.csv and commands.csv byte for byte, summary.csv but for its
 * engine.sessions cell, on the KB platform, two-sites, mixed-fleet and Poisson fleets, with rejections,
 * transfers, tarpits, bans, closes and draws. Where timers end at the instant of other events, the same
 * summary (its totals and means within 1e-9), not the same rows. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "sim_harness.h"

#define PLATFORMS FTPSIM_SOURCE_DIR "/platforms/"

typedef struct DriverCase {
  const char *platform; /* NULL: the built-in KB Q140424 platform */
  gboolean in_order;    /* the same bytes in the same order; else the same rows, sorted, times within noise */
  const char *sets[10];
} DriverCase;

static const DriverCase cases[] = {
    /* the platforms and fleets of issue 15: byte for byte */
    {NULL, TRUE, {NULL}},
    {PLATFORMS "kb140424.xml", TRUE, {"client.sessions=1000", "session.commands=3", NULL}},
    {PLATFORMS "two-sites.xml", TRUE, {NULL}},
    {PLATFORMS "mixed-fleet.xml", TRUE, {NULL}},
    {PLATFORMS "two-sites.xml", TRUE, {"client.sessions=100", "workload.arrival=poisson", "workload.rate=50", NULL}},
    {NULL, TRUE, {"client.sessions=200", "workload.arrival=poisson", "workload.rate=20", "session.commands=5", NULL}},
    /* rejections, transfers, server delays and closes, draws, a host-wide counter: byte for byte */
    {NULL, TRUE, {"session.commands=40", "client.start_port=1000", NULL}},
    {NULL, TRUE, {"client.sessions=20", "server.policy=nt351", "session.commands=5", "session.file_size=300000", NULL}},
    {NULL, TRUE, {"client.sessions=4", "server.reaction=tarpit", "session.commands=6", NULL}},
    {NULL, TRUE, {"client.sessions=10", "server.reaction=ban", "session.commands=6", NULL}},
    {NULL,
     TRUE,
     {"client.sessions=10", "server.reaction=disconnect", "session.commands=6", "client.data_after_reject=yes", NULL}},
    {NULL,
     TRUE,
     {"client.sessions=30", "client.counter=host", "session.mix_list=1", "session.mix_stor=1",
      "session.file_size_dist=exponential", "session.think_dist=exponential", "session.think_time=0.1",
      "session.commands_dist=geometric", NULL}},
    /* timers that end at the very instant of other events (think times, pyftpdlib's stall until the accept
     * timeout): SimGrid wakes sleeping actors in an order the loop's queue does not follow, so sessions of
     * one instant take turns otherwise, and may meet other ports (docs/performance.md); the same totals */
    {NULL,
     FALSE,
     {"client.reaction=pasv-fallback", "session.mix_stor=1", "session.commands=4", "session.think_time=0.25",
      "client.sessions=5", NULL}},
    {PLATFORMS "kb140424.xml",
     FALSE,
     {"client.sessions=50", "server.policy=pyftpdlib", "client.data_after_reject=yes", NULL}},
};

/* ftpsim run [platform] --out dir/NAME --quiet --trace --seed 3 --set engine.sessions=DRIVER sets... */
static gchar *run(const char *dir, const char *driver, const DriverCase *c)
{
  gchar *out = g_build_filename(dir, driver, NULL);
  g_autofree gchar *driver_set = g_strdup_printf("engine.sessions=%s", driver);
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, (gpointer) "run");
  if (c->platform != NULL)
    g_ptr_array_add(argv, (gpointer)c->platform);
  const char *fixed[] = {"--out", out, "--quiet", "--trace", "--seed", "3", "--set", driver_set};
  for (guint i = 0; i < G_N_ELEMENTS(fixed); i++)
    g_ptr_array_add(argv, (gpointer)fixed[i]);
  for (guint i = 0; c->sets[i] != NULL; i++) {
    g_ptr_array_add(argv, (gpointer) "--set");
    g_ptr_array_add(argv, (gpointer)c->sets[i]);
  }
  g_ptr_array_add(argv, NULL);
  RunResult result = harness_run(NULL, (const char *const *)argv->pdata);
  ck_assert_msg(result.status == 0, "%s driver: exit %d: %s", driver, result.status, result.err);
  harness_result_clear(&result);
  return out;
}

/* Two cells are the same: equal text, or numbers within 1e-9 relative (SimGrid's float noise). */
static gboolean same_cell(const char *a, const char *b)
{
  if (g_str_equal(a, b))
    return TRUE;
  char *end_a = NULL, *end_b = NULL;
  const double x = g_ascii_strtod(a, &end_a), y = g_ascii_strtod(b, &end_b);
  if (end_a == a || *end_a != '\0' || end_b == b || *end_b != '\0')
    return FALSE;
  return fabs(x - y) <= 1e-9 * MAX(1.0, fabs(x));
}

static gint compare_rows(gconstpointer a, gconstpointer b)
{
  gchar *const *x = *(gchar *const *const *)a, *const *y = *(gchar *const *const *)b;
  for (guint i = 0; x[i] != NULL && y[i] != NULL; i++) {
    const int order = strcmp(x[i], y[i]);
    if (order != 0)
      return order;
  }
  return 0;
}

/* name's rows in both folders: same header, same rows, same cells but for the column `except`. Unless
 * in_order, rows are compared sorted and numbers within the noise. Returns how many cells differ in their
 * text. */
static guint assert_same_rows(const char *a_dir, const char *b_dir, const char *name, const char *except,
                              gboolean in_order)
{
  g_autofree gchar *a_path = g_build_filename(a_dir, name, NULL);
  g_autofree gchar *b_path = g_build_filename(b_dir, name, NULL);
  g_autoptr(Csv) a = harness_read_csv(a_path);
  g_autoptr(Csv) b = harness_read_csv(b_path);
  const guint columns = g_strv_length(a->header);
  ck_assert_uint_eq(columns, g_strv_length(b->header));
  ck_assert_uint_eq(a->rows->len, b->rows->len);
  ck_assert_uint_gt(a->rows->len, 0);
  if (!in_order) {
    g_ptr_array_sort(a->rows, compare_rows);
    g_ptr_array_sort(b->rows, compare_rows);
  }
  guint noisy = 0;
  for (guint row = 0; row < a->rows->len; row++) {
    gchar **x = g_ptr_array_index(a->rows, row), **y = g_ptr_array_index(b->rows, row);
    for (guint col = 0; col < columns; col++) {
      ck_assert_str_eq(a->header[col], b->header[col]);
      if (except != NULL && g_str_equal(a->header[col], except))
        continue;
      ck_assert_msg(in_order ? g_str_equal(x[col], y[col]) : same_cell(x[col], y[col]),
                    "%s row %u column %s: actors %s, event loop %s", name, row, a->header[col], x[col], y[col]);
      noisy += !g_str_equal(x[col], y[col]);
    }
  }
  return noisy;
}

START_TEST(test_event_loop_equals_actors_on_shared_control)
{
  const DriverCase *c = &cases[_i];
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *actors = run(dir, "actors", c);
  g_autofree gchar *loop = run(dir, "event-loop", c);
  assert_same_rows(actors, loop, "summary.csv", "engine.sessions", c->in_order);
  if (!c->in_order) { /* the totals above are the same; which session met which port at that instant is not */
    harness_remove_tree(dir);
    return;
  }
  assert_same_rows(actors, loop, "sessions.csv", NULL, TRUE);
  assert_same_rows(actors, loop, "commands.csv", NULL, TRUE);
  /* and the files themselves, byte for byte */
  g_autofree gchar *a = harness_read_text(actors, "sessions.csv"), *b = harness_read_text(loop, "sessions.csv");
  ck_assert_str_eq(a, b);
  g_autofree gchar *x = harness_read_text(actors, "commands.csv"), *y = harness_read_text(loop, "commands.csv");
  ck_assert_str_eq(x, y);
  g_autofree gchar *summary_path = g_build_filename(loop, "summary.csv", NULL);
  g_autoptr(Csv) summary = harness_read_csv(summary_path);
  ck_assert_str_eq(harness_field(summary, 0, "engine.sessions"), "event-loop");
  ck_assert_str_eq(harness_field(summary, 0, "network.control"), "shared");
  harness_remove_tree(dir);
}
END_TEST

static Suite *drivers_equal_suite(void)
{
  Suite *suite = suite_create("drivers_equal");
  TCase *shared = tcase_create("shared_control");
  tcase_set_timeout(shared, 300);
  tcase_add_loop_test(shared, test_event_loop_equals_actors_on_shared_control, 0, (int)G_N_ELEMENTS(cases));
  suite_add_tcase(suite, shared);
  return suite;
}

int main(void)
{
  return check_main(drivers_equal_suite);
}
