/* The scenario reader, without SimGrid: platform and deployment XML written here, read by scenario_load. */
#include <check.h>
#include <string.h>

#include <glib/gstdio.h>

#include "check_main.h"
#include "memory_estimate.h"
#include "scenario.h"

#define HEADER                                                                                                         \
  "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n<platform "                  \
  "version=\"4.1\">\n"                                                                                                 \
  "<zone id=\"z\" routing=\"Full\">\n"
#define FOOTER "</zone>\n</platform>\n"
#define CLIENT(id, props)                                                                                              \
  "<host id=\"" id "\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"client\"/>" props "</host>\n"
#define SERVER(id, props)                                                                                              \
  "<host id=\"" id "\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"server\"/>" props "</host>\n"
#define PROP(key, value) "<prop id=\"" key "\" value=\"" value "\"/>"

static Scenario *load(const char *hosts, const char *deployment_path, const char *const *overrides, GError **error)
{
  g_autofree gchar *xml = g_strconcat(HEADER, hosts, FOOTER, NULL);
  return scenario_load("test.xml", xml, strlen(xml), deployment_path, overrides, error);
}

static Scenario *load_ok(const char *hosts, const char *deployment_path, const char *const *overrides)
{
  g_autoptr(GError) error = NULL;
  Scenario *scenario = load(hosts, deployment_path, overrides, &error);
  ck_assert_msg(scenario != NULL, "scenario_load failed: %s", error ? error->message : "");
  return scenario;
}

/* The error message scenario_load gives for these hosts. */
static gchar *load_error(const char *hosts, const char *deployment_path, const char *const *overrides)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Scenario) scenario = load(hosts, deployment_path, overrides, &error);
  ck_assert_ptr_null(scenario);
  ck_assert_ptr_nonnull(error);
  return g_strdup(error->message);
}

static const ClientSpec *client(const Scenario *scenario, guint i)
{
  ck_assert_uint_lt(i, scenario->clients->len);
  return g_ptr_array_index(scenario->clients, i);
}

static const ServerSpec *server(const Scenario *scenario, guint i)
{
  ck_assert_uint_lt(i, scenario->servers->len);
  return g_ptr_array_index(scenario->servers, i);
}

static const DeployedSession *deployed(const Scenario *scenario, guint i)
{
  ck_assert_ptr_nonnull(scenario->deployed);
  ck_assert_uint_lt(i, scenario->deployed->len);
  return g_ptr_array_index(scenario->deployed, i);
}

static void assert_address(guint32 address, const char *expected)
{
  char text[16];
  ftp_format_ipv4(address, text, sizeof text);
  ck_assert_str_eq(text, expected);
}

/* A deployment file in a fresh folder; *dir is removed by remove_deployment. */
static gchar *write_deployment(gchar **dir, const char *actors)
{
  *dir = g_dir_make_tmp("ftpsim-scenario-XXXXXX", NULL);
  ck_assert_ptr_nonnull(*dir);
  gchar *path = g_build_filename(*dir, "deployment.xml", NULL);
  g_autofree gchar *text = g_strconcat("<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM "
                                       "\"https://simgrid.org/simgrid.dtd\">\n<platform version=\"4.1\">\n",
                                       actors, "</platform>\n", NULL);
  ck_assert(g_file_set_contents(path, text, -1, NULL));
  return path;
}

static void remove_deployment(gchar *dir, gchar *path)
{
  g_unlink(path);
  g_rmdir(dir);
  g_free(path);
  g_free(dir);
}

/* ---- roles, addresses, servers ---- */

START_TEST(test_hosts_with_a_role_become_clients_and_servers_in_file_order)
{
  g_autoptr(Scenario) scenario =
      load_ok(CLIENT("c1", "") "<host id=\"router\" speed=\"1Gf\"/>\n" SERVER("s1", "") CLIENT("c2", ""), NULL, NULL);
  ck_assert_uint_eq(scenario->clients->len, 2);
  ck_assert_uint_eq(scenario->servers->len, 1);
  ck_assert_str_eq(client(scenario, 0)->host.name, "c1");
  ck_assert_str_eq(client(scenario, 1)->host.name, "c2");
  ck_assert_str_eq(server(scenario, 0)->host.name, "s1");
  ck_assert_ptr_null(scenario->deployed);
  ck_assert_str_eq(scenario->platform_label, "test.xml");
}
END_TEST

START_TEST(test_address_defaults_to_10_0_0_n_by_position_in_the_file)
{
  /* N counts every host, with a role or not: the router is the second. */
  g_autoptr(Scenario) scenario =
      load_ok(CLIENT("c1", "") "<host id=\"router\" speed=\"1Gf\"/>\n" SERVER("s1", "") CLIENT("c2", ""), NULL, NULL);
  assert_address(client(scenario, 0)->host.address, "10.0.0.1");
  assert_address(server(scenario, 0)->host.address, "10.0.0.3");
  assert_address(client(scenario, 1)->host.address, "10.0.0.4");
}
END_TEST

START_TEST(test_address_property_sets_the_host_address)
{
  g_autoptr(Scenario) scenario = load_ok(
      CLIENT("c", PROP("ftpsim.address", "192.0.2.10")) SERVER("s", PROP("ftpsim.address", "192.0.2.20")), NULL, NULL);
  assert_address(client(scenario, 0)->host.address, "192.0.2.10");
  assert_address(server(scenario, 0)->host.address, "192.0.2.20");
}
END_TEST

START_TEST(test_advertised_address_is_the_own_address_unless_set)
{
  g_autoptr(Scenario) scenario =
      load_ok(CLIENT("plain", PROP("ftpsim.address", "192.0.2.10"))
                  CLIENT("natted", PROP("ftpsim.address", "192.0.2.11") PROP("ftpsim.advertised_address", "10.1.2.3"))
                      SERVER("s", ""),
              NULL, NULL);
  assert_address(client(scenario, 0)->advertised_address, "192.0.2.10");
  assert_address(client(scenario, 1)->advertised_address, "10.1.2.3");
  assert_address(client(scenario, 1)->host.address, "192.0.2.11");
}
END_TEST

START_TEST(test_bad_address_is_an_error)
{
  g_autofree gchar *message = load_error(CLIENT("c", PROP("ftpsim.address", "192.0.2")) SERVER("s", ""), NULL, NULL);
  ck_assert_str_eq(message, "test.xml: host 'c': ftpsim.address '192.0.2' is not an IPv4 address (like 192.0.2.10)");
}
END_TEST

START_TEST(test_server_property_picks_the_clients_server)
{
  g_autoptr(Scenario) scenario = load_ok(SERVER("s1", "") SERVER("s2", "") CLIENT("c1", PROP("ftpsim.server", "s2"))
                                             CLIENT("c2", PROP("ftpsim.server", "s2")),
                                         NULL, NULL);
  ck_assert_uint_eq(client(scenario, 0)->server_index, 1);
  ck_assert_uint_eq(client(scenario, 1)->server_index, 1);
}
END_TEST

START_TEST(test_clients_without_server_property_go_round_robin)
{
  g_autoptr(Scenario) scenario = load_ok(SERVER("s1", "") SERVER("s2", "") CLIENT("c1", "") CLIENT("c2", "")
                                             CLIENT("c3", PROP("ftpsim.server", "s1")) CLIENT("c4", ""),
                                         NULL, NULL);
  ck_assert_uint_eq(client(scenario, 0)->server_index, 0);
  ck_assert_uint_eq(client(scenario, 1)->server_index, 1);
  ck_assert_uint_eq(client(scenario, 2)->server_index, 0);
  ck_assert_uint_eq(client(scenario, 3)->server_index, 1); /* the fourth client: 3 % 2 */
}
END_TEST

START_TEST(test_server_property_naming_no_server_is_an_error)
{
  g_autofree gchar *message =
      load_error(SERVER("s1", "") SERVER("s2", "") CLIENT("c", PROP("ftpsim.server", "s3")), NULL, NULL);
  ck_assert_str_eq(message, "test.xml: host 'c': ftpsim.server 's3' is not a server host (known: s1, s2)");
}
END_TEST

START_TEST(test_session_ids_follow_client_order)
{
  g_autoptr(Scenario) scenario =
      load_ok(CLIENT("c1", PROP("client.sessions", "3")) CLIENT("c2", PROP("client.sessions", "2")) SERVER("s", ""),
              NULL, NULL);
  ck_assert_uint_eq(client(scenario, 0)->first_session_id, 1);
  ck_assert_uint_eq(client(scenario, 1)->first_session_id, 4);
  ck_assert_uint_eq(client(scenario, 1)->sessions, 2);
  ck_assert_uint_eq(scenario->total_sessions, 5);
}
END_TEST

START_TEST(test_platform_without_server_is_an_error)
{
  g_autofree gchar *message = load_error(CLIENT("c", ""), NULL, NULL);
  ck_assert_str_eq(message, "test.xml: the platform has no server host (mark one with <prop id=\"ftpsim.role\" "
                            "value=\"server\"/>)");
}
END_TEST

START_TEST(test_unknown_role_is_an_error)
{
  g_autofree gchar *message =
      load_error("<host id=\"h\" speed=\"1Gf\">" PROP("ftpsim.role", "router") "</host>\n" SERVER("s", ""), NULL, NULL);
  ck_assert_str_eq(message, "test.xml: host 'h': ftpsim.role 'router' is not a known role (accepted: client, server)");
}
END_TEST

START_TEST(test_missing_doctype_is_an_error)
{
  g_autoptr(GError) error = NULL;
  const char xml[] = "<platform version=\"4.1\"/>";
  g_autoptr(Scenario) scenario = scenario_load("test.xml", xml, strlen(xml), NULL, NULL, &error);
  ck_assert_ptr_null(scenario);
  ck_assert_str_eq(error->message, "test.xml: SimGrid needs the line <!DOCTYPE platform SYSTEM "
                                   "\"https://simgrid.org/simgrid.dtd\"> before <platform>");
}
END_TEST

/* ---- host properties: which are parameters ---- */

START_TEST(test_unknown_ftpsim_property_is_an_error)
{
  g_autofree gchar *message = load_error(CLIENT("c", PROP("ftpsim.adress", "192.0.2.1")) SERVER("s", ""), NULL, NULL);
  ck_assert_str_eq(message, "test.xml: host 'c': unknown property 'ftpsim.adress' (known: ftpsim.role, "
                            "ftpsim.address, ftpsim.server, ftpsim.advertised_address, ftpsim.middlebox)");
}
END_TEST

START_TEST(test_typo_in_a_parameter_namespace_is_an_error)
{
  g_autofree gchar *message = load_error(CLIENT("c", PROP("client.strat_port", "600")) SERVER("s", ""), NULL, NULL);
  ck_assert_ptr_nonnull(strstr(message, "test.xml: host 'c': "));
  ck_assert_ptr_nonnull(strstr(message, "client.strat_port"));
}
END_TEST

START_TEST(test_properties_outside_parameter_namespaces_are_left_to_simgrid)
{
  g_autoptr(Scenario) scenario = load_ok(
      CLIENT("c", PROP("wattage_per_state", "100:200") PROP("vendor.color", "blue")) SERVER("s", ""), NULL, NULL);
  ck_assert_uint_eq(scenario->clients->len, 1);
}
END_TEST

START_TEST(test_bad_parameter_value_in_a_host_property_is_an_error)
{
  g_autofree gchar *message = load_error(CLIENT("c", PROP("session.commands", "-1")) SERVER("s", ""), NULL, NULL);
  ck_assert(g_str_has_prefix(message, "test.xml: host 'c': "));
  ck_assert_ptr_nonnull(strstr(message, "session.commands"));
}
END_TEST

/* ---- precedence: defaults < host property < deployment argument < --set ---- */

START_TEST(test_defaults_apply_without_any_setting)
{
  g_autoptr(Scenario) scenario = load_ok(CLIENT("c", "") SERVER("s", ""), NULL, NULL);
  ck_assert_int_eq(param_set_int(client(scenario, 0)->host.params, "session.commands"), 30);
  ck_assert_str_eq(client(scenario, 0)->model->name, "as400");
  ck_assert_str_eq(server(scenario, 0)->policy->name, "nt351sp2");
}
END_TEST

START_TEST(test_host_property_overrides_the_default)
{
  g_autoptr(Scenario) scenario = load_ok(CLIENT("c", PROP("session.commands", "5") PROP("client.model", "sequential"))
                                             SERVER("s", PROP("server.policy", "nt351")),
                                         NULL, NULL);
  ck_assert_int_eq(param_set_int(client(scenario, 0)->host.params, "session.commands"), 5);
  ck_assert_str_eq(client(scenario, 0)->model->name, "sequential");
  ck_assert_str_eq(server(scenario, 0)->policy->name, "nt351");
}
END_TEST

START_TEST(test_set_overrides_the_host_property)
{
  const char *const overrides[] = {"session.commands=9", "server.policy=nt351", NULL};
  g_autoptr(Scenario) scenario = load_ok(
      CLIENT("c", PROP("session.commands", "5")) SERVER("s", PROP("server.policy", "nt351sp2")), NULL, overrides);
  ck_assert_int_eq(param_set_int(client(scenario, 0)->host.params, "session.commands"), 9);
  ck_assert_str_eq(server(scenario, 0)->policy->name, "nt351");
}
END_TEST

START_TEST(test_deployment_argument_overrides_the_host_property_and_set_overrides_both)
{
  gchar *dir = NULL;
  gchar *path = write_deployment(&dir, "<actor host=\"c\" function=\"ftp_client\">"
                                       "<argument value=\"session.commands=7\"/>"
                                       "<argument value=\"session.file_size=100\"/></actor>\n");
  const char *const overrides[] = {"session.file_size=200", NULL};
  g_autoptr(Scenario) scenario = load_ok(CLIENT("c", PROP("session.commands", "5")) SERVER("s", ""), path, overrides);
  ck_assert_int_eq(param_set_int(deployed(scenario, 0)->params, "session.commands"), 7);
  ck_assert_int_eq(param_set_int(deployed(scenario, 0)->params, "session.file_size"), 200);
  ck_assert_int_eq(param_set_int(client(scenario, 0)->host.params, "session.commands"), 5); /* the host's own */
  remove_deployment(dir, path);
}
END_TEST

START_TEST(test_effective_value_is_mixed_when_hosts_differ)
{
  g_autoptr(Scenario) scenario =
      load_ok(CLIENT("c1", PROP("session.commands", "5")) CLIENT("c2", "") SERVER("s", ""), NULL, NULL);
  g_autofree gchar *commands = scenario_effective_value(scenario, "session.commands");
  g_autofree gchar *policy = scenario_effective_value(scenario, "server.policy");
  ck_assert_str_eq(commands, "mixed");
  ck_assert_str_eq(policy, "nt351sp2");
}
END_TEST

/* ---- the deployment file ---- */

START_TEST(test_deployment_actors_become_sessions_in_file_order)
{
  gchar *dir = NULL;
  gchar *path = write_deployment(&dir, "<actor host=\"c2\" function=\"ftp_client\" start_time=\"2.5\">"
                                       "<argument value=\"s1\"/></actor>\n"
                                       "<actor host=\"c1\" function=\"ftp_client\"/>\n"
                                       "<actor host=\"c1\" function=\"ftp_client\">"
                                       "<argument value=\"client.model=sequential\"/></actor>\n");
  g_autoptr(Scenario) scenario =
      load_ok(SERVER("s1", "") SERVER("s2", "") CLIENT("c1", "") CLIENT("c2", ""), path, NULL);
  ck_assert_uint_eq(scenario->deployed->len, 3);
  ck_assert_uint_eq(scenario->total_sessions, 3);
  ck_assert_uint_eq(deployed(scenario, 0)->client_index, 1);
  ck_assert_uint_eq(deployed(scenario, 0)->server_index, 0); /* named: s1, although c2's round-robin server is s2 */
  ck_assert_double_eq(deployed(scenario, 0)->start_time, 2.5);
  ck_assert_uint_eq(deployed(scenario, 1)->client_index, 0);
  ck_assert_uint_eq(deployed(scenario, 1)->server_index, 0); /* c1's own server */
  ck_assert_double_eq(deployed(scenario, 1)->start_time, 0);
  ck_assert_str_eq(deployed(scenario, 1)->model->name, "as400");
  ck_assert_str_eq(deployed(scenario, 2)->model->name, "sequential");
  remove_deployment(dir, path);
}
END_TEST

START_TEST(test_deployment_actor_on_a_non_client_host_is_an_error)
{
  gchar *dir = NULL;
  gchar *path = write_deployment(&dir, "<actor host=\"s\" function=\"ftp_client\"/>\n");
  g_autofree gchar *message = load_error(CLIENT("c", "") SERVER("s", ""), path, NULL);
  g_autofree gchar *expected = g_strdup_printf("%s: line 4: host 's' is not a client host of the platform", path);
  ck_assert_str_eq(message, expected);
  remove_deployment(dir, path);
}
END_TEST

START_TEST(test_deployment_unknown_function_is_an_error)
{
  gchar *dir = NULL;
  gchar *path = write_deployment(&dir, "<actor host=\"c\" function=\"ftp_server\"/>\n");
  g_autofree gchar *message = load_error(CLIENT("c", "") SERVER("s", ""), path, NULL);
  g_autofree gchar *expected =
      g_strdup_printf("%s: line 4: function 'ftp_server' is not known (accepted: ftp_client)", path);
  ck_assert_str_eq(message, expected);
  remove_deployment(dir, path);
}
END_TEST

START_TEST(test_deployment_without_actors_is_an_error)
{
  gchar *dir = NULL;
  gchar *path = write_deployment(&dir, "");
  g_autofree gchar *message = load_error(CLIENT("c", "") SERVER("s", ""), path, NULL);
  g_autofree gchar *expected = g_strdup_printf("%s: no <actor function=\"ftp_client\"> in the deployment", path);
  ck_assert_str_eq(message, expected);
  remove_deployment(dir, path);
}
END_TEST

/* The memory estimate counts the sessions that start at time 0, each at its driver's measured cost:
 * all of an at-once host's, the first of a host whose sessions arrive over time. */
START_TEST(test_memory_estimate_counts_sessions_at_once_by_driver)
{
  const char *overrides[] = {"client.sessions=100", NULL};
  g_autoptr(Scenario) scenario =
      load_ok(SERVER("s", "") CLIENT("burst", "")
                  CLIENT("arrivals", PROP("workload.arrival", "poisson") PROP("workload.rate", "5"))
                      CLIENT("light", PROP("network.control", "uncongested") PROP("engine.sessions", "event-loop"))
                          CLIENT("shared-loop", PROP("engine.sessions", "event-loop")),
              NULL, overrides);
  MemoryEstimate estimate;
  memory_estimate(scenario, &estimate);
  ck_assert_uint_eq(estimate.sessions_at_once, 100 + 1 + 100 + 100);
  ck_assert_uint_eq(estimate.actor_sessions, 101);
  /* the loop on the shared model: an actor a session while their flows are in flight, all at once; on the
   * others, an actor for each transfer, and the 100 at once may all be in one */
  ck_assert_uint_eq(estimate.bytes, MEMORY_BASE_BYTES + 101 * MEMORY_ACTOR_SESSION_BYTES +
                                        100 * (MEMORY_LOOP_SESSION_BYTES + MEMORY_LOOP_TRANSFER_BYTES) +
                                        100 * MEMORY_LOOP_SHARED_SESSION_BYTES);
  ck_assert_uint_eq(estimate.event_loop_bytes,
                    MEMORY_BASE_BYTES + 301 * (MEMORY_LOOP_SESSION_BYTES + MEMORY_LOOP_TRANSFER_BYTES));
  ck_assert_uint_eq(estimate.fluid_bytes, MEMORY_BASE_BYTES + 301 * MEMORY_LOOP_SESSION_BYTES); /* no transfer actor */
  ck_assert(!estimate.event_loop_same); /* the actor hosts run the shared control model */
  ck_assert(!estimate.stackless);

  const char *uncongested[] = {"client.sessions=100", "network.control=uncongested", NULL};
  g_autoptr(Scenario) same = load_ok(SERVER("s", "") CLIENT("burst", "") CLIENT("other", ""), NULL, uncongested);
  memory_estimate(same, &estimate);
  ck_assert(estimate.event_loop_same);
  ck_assert_uint_eq(estimate.actor_sessions, 200);
  ck_assert_uint_eq(estimate.bytes, MEMORY_BASE_BYTES + 200 * MEMORY_ACTOR_UNCONGESTED_SESSION_BYTES); /* one actor */
  memory_estimate_use_event_loop(same);
  memory_estimate(same, &estimate);
  ck_assert_uint_eq(estimate.actor_sessions, 0);
  ck_assert_uint_eq(estimate.bytes, estimate.event_loop_bytes);
  ck_assert(estimate.stackless); /* uncongested, every host on the loop */

  /* loaded: one actor a session, but the event loop orders simultaneous messages otherwise: no move */
  const char *loaded[] = {"client.sessions=100", "network.control=loaded", NULL};
  g_autoptr(Scenario) other = load_ok(SERVER("s", "") CLIENT("burst", ""), NULL, loaded);
  memory_estimate(other, &estimate);
  ck_assert_uint_eq(estimate.bytes, MEMORY_BASE_BYTES + 100 * MEMORY_ACTOR_UNCONGESTED_SESSION_BYTES);
  ck_assert(!estimate.event_loop_same);
}
END_TEST

/* On the event loop a transfer has an actor: PORT transfers in flight are bounded by the ports of their
 * client host, PASV ones (pasv-fallback) only by the sessions at once. */
START_TEST(test_memory_estimate_bounds_loop_transfers_by_a_hosts_ports)
{
  const char *loop[] = {"client.sessions=100000", "network.control=loaded", "engine.sessions=event-loop", NULL};
  g_autoptr(Scenario) ports = load_ok(SERVER("s", "") CLIENT("c", "") CLIENT("d", ""), NULL, loop);
  MemoryEstimate estimate;
  memory_estimate(ports, &estimate);
  ck_assert_uint_eq(estimate.bytes,
                    MEMORY_BASE_BYTES + 200000 * MEMORY_LOOP_SESSION_BYTES + 2 * 65535 * MEMORY_LOOP_TRANSFER_BYTES);
  ck_assert_uint_eq(estimate.event_loop_bytes, estimate.bytes);

  const char *pasv[] = {"client.sessions=100000", "network.control=loaded", "engine.sessions=event-loop",
                        "client.reaction=pasv-fallback", NULL};
  g_autoptr(Scenario) passive = load_ok(SERVER("s", "") CLIENT("c", ""), NULL, pasv);
  memory_estimate(passive, &estimate);
  ck_assert_uint_eq(estimate.bytes,
                    MEMORY_BASE_BYTES + 100000 * (MEMORY_LOOP_SESSION_BYTES + MEMORY_LOOP_TRANSFER_BYTES));

  /* network.transfers=loaded: a transfer is timed by the loop, with no actor */
  const char *fluid[] = {"client.sessions=100000", "network.control=loaded", "engine.sessions=event-loop",
                         "network.transfers=loaded", NULL};
  g_autoptr(Scenario) light = load_ok(SERVER("s", "") CLIENT("c", ""), NULL, fluid);
  memory_estimate(light, &estimate);
  ck_assert_uint_eq(estimate.bytes, MEMORY_BASE_BYTES + 100000 * MEMORY_LOOP_SESSION_BYTES);
  ck_assert_uint_eq(estimate.fluid_bytes, estimate.bytes);
}
END_TEST

static Suite *scenario_suite(void)

{
  Suite *suite = suite_create("scenario");
  TCase *hosts = tcase_create("hosts");
  tcase_add_test(hosts, test_memory_estimate_counts_sessions_at_once_by_driver);
  tcase_add_test(hosts, test_memory_estimate_bounds_loop_transfers_by_a_hosts_ports);
  tcase_add_test(hosts, test_hosts_with_a_role_become_clients_and_servers_in_file_order);
  tcase_add_test(hosts, test_address_defaults_to_10_0_0_n_by_position_in_the_file);
  tcase_add_test(hosts, test_address_property_sets_the_host_address);
  tcase_add_test(hosts, test_advertised_address_is_the_own_address_unless_set);
  tcase_add_test(hosts, test_bad_address_is_an_error);
  tcase_add_test(hosts, test_server_property_picks_the_clients_server);
  tcase_add_test(hosts, test_clients_without_server_property_go_round_robin);
  tcase_add_test(hosts, test_server_property_naming_no_server_is_an_error);
  tcase_add_test(hosts, test_session_ids_follow_client_order);
  tcase_add_test(hosts, test_platform_without_server_is_an_error);
  tcase_add_test(hosts, test_unknown_role_is_an_error);
  tcase_add_test(hosts, test_missing_doctype_is_an_error);
  suite_add_tcase(suite, hosts);
  TCase *properties = tcase_create("properties");
  tcase_add_test(properties, test_unknown_ftpsim_property_is_an_error);
  tcase_add_test(properties, test_typo_in_a_parameter_namespace_is_an_error);
  tcase_add_test(properties, test_properties_outside_parameter_namespaces_are_left_to_simgrid);
  tcase_add_test(properties, test_bad_parameter_value_in_a_host_property_is_an_error);
  suite_add_tcase(suite, properties);
  TCase *precedence = tcase_create("precedence");
  tcase_add_test(precedence, test_defaults_apply_without_any_setting);
  tcase_add_test(precedence, test_host_property_overrides_the_default);
  tcase_add_test(precedence, test_set_overrides_the_host_property);
  tcase_add_test(precedence, test_deployment_argument_overrides_the_host_property_and_set_overrides_both);
  tcase_add_test(precedence, test_effective_value_is_mixed_when_hosts_differ);
  suite_add_tcase(suite, precedence);
  TCase *deployment = tcase_create("deployment");
  tcase_add_test(deployment, test_deployment_actors_become_sessions_in_file_order);
  tcase_add_test(deployment, test_deployment_actor_on_a_non_client_host_is_an_error);
  tcase_add_test(deployment, test_deployment_unknown_function_is_an_error);
  tcase_add_test(deployment, test_deployment_without_actors_is_an_error);
  suite_add_tcase(suite, deployment);
  return suite;
}

int main(void)
{
  return check_main(scenario_suite);
}
