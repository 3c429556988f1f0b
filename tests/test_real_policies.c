/* The real-server PORT policies (vsftpd, ProFTPD, pure-ftpd, pyftpdlib): reply codes and texts for
 * ports 20, 21, 1023, 1024, 65535, own and foreign address, PORT and EPRT, and the order of checks.
 * Then the whole exchange (server_policy_predict): the PORT reply, the data command's replies and the
 * session's fate, for a client that listens or not, an address reachable or not, a 4-tuple in TIME_WAIT.
 * The expected texts are the ones the real Debian 12 servers sent (tests/conformance, the table). */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "server_policy.h"

#define OWN 0x7f000001u     /* 127.0.0.1 */
#define FOREIGN 0x7f000002u /* 127.0.0.2 */

typedef struct {
  guint16 code;
  gchar *text;
} Rendered;

/* Build the policy with the given "KEY=VALUE" knobs (NULL-terminated), check one request, render. */
static Rendered check(const char *policy_name, const char *const *knobs, guint32 address, guint16 port,
                      gboolean extended)
{
  GError *error = NULL;
  const ServerPolicy *policy = server_policy_find(policy_name, &error);
  ck_assert_ptr_nonnull(policy);
  g_autoptr(ParamSet) params = param_set_new();
  for (guint i = 0; knobs != NULL && knobs[i] != NULL; i++)
    ck_assert_msg(param_set_assign_text(params, knobs[i], &error), "%s", knobs[i]);
  PortGate gate;
  ck_assert(port_gate_init(&gate, policy, params, &error));
  const PortRequest request = {.port = port, .address = address, .peer_address = OWN, .extended = extended};
  FtpReply reply = port_gate_check(&gate, &request);
  Rendered rendered = {reply.code, server_policy_render_text(reply, &request)};
  port_gate_clear(&gate);
  return rendered;
}

#define ASSERT_REPLY(policy, knobs, address, port, extended, want_code, want_text)                                     \
  do {                                                                                                                 \
    Rendered r = check(policy, knobs, address, port, extended);                                                        \
    ck_assert_msg(r.code == (want_code), "%s port %u: code %u, want %u", policy, (guint)(port), (guint)r.code,         \
                  (guint)(want_code));                                                                                 \
    ck_assert_str_eq(r.text, want_text);                                                                               \
    g_free(r.text);                                                                                                    \
  } while (0)

static const char *const no_knobs[] = {NULL};

START_TEST(vsftpd_default)
{
  const char *bad = "Illegal PORT command.", *good = "PORT command successful. Consider using PASV.";
  ASSERT_REPLY("vsftpd", no_knobs, OWN, 20, FALSE, 500, bad); /* no port 20 exemption */
  ASSERT_REPLY("vsftpd", no_knobs, OWN, 21, FALSE, 500, bad);
  ASSERT_REPLY("vsftpd", no_knobs, OWN, 1023, FALSE, 500, bad);
  ASSERT_REPLY("vsftpd", no_knobs, OWN, 1024, FALSE, 200, good);
  ASSERT_REPLY("vsftpd", no_knobs, OWN, 65535, FALSE, 200, good);
  ASSERT_REPLY("vsftpd", no_knobs, FOREIGN, 1024, FALSE, 500, bad);
  ASSERT_REPLY("vsftpd", no_knobs, FOREIGN, 1023, FALSE, 500, bad);
  ASSERT_REPLY("vsftpd", no_knobs, OWN, 1023, TRUE, 500, "Illegal EPRT command.");
  ASSERT_REPLY("vsftpd", no_knobs, OWN, 1024, TRUE, 200, "EPRT command successful. Consider using EPSV.");
}
END_TEST

START_TEST(vsftpd_promiscuous)
{
  static const char *const knobs[] = {"server.port_promiscuous=1", NULL};
  ASSERT_REPLY("vsftpd", knobs, OWN, 20, FALSE, 200, "PORT command successful. Consider using PASV.");
  ASSERT_REPLY("vsftpd", knobs, FOREIGN, 1023, FALSE, 200, "PORT command successful. Consider using PASV.");
  ASSERT_REPLY("vsftpd", knobs, FOREIGN, 21, TRUE, 200, "EPRT command successful. Consider using EPSV.");
}
END_TEST

START_TEST(proftpd_default_and_foreign)
{
  static const char *const knobs[] = {"server.allow_foreign_address=1", NULL};
  ASSERT_REPLY("proftpd", no_knobs, OWN, 20, FALSE, 500, "Illegal PORT command");
  ASSERT_REPLY("proftpd", no_knobs, OWN, 1023, FALSE, 500, "Illegal PORT command");
  ASSERT_REPLY("proftpd", no_knobs, OWN, 1024, FALSE, 200, "PORT command successful");
  ASSERT_REPLY("proftpd", no_knobs, OWN, 65535, TRUE, 200, "EPRT command successful");
  ASSERT_REPLY("proftpd", no_knobs, FOREIGN, 65535, FALSE, 500, "Illegal PORT command");
  ASSERT_REPLY("proftpd", no_knobs, FOREIGN, 1024, TRUE, 500, "Illegal EPRT command");
  /* AllowForeignAddress lifts the address check only: the port check has no knob. */
  ASSERT_REPLY("proftpd", knobs, FOREIGN, 1024, FALSE, 200, "PORT command successful");
  ASSERT_REPLY("proftpd", knobs, FOREIGN, 1023, FALSE, 500, "Illegal PORT command");
  ASSERT_REPLY("proftpd", knobs, OWN, 21, FALSE, 500, "Illegal PORT command");
}
END_TEST

START_TEST(pure_ftpd_port_checked_first)
{
  static const char *const fxp[] = {"server.fxp=1", NULL};
  const char *low = "Sorry, but I won't connect to ports < 1024";
  ASSERT_REPLY("pure-ftpd", no_knobs, OWN, 20, FALSE, 501, low);
  ASSERT_REPLY("pure-ftpd", no_knobs, OWN, 1023, TRUE, 501, low);
  /* Foreign and privileged: the port check comes first, so 501, not 500. */
  ASSERT_REPLY("pure-ftpd", no_knobs, FOREIGN, 1023, FALSE, 501, low);
  ASSERT_REPLY("pure-ftpd", no_knobs, FOREIGN, 1024, FALSE, 500,
               "I won't open a connection to 127.0.0.2 (only to 127.0.0.1)");
  ASSERT_REPLY("pure-ftpd", no_knobs, OWN, 1024, FALSE, 200, "PORT command successful");
  ASSERT_REPLY("pure-ftpd", no_knobs, OWN, 65535, TRUE, 200, "PORT command successful"); /* EPRT too */
  ASSERT_REPLY("pure-ftpd", fxp, FOREIGN, 1024, FALSE, 200, "PORT command successful");
  ASSERT_REPLY("pure-ftpd", fxp, FOREIGN, 21, FALSE, 501, low); /* FXP does not lift the port check */
}
END_TEST

START_TEST(pyftpdlib_address_checked_first)
{
  static const char *const privileged[] = {"server.permit_privileged_ports=1", NULL};
  static const char *const foreign[] = {"server.permit_foreign_addresses=1", NULL};
  ASSERT_REPLY("pyftpdlib", no_knobs, OWN, 20, FALSE, 501, "PORT against the privileged port \"20\" refused.");
  ASSERT_REPLY("pyftpdlib", no_knobs, OWN, 1023, TRUE, 501, "PORT against the privileged port \"1023\" refused.");
  /* Foreign and privileged: the address check comes first. */
  ASSERT_REPLY("pyftpdlib", no_knobs, FOREIGN, 1023, FALSE, 501,
               "Rejected data connection to foreign address 127.0.0.2:1023.");
  ASSERT_REPLY("pyftpdlib", no_knobs, OWN, 1024, FALSE, 200, "Active data connection established.");
  ASSERT_REPLY("pyftpdlib", no_knobs, OWN, 65535, FALSE, 200, "Active data connection established.");
  ASSERT_REPLY("pyftpdlib", privileged, OWN, 21, FALSE, 200, "Active data connection established.");
  ASSERT_REPLY("pyftpdlib", privileged, FOREIGN, 21, FALSE, 501,
               "Rejected data connection to foreign address 127.0.0.2:21.");
  ASSERT_REPLY("pyftpdlib", foreign, FOREIGN, 21, TRUE, 501, "PORT against the privileged port \"21\" refused.");
  ASSERT_REPLY("pyftpdlib", foreign, FOREIGN, 1024, TRUE, 200, "Active data connection established.");
}
END_TEST

START_TEST(texts_without_placeholders_render_unchanged)
{
  const PortRequest request = {.port = 1, .address = FOREIGN, .peer_address = OWN};
  g_autofree gchar *text = server_policy_render_text((FtpReply){500, "Illegal PORT command."}, &request);
  ck_assert_str_eq(text, "Illegal PORT command.");
}
END_TEST

/* ---- the whole exchange ---- */

static const DataPath listening = {.listening = TRUE, .reachable = TRUE};
static const DataPath not_listening = {.listening = FALSE, .reachable = TRUE};
static const DataPath unreachable = {.listening = TRUE, .reachable = FALSE};
static const DataPath port20_busy = {.listening = TRUE, .reachable = TRUE, .port20_time_wait = TRUE};

/* "CODE text" of a reply rendered for the request, "" for none; preamble lines come first, joined by '\n'. */
typedef struct {
  gchar *port, *preliminary, *final;
  DataFailure port_failure, failure;
  SessionFate fate;
} Exchange;

static gchar *shown(FtpReply reply, const char *preamble, const PortRequest *request)
{
  if (reply.code == 0)
    return g_strdup("");
  g_autofree gchar *text = server_policy_render_text(reply, request);
  if (preamble == NULL)
    return g_strdup_printf("%u %s", (guint)reply.code, text);
  g_autofree gchar *first = server_policy_render_text((FtpReply){reply.code, preamble}, request);
  return g_strdup_printf("%u-%s\n%u %s", (guint)reply.code, first, (guint)reply.code, text);
}

static Exchange predict(const char *policy_name, const char *const *knobs, guint32 address, guint16 port,
                        const DataPath *path)
{
  GError *error = NULL;
  const ServerPolicy *policy = server_policy_find(policy_name, &error);
  ck_assert_ptr_nonnull(policy);
  g_autoptr(ParamSet) params = param_set_new();
  for (guint i = 0; knobs != NULL && knobs[i] != NULL; i++)
    ck_assert_msg(param_set_assign_text(params, knobs[i], &error), "%s", knobs[i]);
  PortGate gate;
  ck_assert(port_gate_init(&gate, policy, params, &error));
  const PortRequest request = {.port = port, .address = address, .peer_address = OWN};
  const ServerPrediction p = server_policy_predict(&gate, &request, path);
  port_gate_clear(&gate);
  return (Exchange){.port = shown(p.port_reply, p.port_preamble, &request),
                    .preliminary = shown(p.data.preliminary, NULL, &request),
                    .final = shown(p.data.final, NULL, &request),
                    .port_failure = p.port_failure,
                    .failure = p.data.failure,
                    .fate = p.data.fate};
}

#define ASSERT_EXCHANGE(policy, knobs, address, number, path, want_port, want_preliminary, want_final, want_failure,   \
                        want_fate)                                                                                     \
  do {                                                                                                                 \
    Exchange e = predict(policy, knobs, address, number, path);                                                        \
    ck_assert_str_eq(e.port, want_port);                                                                               \
    ck_assert_str_eq(e.preliminary, want_preliminary);                                                                 \
    ck_assert_str_eq(e.final, want_final);                                                                             \
    ck_assert_msg(e.failure == (want_failure), "%s port %u: failure %s", policy, (guint)(number),                      \
                  data_failure_name(e.failure));                                                                       \
    ck_assert_int_eq(e.fate, want_fate);                                                                               \
    g_free(e.port);                                                                                                    \
    g_free(e.preliminary);                                                                                             \
    g_free(e.final);                                                                                                   \
  } while (0)

START_TEST(vsftpd_data_phase)
{
  const char *ok = "200 PORT command successful. Consider using PASV.";
  ASSERT_EXCHANGE("vsftpd", no_knobs, OWN, 5000, &listening, ok, "150 Here comes the directory listing.",
                  "226 Directory send OK.", DATA_FAILURE_NONE, SESSION_SURVIVES);
  ASSERT_EXCHANGE("vsftpd", no_knobs, OWN, 5000, &not_listening, ok, "", "425 Failed to establish connection.",
                  DATA_FAILURE_REFUSED, SESSION_SURVIVES);
  ASSERT_EXCHANGE("vsftpd", no_knobs, OWN, 1023, &listening, "500 Illegal PORT command.", "",
                  "425 Use PORT or PASV first.", DATA_FAILURE_NONE, SESSION_SURVIVES);
  /* connect_from_port_20=NO (default): an ephemeral source, so a 4-tuple from port 20 in TIME_WAIT is no matter */
  ASSERT_EXCHANGE("vsftpd", no_knobs, OWN, 5000, &port20_busy, ok, "150 Here comes the directory listing.",
                  "226 Directory send OK.", DATA_FAILURE_NONE, SESSION_SURVIVES);
  const char *const port20[] = {"server.connect_from_port_20=1", NULL};
  ASSERT_EXCHANGE("vsftpd", port20, OWN, 5000, &port20_busy, ok, "", "425 Failed to establish connection.",
                  DATA_FAILURE_TIME_WAIT, SESSION_SURVIVES);
}
END_TEST

START_TEST(vsftpd_promiscuous_data_commands_end_the_session)
{
  const char *ok = "200 PORT command successful. Consider using PASV.";
  const char *const both[] = {"server.port_promiscuous=1", "server.connect_from_port_20=1", NULL};
  ASSERT_EXCHANGE("vsftpd", both, OWN, 5000, &listening, ok, "", "500 OOPS: vsf_sysutil_bind",
                  DATA_FAILURE_ENDED_BY_SERVER, SESSION_ENDED_BY_SERVER);
  /* The port check comes before the bind (measured on both settings: port 1000 gets "Illegal port request"). */
  ASSERT_EXCHANGE("vsftpd", both, OWN, 1023, &listening, ok, "", "500 OOPS: Illegal port request",
                  DATA_FAILURE_ENDED_BY_SERVER, SESSION_ENDED_BY_SERVER);
  const char *const promiscuous[] = {"server.port_promiscuous=1", NULL};
  ASSERT_EXCHANGE("vsftpd", promiscuous, OWN, 1023, &listening, ok, "", "500 OOPS: Illegal port request",
                  DATA_FAILURE_ENDED_BY_SERVER, SESSION_ENDED_BY_SERVER);
  ASSERT_EXCHANGE("vsftpd", promiscuous, OWN, 1024, &listening, ok, "150 Here comes the directory listing.",
                  "226 Directory send OK.", DATA_FAILURE_NONE, SESSION_SURVIVES);
}
END_TEST

START_TEST(proftpd_data_phase)
{
  const char *ok = "200 PORT command successful", *refused = "425 Unable to build data connection: Connection refused";
  const char *opening = "150 Opening ASCII mode data connection for file list", *done = "226 Transfer complete";
  ASSERT_EXCHANGE("proftpd", no_knobs, OWN, 5000, &listening, ok, opening, done, DATA_FAILURE_NONE, SESSION_SURVIVES);
  ASSERT_EXCHANGE("proftpd", no_knobs, OWN, 5000, &not_listening, ok, "", refused, DATA_FAILURE_REFUSED,
                  SESSION_SURVIVES);
  ASSERT_EXCHANGE("proftpd", no_knobs, OWN, 1000, &listening, "500 Illegal PORT command", "", refused,
                  DATA_FAILURE_NONE, SESSION_SURVIVES);
  ASSERT_EXCHANGE("proftpd", no_knobs, OWN, 5000, &port20_busy, ok, opening, done, DATA_FAILURE_NONE,
                  SESSION_SURVIVES); /* ephemeral source */
  const char *const foreign[] = {"server.allow_foreign_address=1", NULL};
  ASSERT_EXCHANGE("proftpd", foreign, FOREIGN, 5000, &listening, ok, opening, done, DATA_FAILURE_NONE,
                  SESSION_SURVIVES);
  ASSERT_EXCHANGE("proftpd", foreign, FOREIGN, 5000, &unreachable, ok, "",
                  "425 Unable to build data connection: Connection timed out", DATA_FAILURE_UNREACHABLE,
                  SESSION_SURVIVES);
}
END_TEST

START_TEST(pure_ftpd_data_phase)
{
  const char *ok = "200 PORT command successful";
  ASSERT_EXCHANGE("pure-ftpd", no_knobs, OWN, 5000, &listening, ok, "150 Connecting to port 5000",
                  "226 {n} matches total", DATA_FAILURE_NONE, SESSION_SURVIVES);
  ASSERT_EXCHANGE("pure-ftpd", no_knobs, OWN, 5000, &not_listening, ok, "",
                  "425 Could not open data connection to port 5000: Connection refused", DATA_FAILURE_REFUSED,
                  SESSION_SURVIVES);
  ASSERT_EXCHANGE("pure-ftpd", no_knobs, OWN, 1000, &listening, "501 Sorry, but I won't connect to ports < 1024", "",
                  "425 No data connection", DATA_FAILURE_NONE, SESSION_SURVIVES);
  ASSERT_EXCHANGE("pure-ftpd", no_knobs, OWN, 5000, &port20_busy, ok, "",
                  "425 Could not open data connection to port 5000: Cannot assign requested address",
                  DATA_FAILURE_TIME_WAIT, SESSION_SURVIVES); /* from port 20: the same 4-tuple */
  const char *const fxp[] = {"server.fxp=1", NULL};
  ASSERT_EXCHANGE("pure-ftpd", fxp, FOREIGN, 5000, &listening,
                  "200-FXP transfer: from 127.0.0.1 to 127.0.0.2\n200 PORT command successful",
                  "150 Connecting to port 5000", "226 {n} matches total", DATA_FAILURE_NONE, SESSION_SURVIVES);
  ASSERT_EXCHANGE("pure-ftpd", fxp, OWN, 5000, &listening, ok, "150 Connecting to port 5000", "226 {n} matches total",
                  DATA_FAILURE_NONE, SESSION_SURVIVES); /* the FXP line only for a foreign address */
}
END_TEST

/* pure-ftpd's 226 counts the names its NLST sent: the folder's entries, "." and ".." (measured: "226 4 matches
 * total" for a folder of a.txt and b.txt); the other servers' texts have no {n} and render unchanged. */
/* A data connect that is not answered fails at the server's own limit when it has one and it comes first. */
START_TEST(connect_timeout_is_the_first_limit)
{
  const DataPhase own = {.connect_timeout = 60}, none = {0};
  ck_assert_double_eq(data_phase_connect_timeout(&own, 127), 60);
  ck_assert_double_eq(data_phase_connect_timeout(&own, 21), 21);
  ck_assert_double_eq(data_phase_connect_timeout(&own, 0), 0);
  ck_assert_double_eq(data_phase_connect_timeout(&none, 127), 127);
}
END_TEST

START_TEST(listing_count_renders)
{
  GError *error = NULL;
  const PortRequest request = {.port = 5000, .address = OWN, .peer_address = OWN};
  PortGate gate;
  g_autoptr(ParamSet) params = param_set_new();
  ck_assert(port_gate_init(&gate, server_policy_find("pure-ftpd", &error), params, &error));
  const DataPhase *phase = port_gate_data_phase(&gate, &request);
  g_autofree gchar *two = data_phase_render_text(phase, phase->complete, &request, 2);
  g_autofree gchar *none = data_phase_render_text(phase, phase->complete, &request, 0);
  g_autofree gchar *opening = data_phase_render_text(phase, phase->opening, &request, 2);
  ck_assert_str_eq(two, "4 matches total");
  ck_assert_str_eq(none, "2 matches total");
  ck_assert_str_eq(opening, "Connecting to port 5000");
  port_gate_clear(&gate);
  ck_assert(port_gate_init(&gate, server_policy_find("vsftpd", &error), params, &error));
  phase = port_gate_data_phase(&gate, &request);
  g_autofree gchar *vsftpd = data_phase_render_text(phase, phase->complete, &request, 2);
  ck_assert_str_eq(vsftpd, "Directory send OK.");
  port_gate_clear(&gate);
}
END_TEST

START_TEST(pyftpdlib_connects_before_replying)
{
  static const char *const foreign_ok[] = {"server.permit_foreign_addresses=1", NULL};
  const char *held = "150 File status okay. About to open data connection.";
  ASSERT_EXCHANGE("pyftpdlib", no_knobs, OWN, 5000, &listening, "200 Active data connection established.",
                  "125 Data connection already open. Transfer starting.", "226 Transfer complete.", DATA_FAILURE_NONE,
                  SESSION_SURVIVES);
  Exchange e = predict("pyftpdlib", no_knobs, OWN, 5000, &not_listening);
  ck_assert_str_eq(e.port, "425 Can't connect to specified address.");
  ck_assert_int_eq(e.port_failure, DATA_FAILURE_REFUSED);
  ck_assert_str_eq(e.preliminary, held); /* then nothing: the server waits for a connection */
  ck_assert_str_eq(e.final, "");
  ck_assert_int_eq(e.fate, SESSION_HELD);
  g_free(e.port);
  g_free(e.preliminary);
  g_free(e.final);
  e = predict("pyftpdlib", foreign_ok, FOREIGN, 5000, &unreachable); /* its own 30 s timer, then a 421 */
  ck_assert_str_eq(e.port, "421 Active data channel timed out.");
  ck_assert_int_eq(e.port_failure, DATA_FAILURE_UNREACHABLE);
  ck_assert_int_eq(e.fate, SESSION_HELD); /* a data command now would find no data connection either */
  g_free(e.port);
  g_free(e.preliminary);
  g_free(e.final);
  ASSERT_EXCHANGE("pyftpdlib", no_knobs, OWN, 1000, &listening,
                  "501 PORT against the privileged port \"1000\" refused.", held, "", DATA_FAILURE_NONE, SESSION_HELD);
}
END_TEST

/* The unmeasurable servers keep RFC 959's texts and port 20; nt351sp2's refusal is the KB's. */
START_TEST(nt351sp2_assumed_data_phase)
{
  ASSERT_EXCHANGE("nt351sp2", no_knobs, OWN, 1023, &listening, "500 Invalid PORT Command.", "",
                  "503 Bad sequence of commands.", DATA_FAILURE_NONE, SESSION_SURVIVES);
  ASSERT_EXCHANGE("nt351sp2", no_knobs, OWN, 1024, &listening, "200 PORT command successful.",
                  "150 Opening BINARY mode data connection.", "226 Transfer complete.", DATA_FAILURE_NONE,
                  SESSION_SURVIVES);
  ASSERT_EXCHANGE("nt351sp2", no_knobs, OWN, 1024, &port20_busy, "200 PORT command successful.", "",
                  "425 Can't open data connection.", DATA_FAILURE_TIME_WAIT, SESSION_SURVIVES);
  ASSERT_EXCHANGE("nt351sp2", no_knobs, FOREIGN, 1024, &unreachable, "200 PORT command successful.", "",
                  "425 Can't open data connection.", DATA_FAILURE_UNREACHABLE, SESSION_SURVIVES);
}
END_TEST

static Suite *real_policies_suite(void)
{
  Suite *suite = suite_create("real_policies");
  TCase *tc = tcase_create("policies");
  tcase_add_test(tc, vsftpd_default);
  tcase_add_test(tc, vsftpd_promiscuous);
  tcase_add_test(tc, proftpd_default_and_foreign);
  tcase_add_test(tc, pure_ftpd_port_checked_first);
  tcase_add_test(tc, pyftpdlib_address_checked_first);
  tcase_add_test(tc, texts_without_placeholders_render_unchanged);
  suite_add_tcase(suite, tc);
  TCase *exchange = tcase_create("exchange");
  tcase_add_test(exchange, vsftpd_data_phase);
  tcase_add_test(exchange, vsftpd_promiscuous_data_commands_end_the_session);
  tcase_add_test(exchange, proftpd_data_phase);
  tcase_add_test(exchange, pure_ftpd_data_phase);
  tcase_add_test(exchange, listing_count_renders);
  tcase_add_test(exchange, connect_timeout_is_the_first_limit);
  tcase_add_test(exchange, pyftpdlib_connects_before_replying);
  tcase_add_test(exchange, nt351sp2_assumed_data_phase);
  suite_add_tcase(suite, exchange);
  return suite;
}

int main(void)
{
  return check_main(real_policies_suite);
}
