/* The data phase in the simulator: what follows an accepted PORT, as the real servers do it. Each test
 * runs the ftpsim binary and checks exact counts and the replies' codes and texts in its trace:
 * which 4-tuple TIME_WAIT blocks (port 20 or ephemeral), a client that does not listen, a server that
 * connects before replying, a server that ends the session, a third-party address reachable or not,
 * a data command that fails before its PORT, and the KB's closed form with the KB's text. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "sim_harness.h"

/* Runs ftpsim run [platform] --trace with args; returns sessions.csv and stores commands.csv in *trace. */
static Csv *run_traced(Fixture *fixture, const char *platform, const char *const *args, Csv **trace)
{
  GPtrArray *all = g_ptr_array_new();
  g_ptr_array_add(all, (gpointer) "--trace");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add(all, (gpointer)args[i]);
  g_ptr_array_add(all, NULL);
  Csv *sessions = run_sessions(fixture, platform, (const char *const *)all->pdata);
  g_ptr_array_free(all, TRUE);
  g_autofree gchar *path = g_build_filename(fixture->out, "commands.csv", NULL);
  *trace = harness_read_csv(path);
  return sessions;
}

/* The trace's rows as "COMMAND CODE TEXT [failure]" lines, one per row, joined by '|'. */
static gchar *trace_lines(const Csv *trace)
{
  GString *text = g_string_new(NULL);
  for (guint i = 0; i < trace->rows->len; i++) {
    g_string_append_printf(text, "%s%s %s %s", i ? "|" : "", harness_field(trace, i, "command"),
                           harness_field(trace, i, "reply_code"), harness_field(trace, i, "reply_text"));
    const char *failure = harness_field(trace, i, "failure");
    if (failure[0] != '\0')
      g_string_append_printf(text, " [%s]", failure);
  }
  return g_string_free(text, FALSE);
}

/* One client port (5000) for every data command, three commands in a row, well inside 2MSL (240 s). */
static void check_same_port_thrice(const char *policy, const char *knob, const char *expected, gint64 time_waits)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *chosen = g_strdup_printf("server.policy=%s", policy);
  const char *args[] = {"--set", chosen,
                        "--set", "client.model=fixed",
                        "--set", "client.port=5000",
                        "--set", "session.commands=3",
                        "--set", knob ? knob : "client.listen=yes",
                        NULL};
  Csv *trace = NULL;
  g_autoptr(Csv) sessions = run_traced(&fixture, NULL, args, &trace);
  g_autofree gchar *lines = trace_lines(trace);
  ck_assert_str_eq(lines, expected);
  ck_assert_int_eq(harness_int(sessions, 0, "time_wait_failures"), time_waits);
  ck_assert_int_eq(harness_int(sessions, 0, "connection_failures"), time_waits);
  ck_assert_int_eq(harness_int(sessions, 0, "transfers"), 3 - time_waits);
  harness_csv_free(trace);
  fixture_clear(&fixture);
}

START_TEST(test_time_wait_blocks_port_20_only)
{
  /* the generic policy's knob: the same client port, thrice, from port 20 or from an ephemeral port */
  check_same_port_thrice("min-port", NULL,
                         "PORT 200 Command okay.|RETR 226 Transfer complete.|"
                         "PORT 200 Command okay.|RETR 425 Can't open data connection. [time_wait]|"
                         "PORT 200 Command okay.|RETR 425 Can't open data connection. [time_wait]",
                         2);
  check_same_port_thrice("min-port", "server.data_source=ephemeral",
                         "PORT 200 Command okay.|RETR 226 Transfer complete.|"
                         "PORT 200 Command okay.|RETR 226 Transfer complete.|"
                         "PORT 200 Command okay.|RETR 226 Transfer complete.",
                         0);
  /* ProFTPD and vsftpd (connect_from_port_20=NO) connect from an ephemeral port: a new 4-tuple each time */
  check_same_port_thrice("proftpd", NULL,
                         "PORT 200 PORT command successful|RETR 226 Transfer complete|"
                         "PORT 200 PORT command successful|RETR 226 Transfer complete|"
                         "PORT 200 PORT command successful|RETR 226 Transfer complete",
                         0);
  check_same_port_thrice("vsftpd", NULL,
                         "PORT 200 PORT command successful. Consider using PASV.|RETR 226 Directory send OK.|"
                         "PORT 200 PORT command successful. Consider using PASV.|RETR 226 Directory send OK.|"
                         "PORT 200 PORT command successful. Consider using PASV.|RETR 226 Directory send OK.",
                         0);
  /* from port 20 (nt351sp2, pure-ftpd, vsftpd connect_from_port_20=YES): the same 4-tuple, in TIME_WAIT */
  check_same_port_thrice("nt351sp2", NULL,
                         "PORT 200 PORT command successful.|RETR 226 Transfer complete.|"
                         "PORT 200 PORT command successful.|RETR 425 Can't open data connection. [time_wait]|"
                         "PORT 200 PORT command successful.|RETR 425 Can't open data connection. [time_wait]",
                         2);
  check_same_port_thrice("vsftpd", "server.connect_from_port_20=1",
                         "PORT 200 PORT command successful. Consider using PASV.|RETR 226 Directory send OK.|"
                         "PORT 200 PORT command successful. Consider using PASV.|"
                         "RETR 425 Failed to establish connection. [time_wait]|"
                         "PORT 200 PORT command successful. Consider using PASV.|"
                         "RETR 425 Failed to establish connection. [time_wait]",
                         2);
  check_same_port_thrice("pure-ftpd", NULL,
                         "PORT 200 PORT command successful|RETR 226 {n} matches total|"
                         "PORT 200 PORT command successful|"
                         "RETR 425 Could not open data connection to port 5000: Cannot assign requested address "
                         "[time_wait]|"
                         "PORT 200 PORT command successful|"
                         "RETR 425 Could not open data connection to port 5000: Cannot assign requested address "
                         "[time_wait]",
                         2);
}
END_TEST

/* A client that names a port it does not listen on: pyftpdlib's PORT reply is the failed connection's
 * 425 and no data command follows; ProFTPD accepts the PORT and the data command gets the 425. */
START_TEST(test_client_not_listening)
{
  Fixture fixture = fixture_new();
  const char *py[] = {"--set", "server.policy=pyftpdlib", "--set", "client.listen=no", "--set", "session.commands=3",
                      "--set", "client.start_port=5000",  NULL};
  Csv *trace = NULL;
  g_autoptr(Csv) sessions = run_traced(&fixture, NULL, py, &trace);
  g_autofree gchar *lines = trace_lines(trace);
  ck_assert_str_eq(lines, "PORT 425 Can't connect to specified address. [refused]|"
                          "PORT 425 Can't connect to specified address. [refused]|"
                          "PORT 425 Can't connect to specified address. [refused]");
  ck_assert_int_eq(harness_int(sessions, 0, "refused_failures"), 3);
  ck_assert_int_eq(harness_int(sessions, 0, "connection_failures"), 3);
  ck_assert_int_eq(harness_int(sessions, 0, "failed_commands"), 3);
  ck_assert_int_eq(harness_int(sessions, 0, "transfers"), 0);
  ck_assert_str_eq(harness_field(sessions, 0, "outcome"), "all_failed");
  harness_csv_free(trace);

  const char *listening[] = {"--set", "server.policy=pyftpdlib", "--set", "session.commands=1",
                             "--set", "client.start_port=5000",  NULL};
  g_autoptr(Csv) ok = run_traced(&fixture, NULL, listening, &trace);
  g_autofree gchar *ok_lines = trace_lines(trace);
  ck_assert_str_eq(ok_lines, "PORT 200 Active data connection established.|RETR 226 Transfer complete.");
  ck_assert_int_eq(harness_int(ok, 0, "transfers"), 1);
  harness_csv_free(trace);

  /* the generic policy connecting before it replies, as IIS 7.5 does */
  const char *iis75[] = {"--set", "server.policy=min-port", "--set", "server.connect=before-reply",
                         "--set", "client.listen=no",       "--set", "session.commands=1",
                         "--set", "client.start_port=5000", NULL};
  g_autoptr(Csv) first = run_traced(&fixture, NULL, iis75, &trace);
  g_autofree gchar *first_lines = trace_lines(trace);
  ck_assert_str_eq(first_lines, "PORT 425 Can't open data connection. [refused]");
  ck_assert_int_eq(harness_int(first, 0, "refused_failures"), 1);
  harness_csv_free(trace);

  const char *proftpd[] = {"--set", "server.policy=proftpd", "--set", "client.listen=no",
                           "--set", "session.commands=2",    "--set", "client.start_port=5000",
                           NULL};
  g_autoptr(Csv) refused = run_traced(&fixture, NULL, proftpd, &trace);
  g_autofree gchar *refused_lines = trace_lines(trace);
  ck_assert_str_eq(refused_lines, "PORT 200 PORT command successful|"
                                  "RETR 425 Unable to build data connection: Connection refused [refused]|"
                                  "PORT 200 PORT command successful|"
                                  "RETR 425 Unable to build data connection: Connection refused [refused]");
  ck_assert_int_eq(harness_int(refused, 0, "refused_failures"), 2);
  ck_assert_int_eq(harness_int(refused, 0, "rejected"), 0);
  harness_csv_free(trace);
  fixture_clear(&fixture);
}
END_TEST

/* vsftpd with port_promiscuous=YES and connect_from_port_20=YES dies at the first data command: the
 * session ends there, with the server's words, in both session engines. */
static void check_ended_by_server(const char *control, const char *engine)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *control_set = g_strdup_printf("network.control=%s", control);
  g_autofree gchar *engine_set = g_strdup_printf("engine.sessions=%s", engine);
  const char *args[] = {"--set", "server.policy=vsftpd",
                        "--set", "server.port_promiscuous=1",
                        "--set", "server.connect_from_port_20=1",
                        "--set", "session.commands=5",
                        "--set", "client.sessions=2",
                        "--set", "client.counter=host",
                        "--set", "client.start_port=2000",
                        "--set", control_set,
                        "--set", engine_set,
                        NULL};
  Csv *trace = NULL;
  g_autoptr(Csv) sessions = run_traced(&fixture, NULL, args, &trace);
  for (guint i = 0; i < 2; i++) {
    ck_assert_str_eq(harness_field(sessions, i, "outcome"), "ended_by_server");
    ck_assert_int_eq(harness_int(sessions, i, "data_commands"), 1);
    ck_assert_int_eq(harness_int(sessions, i, "failed_commands"), 1);
    ck_assert_int_eq(harness_int(sessions, i, "commands"), 1);
    ck_assert_int_eq(harness_int(sessions, i, "connection_failures"), 0);
  }
  ck_assert_uint_eq(trace->rows->len, 4);
  for (guint i = 0; i < 4; i++) {
    const gboolean port = strcmp(harness_field(trace, i, "command"), "PORT") == 0;
    ck_assert_str_eq(harness_field(trace, i, "reply_text"),
                     port ? "PORT command successful. Consider using PASV." : "OOPS: vsf_sysutil_bind");
    ck_assert_str_eq(harness_field(trace, i, "failure"), port ? "" : "ended_by_server");
  }
  harness_csv_free(trace);
  g_autofree gchar *summary_path = g_build_filename(fixture.out, "summary.csv", NULL);
  g_autoptr(Csv) summary = harness_read_csv(summary_path);
  ck_assert_int_eq(harness_int(summary, 0, "ended_by_server"), 2);
  ck_assert_int_eq(harness_int(summary, 0, "disconnected"), 0);
  fixture_clear(&fixture);
}

START_TEST(test_vsftpd_promiscuous_port_20_ends_the_session)
{
  check_ended_by_server("shared", "actors");
  check_ended_by_server("uncongested", "actors");
  check_ended_by_server("uncongested", "event-loop");
}
END_TEST

/* A PORT naming another host's address: a NAT'd private address (unreachable) or an FXP target. */
START_TEST(test_third_party_reachable_or_not)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *platform = harness_write_platform(
      fixture.dir, "fxp.xml", "1ms", "10Mbps", "<prop id=\"ftpsim.advertised_address\" value=\"198.51.100.7\"/>", NULL);
  const char *reachable[] = {"--set", "server.policy=proftpd",         "--set", "server.allow_foreign_address=1",
                             "--set", "network.third_party=reachable", "--set", "session.commands=3",
                             "--set", "client.start_port=2000",        NULL};
  g_autoptr(Csv) ok = run_sessions(&fixture, platform, reachable);
  ck_assert_int_eq(harness_int(ok, 0, "transfers"), 3);
  ck_assert_int_eq(harness_int(ok, 0, "connection_failures"), 0);
  ck_assert_str_eq(harness_field(ok, 0, "outcome"), "ok");

  const char *unreachable[] = {"--set", "server.policy=proftpd", "--set", "server.allow_foreign_address=1",
                               "--set", "session.commands=3",    "--set", "client.start_port=2000",
                               NULL};
  Csv *trace = NULL;
  g_autoptr(Csv) failed = run_traced(&fixture, platform, unreachable, &trace);
  ck_assert_int_eq(harness_int(failed, 0, "transfers"), 0);
  ck_assert_int_eq(harness_int(failed, 0, "unreachable_failures"), 3);
  ck_assert_int_eq(harness_int(failed, 0, "connection_failures"), 3);
  ck_assert_str_eq(harness_field(failed, 0, "outcome"), "all_failed");
  ck_assert_str_eq(harness_field(trace, 1, "reply_text"), "Unable to build data connection: Connection timed out");
  harness_csv_free(trace);

  /* pure-ftpd with FXP allowed says so in a first line of its PORT reply */
  const char *fxp[] = {"--set", "server.policy=pure-ftpd",       "--set", "server.fxp=1",
                       "--set", "network.third_party=reachable", "--set", "session.commands=1",
                       "--set", "client.start_port=2000",        NULL};
  g_autoptr(Csv) pure = run_traced(&fixture, platform, fxp, &trace);
  g_autofree gchar *lines = trace_lines(trace);
  ck_assert_str_eq(lines, "PORT 200 FXP transfer: from 192.0.2.10 to 198.51.100.7\nPORT command successful|"
                          "RETR 226 {n} matches total");
  ck_assert_int_eq(harness_int(pure, 0, "transfers"), 1);
  harness_csv_free(trace);
  fixture_clear(&fixture);
}
END_TEST

/* Two sessions on one host count from the same port (each its own counter), and a busy port fails: the one that finds
 * it taken cannot listen, so its data command fails before any PORT, and the trace says why. */
START_TEST(test_data_command_failing_before_its_port_has_a_row)
{
  Fixture fixture = fixture_new();
  const char *args[] = {"--set", "client.sessions=2",      "--set", "session.commands=6",
                        "--set", "client.counter=session", "--set", "client.when_busy=fail",
                        NULL};
  Csv *trace = NULL;
  g_autoptr(Csv) sessions = run_traced(&fixture, NULL, args, &trace);
  guint unsent = 0;
  for (guint i = 0; i < trace->rows->len; i++) {
    if (strcmp(harness_field(trace, i, "failure"), "client_port_busy") != 0)
      continue;
    unsent++;
    ck_assert_str_eq(harness_field(trace, i, "command"), "RETR");
    ck_assert_str_eq(harness_field(trace, i, "reply_code"), "");
    ck_assert_str_eq(harness_field(trace, i, "reply_text"), "");
  }
  ck_assert_uint_eq(unsent, 6);
  ck_assert_int_eq(
      harness_int(sessions, 0, "client_port_busy_failures") + harness_int(sessions, 1, "client_port_busy_failures"), 6);
  harness_csv_free(trace);
  fixture_clear(&fixture);
}
END_TEST

/* The KB: a counter from p0 fails exactly 1024 - p0 times against nt351sp2, each time with the KB's
 * "500 Invalid PORT Command.", then every command transfers. */
START_TEST(test_kb_closed_form_with_the_kbs_text)
{
  Fixture fixture = fixture_new();
  const char *args[] = {"--set", "client.start_port=1010", "--set", "session.commands=20", NULL};
  Csv *trace = NULL;
  g_autoptr(Csv) sessions = run_traced(&fixture, NULL, args, &trace);
  ck_assert_int_eq(harness_int(sessions, 0, "failed_commands"), 1024 - 1010);
  ck_assert_int_eq(harness_int(sessions, 0, "rejected"), 1024 - 1010);
  ck_assert_int_eq(harness_int(sessions, 0, "transfers"), 20 - (1024 - 1010));
  guint invalid = 0, complete = 0;
  for (guint i = 0; i < trace->rows->len; i++) {
    const char *code = harness_field(trace, i, "reply_code"), *text = harness_field(trace, i, "reply_text");
    if (strcmp(code, "500") == 0 && strcmp(text, "Invalid PORT Command.") == 0)
      invalid++;
    if (strcmp(code, "226") == 0 && strcmp(text, "Transfer complete.") == 0)
      complete++;
  }
  ck_assert_uint_eq(invalid, 1024 - 1010);
  ck_assert_uint_eq(complete, 20 - (1024 - 1010));
  harness_csv_free(trace);
  fixture_clear(&fixture);
}
END_TEST

/* client.data_after_reject=yes: after each refused PORT the client still sends its data command (LIST here) and
 * gets the policy's own reply to a data command without a usable PORT, as measured on each real server; the
 * reaction (next command) comes after it, so the counts are those without it. */
static void check_data_after_reject(const char *policy, const char *refusal, const char *no_port, const char *accepted,
                                    const char *complete, const char *engine)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *chosen = g_strdup_printf("server.policy=%s", policy);
  g_autofree gchar *engine_set = g_strdup_printf("engine.sessions=%s", engine);
  const char *control = strcmp(engine, "event-loop") == 0 ? "network.control=uncongested" : "network.control=shared";
  const char *args[] = {"--set", chosen,
                        "--set", "client.start_port=1022",
                        "--set", "session.commands=4",
                        "--set", "session.mix_list=1",
                        "--set", "session.mix_retr=0",
                        "--set", "client.data_after_reject=yes",
                        "--set", engine_set,
                        "--set", control,
                        NULL};
  Csv *trace = NULL;
  g_autoptr(Csv) sessions = run_traced(&fixture, NULL, args, &trace);
  g_autofree gchar *lines = trace_lines(trace);
  g_autofree gchar *expected =
      g_strdup_printf("PORT %s|LIST %s [no_port]|PORT %s|LIST %s [no_port]|PORT %s|LIST %s|PORT %s|LIST %s", refusal,
                      no_port, refusal, no_port, accepted, complete, accepted, complete);
  ck_assert_str_eq(lines, expected);
  ck_assert_int_eq(harness_int(sessions, 0, "commands"), 4);
  ck_assert_int_eq(harness_int(sessions, 0, "rejected"), 2);
  ck_assert_int_eq(harness_int(sessions, 0, "failed_commands"), 2);
  ck_assert_int_eq(harness_int(sessions, 0, "transfers"), 2);
  ck_assert_int_eq(harness_int(sessions, 0, "connection_failures"), 0);
  ck_assert_str_eq(harness_field(sessions, 0, "outcome"), "partial");
  harness_csv_free(trace);
  fixture_clear(&fixture);
}

START_TEST(test_data_command_after_a_refused_port)
{
  const char *vsftpd_ok = "200 PORT command successful. Consider using PASV.";
  check_data_after_reject("vsftpd", "500 Illegal PORT command.", "425 Use PORT or PASV first.", vsftpd_ok,
                          "226 Directory send OK.", "actors");
  check_data_after_reject("vsftpd", "500 Illegal PORT command.", "425 Use PORT or PASV first.", vsftpd_ok,
                          "226 Directory send OK.", "event-loop");
  check_data_after_reject("proftpd", "500 Illegal PORT command",
                          "425 Unable to build data connection: Connection refused", "200 PORT command successful",
                          "226 Transfer complete", "actors");
  check_data_after_reject("pure-ftpd", "501 Sorry, but I won't connect to ports < 1024", "425 No data connection",
                          "200 PORT command successful", "226 {n} matches total", "actors");
}
END_TEST

/* The default (no) keeps the KB's sessions: no data command row after a refusal. */
START_TEST(test_no_data_command_after_a_refusal_by_default)
{
  Fixture fixture = fixture_new();
  const char *args[] = {"--set", "server.policy=vsftpd", "--set", "client.start_port=1022",
                        "--set", "session.commands=3",   NULL};
  Csv *trace = NULL;
  g_autoptr(Csv) sessions = run_traced(&fixture, NULL, args, &trace);
  g_autofree gchar *lines = trace_lines(trace);
  ck_assert_str_eq(lines, "PORT 500 Illegal PORT command.|PORT 500 Illegal PORT command.|"
                          "PORT 200 PORT command successful. Consider using PASV.|RETR 226 Directory send OK.");
  harness_csv_free(trace);
  fixture_clear(&fixture);
}
END_TEST

/* pyftpdlib answers a data command after a refused PORT with 150 and then waits for a connection that the
 * client never makes: the client waits client.accept_timeout, then ends the session (outcome stalled). */
static double stalled_session_end(const char *timeout, const char *engine)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *timeout_set = g_strdup_printf("client.accept_timeout=%s", timeout);
  g_autofree gchar *engine_set = g_strdup_printf("engine.sessions=%s", engine);
  const char *control = strcmp(engine, "event-loop") == 0 ? "network.control=uncongested" : "network.control=shared";
  const char *args[] = {"--set", "server.policy=pyftpdlib",
                        "--set", "client.start_port=1000",
                        "--set", "session.commands=31",
                        "--set", "client.data_after_reject=yes",
                        "--set", timeout_set,
                        "--set", engine_set,
                        "--set", control,
                        NULL};
  Csv *trace = NULL;
  g_autoptr(Csv) sessions = run_traced(&fixture, NULL, args, &trace);
  g_autofree gchar *lines = trace_lines(trace);
  ck_assert_str_eq(lines, "PORT 501 PORT against the privileged port \"1000\" refused.|"
                          "RETR 150 File status okay. About to open data connection. [stalled]");
  ck_assert_str_eq(harness_field(sessions, 0, "outcome"), "stalled");
  ck_assert_int_eq(harness_int(sessions, 0, "commands"), 1);
  ck_assert_int_eq(harness_int(sessions, 0, "data_commands"), 1);
  ck_assert_int_eq(harness_int(sessions, 0, "failed_commands"), 1);
  ck_assert_int_eq(harness_int(sessions, 0, "transfers"), 0);
  g_autofree gchar *summary_path = g_build_filename(fixture.out, "summary.csv", NULL);
  g_autoptr(Csv) summary = harness_read_csv(summary_path);
  ck_assert_int_eq(harness_int(summary, 0, "stalled"), 1);
  const double end = harness_double(sessions, 0, "end_time");
  harness_csv_free(trace);
  fixture_clear(&fixture);
  return end;
}

START_TEST(test_pyftpdlib_holds_after_a_refusal_and_the_session_stalls)
{
  const double default_end = stalled_session_end("60", "actors");
  ck_assert_double_eq_tol(stalled_session_end("5", "actors"), default_end - 55, 1e-6);
  ck_assert_double_eq_tol(stalled_session_end("60", "event-loop"), default_end, 1e-6);
  ck_assert(default_end > 60 && default_end < 60.1);
}
END_TEST

/* A data connection to an address that does not answer fails after server.connect_timeout (Linux: 127 s of
 * SYN retries), or the server's own limit when shorter (vsftpd 60 s, pyftpdlib 30 s): at the data command
 * (ProFTPD, vsftpd) or before the PORT reply (pyftpdlib, whose timeout reply is a 421 that keeps the session). */
static double nat_session_end(const char *policy_knob, const char *timeout)
{
  Fixture fixture = fixture_new();
  g_autofree gchar *platform = harness_write_platform(
      fixture.dir, "nat.xml", "1ms", "10Mbps", "<prop id=\"ftpsim.advertised_address\" value=\"10.0.0.7\"/>", NULL);
  g_autofree gchar *timeout_set = g_strdup_printf("server.connect_timeout=%s", timeout);
  const char *policy = strstr(policy_knob, "permit")        ? "server.policy=pyftpdlib"
                       : strstr(policy_knob, "promiscuous") ? "server.policy=vsftpd"
                                                            : "server.policy=proftpd";
  const char *args[] = {
      "--set", policy,      "--set", policy_knob, "--set", "session.commands=3", "--set", "client.start_port=2000",
      "--set", timeout_set, NULL};
  g_autoptr(Csv) sessions = run_sessions(&fixture, platform, args);
  ck_assert_int_eq(harness_int(sessions, 0, "unreachable_failures"), 3);
  ck_assert_int_eq(harness_int(sessions, 0, "transfers"), 0);
  ck_assert_int_eq(harness_int(sessions, 0, "commands"), 3); /* the session goes on after each failure */
  const double end = harness_double(sessions, 0, "end_time");
  fixture_clear(&fixture);
  return end;
}

START_TEST(test_unreachable_third_party_times_out)
{
  const char *proftpd = "server.allow_foreign_address=1", *pyftpdlib = "server.permit_foreign_addresses=1";
  const char *vsftpd = "server.port_promiscuous=1";
  ck_assert_double_eq_tol(nat_session_end(proftpd, "127"), nat_session_end(proftpd, "0") + 3 * 127, 1e-6);
  ck_assert_double_eq_tol(nat_session_end(proftpd, "21"), nat_session_end(proftpd, "0") + 3 * 21, 1e-6);
  ck_assert_double_eq_tol(nat_session_end(vsftpd, "127"), nat_session_end(vsftpd, "0") + 3 * 60, 1e-6);
  ck_assert_double_eq_tol(nat_session_end(vsftpd, "21"), nat_session_end(vsftpd, "0") + 3 * 21, 1e-6);
  ck_assert_double_eq_tol(nat_session_end(pyftpdlib, "127"), nat_session_end(pyftpdlib, "0") + 3 * 30, 1e-6);
}
END_TEST

/* The KB's closed form holds when the client also sends its data command after each refusal: 1024 - p0
 * refusals, each followed by the assumed "503 Bad sequence of commands." (NT 3.51's is not documented). */
START_TEST(test_kb_closed_form_with_data_after_reject)
{
  for (guint p0 = 1000; p0 <= 1024; p0 += 12) {
    Fixture fixture = fixture_new();
    g_autofree gchar *start = g_strdup_printf("client.start_port=%u", p0);
    const char *args[] = {"--set", start, "--set", "session.commands=30", "--set", "client.data_after_reject=yes",
                          NULL};
    Csv *trace = NULL;
    g_autoptr(Csv) sessions = run_traced(&fixture, NULL, args, &trace);
    ck_assert_int_eq(harness_int(sessions, 0, "rejected"), 1024 - p0);
    ck_assert_int_eq(harness_int(sessions, 0, "failed_commands"), 1024 - p0);
    ck_assert_int_eq(harness_int(sessions, 0, "transfers"), 30 - (1024 - p0));
    guint no_port = 0;
    for (guint i = 0; i < trace->rows->len; i++)
      no_port += strcmp(harness_field(trace, i, "failure"), "no_port") == 0 &&
                 strcmp(harness_field(trace, i, "reply_text"), "Bad sequence of commands.") == 0;
    ck_assert_uint_eq(no_port, 1024 - p0);
    ck_assert_uint_eq(trace->rows->len, 60);
    harness_csv_free(trace);
    fixture_clear(&fixture);
  }
}
END_TEST

static Suite *suite(void)
{
  Suite *suite = suite_create("sim_data_phase");
  TCase *phase = tcase_create("data_phase");
  tcase_set_timeout(phase, 300);
  tcase_add_test(phase, test_time_wait_blocks_port_20_only);
  tcase_add_test(phase, test_client_not_listening);
  tcase_add_test(phase, test_vsftpd_promiscuous_port_20_ends_the_session);
  tcase_add_test(phase, test_third_party_reachable_or_not);
  tcase_add_test(phase, test_data_command_failing_before_its_port_has_a_row);
  tcase_add_test(phase, test_kb_closed_form_with_the_kbs_text);
  tcase_add_test(phase, test_data_command_after_a_refused_port);
  tcase_add_test(phase, test_no_data_command_after_a_refusal_by_default);
  tcase_add_test(phase, test_pyftpdlib_holds_after_a_refusal_and_the_session_stalls);
  tcase_add_test(phase, test_unreachable_third_party_times_out);
  tcase_add_test(phase, test_kb_closed_form_with_data_after_reject);
  suite_add_tcase(suite, phase);
  return suite;
}

int main(void)
{
  return check_main(suite);
}
