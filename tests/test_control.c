/* network.control=uncongested against the shared model: byte-identical outputs while nothing
 * contends for the links (one session), and the documented difference when sessions do. */
#include <check.h>
#include <stdlib.h>

#include "sim_harness.h"

/* Routes that exercise each term of the uncongested time: a shared link (cross-traffic on the same
 * link), split-duplex links of different bandwidths (the bottleneck, cross-traffic elsewhere), a
 * long fat link where the TCP window bounds the rate, and different links each way (which way data
 * moves: RETR down, STOR up). */
static const char *const platforms[] = {
    NULL, /* the built-in KB Q140424 platform: one SHARED 10 Mbit/s segment */
    "    <link id=\"lan\" bandwidth=\"100Mbps\" latency=\"50us\" sharing_policy=\"SPLITDUPLEX\"/>\n"
    "    <link id=\"wan\" bandwidth=\"2Mbps\" latency=\"20ms\" sharing_policy=\"SPLITDUPLEX\"/>\n"
    "    <route src=\"client\" dst=\"server\"><link_ctn id=\"lan\" direction=\"UP\"/>"
    "<link_ctn id=\"wan\" direction=\"UP\"/></route>\n",
    "    <link id=\"sat\" bandwidth=\"1Gbps\" latency=\"300ms\"/>\n"
    "    <route src=\"client\" dst=\"server\"><link_ctn id=\"sat\"/></route>\n",
    "    <link id=\"up\" bandwidth=\"10Mbps\" latency=\"2ms\"/>\n"
    "    <link id=\"down\" bandwidth=\"1Mbps\" latency=\"5ms\"/>\n"
    "    <route src=\"client\" dst=\"server\" symmetrical=\"NO\"><link_ctn id=\"up\"/></route>\n"
    "    <route src=\"server\" dst=\"client\" symmetrical=\"NO\"><link_ctn id=\"down\"/></route>\n",
};

/* Workloads touching every reply path: rejections, transfers, tarpit delays, PASV with STOR. */
static const char *const workloads[][8] = {
    {"session.commands=40", "client.start_port=1000", NULL},
    {"server.policy=nt351", "session.commands=5", "session.file_size=300000", NULL},
    {"server.reaction=tarpit", "session.commands=6", NULL},
    {"client.reaction=pasv-fallback", "session.mix_stor=1", "session.commands=4", "session.think_time=0.25", NULL},
};

static gchar *platform_file(const char *dir, const char *links)
{
  if (links == NULL)
    return NULL;
  g_autofree gchar *xml = g_strdup_printf(
      "<?xml version='1.0'?>\n"
      "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
      "<platform version=\"4.1\">\n"
      "  <zone id=\"z\" routing=\"Full\">\n"
      "    <host id=\"client\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"client\"/>"
      "<prop id=\"ftpsim.address\" value=\"192.0.2.10\"/></host>\n"
      "    <host id=\"server\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"server\"/>"
      "<prop id=\"ftpsim.address\" value=\"192.0.2.20\"/></host>\n"
      "%s"
      "  </zone>\n"
      "</platform>\n",
      links);
  return harness_write_file(dir, "platform.xml", xml);
}

/* Runs ftpsim with --trace into dir/NAME; returns the folder. */
static gchar *run(const char *dir, const char *name, const char *platform, const char *control,
                  const char *const *sets, const char *sessions)
{
  gchar *out = g_build_filename(dir, name, NULL);
  g_autofree gchar *control_set = g_strdup_printf("network.control=%s", control);
  g_autofree gchar *sessions_set = g_strdup_printf("client.sessions=%s", sessions);
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, (gpointer) "run");
  if (platform != NULL)
    g_ptr_array_add(argv, (gpointer)platform);
  const char *fixed[] = {"--out", out, "--quiet", "--trace", "--set", control_set, "--set", sessions_set};
  for (guint i = 0; i < G_N_ELEMENTS(fixed); i++)
    g_ptr_array_add(argv, (gpointer)fixed[i]);
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

START_TEST(test_one_session_same_as_shared)
{
  const char *const *sets = workloads[_i % G_N_ELEMENTS(workloads)];
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *platform = platform_file(dir, platforms[_i / G_N_ELEMENTS(workloads)]);
  g_autofree gchar *shared = run(dir, "shared", platform, "shared", sets, "1");
  g_autofree gchar *uncongested = run(dir, "uncongested", platform, "uncongested", sets, "1");
  const char *files[] = {"sessions.csv", "commands.csv"};
  for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
    g_autofree gchar *a = harness_read_text(shared, files[i]);
    g_autofree gchar *b = harness_read_text(uncongested, files[i]);
    ck_assert_msg(g_str_equal(a, b), "%s differs:\n--- shared\n%s\n--- uncongested\n%s", files[i], a, b);
  }
  harness_remove_tree(dir);
}
END_TEST

/* Ten sessions at once on the one 10 Mbit/s segment: the shared model makes them wait for each
 * other (0.0375 s instead of 0.0272 s); the uncongested one gives each the time it has alone, as the
 * trade-off documents. Ports 10000 + 256k keep every PORT the same length; min-port refuses them all. */
START_TEST(test_contention_only_in_shared)
{
  const char *sets[] = {"session.commands=6",   "client.counter=host", "client.start_port=10000", "client.step=256",
                        "server.policy=min-port", "server.min_port=65535", NULL};
  g_autofree gchar *dir = harness_temp_dir();
  g_autofree gchar *alone = run(dir, "alone", NULL, "shared", sets, "1");
  g_autofree gchar *shared = run(dir, "shared", NULL, "shared", sets, "10");
  g_autofree gchar *uncongested = run(dir, "uncongested", NULL, "uncongested", sets, "10");
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

int main(void)
{
  Suite *suite = suite_create("control");
  TCase *tc = tcase_create("uncongested");
  tcase_set_timeout(tc, 60);
  tcase_add_loop_test(tc, test_one_session_same_as_shared, 0,
                      (int)(G_N_ELEMENTS(platforms) * G_N_ELEMENTS(workloads)));
  tcase_add_test(tc, test_contention_only_in_shared);
  suite_add_tcase(suite, tc);
  SRunner *runner = srunner_create(suite);
  srunner_run_all(runner, CK_NORMAL);
  int failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
