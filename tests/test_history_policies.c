/* The servers of the history (wu-ftpd, IIS 5, IIS 7-10, FileZilla Server 0.9, z/OS, NetBSD ftpd): for each
 * policy and each value of each knob, the exact reply (code and text) to PORT and to EPRT for ports 20,
 * 1000 (the AS/400's first), 1023, 1024 and 65535, naming the client's own address, another in its /24 and
 * one outside it; the KB's closed form (an AS/400 counter from P is refused exactly 1024 - P times before
 * its first accept) through the engine-free predictor and through the simulator; their data phases; the
 * 'assumption:' lines of 'ftpsim models'; a mistyped name's suggestion. */
#include <check.h>
#include <stdarg.h>
#include <string.h>

#include "check_main.h"
#include "params.h"
#include "server_policy.h"
#include "sim_harness.h"

#define OWN 0x0a000001       /* 10.0.0.1: the control connection's peer */
#define SAME_24 0x0a000063   /* 10.0.0.99: another host in its /24 */
#define OTHER_NET 0x0a000101 /* 10.0.1.1: outside its /24, inside its /16 */

static const guint16 ports[] = {20, 1000, 1023, 1024, 65535};
static const guint32 addresses[] = {OWN, SAME_24, OTHER_NET};
static const char *const address_names[] = {"own", "same /24", "other net"};

/* One policy with some knobs: for each address (rows: OWN, SAME_24, OTHER_NET) the verdict for each port
 * (columns: 20, 1000, 1023, 1024, 65535), 'A' accepted or 'R' refused, for PORT and for EPRT; and the four
 * exact replies. */
typedef struct {
  const char *policy;
  const char *knobs[4]; /* KEY=VALUE, NULL-terminated */
  const char *port_grid[3];
  const char *eprt_grid[3]; /* NULL: the same as port_grid */
  FtpReply port_accept, port_refuse, eprt_accept, eprt_refuse;
} Case;

static ParamSet *params_for(const Case *c)
{
  ParamSet *params = param_set_new();
  GError *error = NULL;
  ck_assert_msg(param_set_assign(params, "server.policy", c->policy, &error), "%s", error ? error->message : "");
  for (guint i = 0; c->knobs[i] != NULL; i++)
    ck_assert_msg(param_set_assign_text(params, c->knobs[i], &error), "%s: %s", c->knobs[i],
                  error ? error->message : "");
  return params;
}

static void gate_for(const Case *c, PortGate *gate)
{
  g_autoptr(ParamSet) params = params_for(c);
  GError *error = NULL;
  ck_assert_msg(port_gate_init(gate, server_policy_find(c->policy, NULL), params, &error), "%s",
                error ? error->message : "");
}

static void check_case(const Case *c)
{
  PortGate gate;
  gate_for(c, &gate);
  for (int extended = 0; extended <= 1; extended++) {
    const char *const *grid = extended && c->eprt_grid[0] != NULL ? c->eprt_grid : c->port_grid;
    for (guint a = 0; a < G_N_ELEMENTS(addresses); a++)
      for (guint p = 0; p < G_N_ELEMENTS(ports); p++) {
        const PortRequest request = {
            .port = ports[p], .address = addresses[a], .peer_address = OWN, .extended = extended};
        const gboolean accepted = grid[a][p] == 'A';
        const FtpReply expected =
            extended ? (accepted ? c->eprt_accept : c->eprt_refuse) : (accepted ? c->port_accept : c->port_refuse);
        const FtpReply reply = port_gate_check(&gate, &request);
        ck_assert_msg(reply.code == expected.code && strcmp(reply.text, expected.text) == 0,
                      "%s %s %s, port %u, %s address: got %u '%s', expected %u '%s'", c->policy,
                      c->knobs[0] ? c->knobs[0] : "(defaults)", extended ? "EPRT" : "PORT", (guint)ports[p],
                      address_names[a], (guint)reply.code, reply.text, (guint)expected.code, expected.text);
      }
  }
  port_gate_clear(&gate);
}

#define ALL_ACCEPTED                                                                                                   \
  {                                                                                                                    \
    "AAAAA", "AAAAA", "AAAAA"                                                                                          \
  }
#define ALL_REFUSED                                                                                                    \
  {                                                                                                                    \
    "RRRRR", "RRRRR", "RRRRR"                                                                                          \
  }
#define OWN_UNPRIVILEGED_ONLY                                                                                          \
  {                                                                                                                    \
    "RRRAA", "RRRRR", "RRRRR"                                                                                          \
  }
#define UNPRIVILEGED_ONLY                                                                                              \
  {                                                                                                                    \
    "RRRAA", "RRRAA", "RRRAA"                                                                                          \
  }
#define OWN_ONLY                                                                                                       \
  {                                                                                                                    \
    "AAAAA", "RRRRR", "RRRRR"                                                                                          \
  }

/* ---- wu-ftpd ---- */

#define WU_OK                                                                                                          \
  {                                                                                                                    \
    200, "PORT command successful."                                                                                    \
  }
#define WU_BAD                                                                                                         \
  {                                                                                                                    \
    502, "Illegal PORT Command"                                                                                        \
  }
#define WU_EOK                                                                                                         \
  {                                                                                                                    \
    200, "EPRT command successful."                                                                                    \
  }
#define WU_EBAD                                                                                                        \
  {                                                                                                                    \
    502, "Illegal EPRT Command"                                                                                        \
  }

START_TEST(wu_ftpd_replies)
{
  const Case cases[] = {
      {"wu-ftpd", {NULL}, OWN_UNPRIVILEGED_ONLY, {NULL}, WU_OK, WU_BAD, WU_EOK, WU_EBAD},
      {"wu-ftpd", {"server.port_allow=0", NULL}, OWN_UNPRIVILEGED_ONLY, {NULL}, WU_OK, WU_BAD, WU_EOK, WU_EBAD},
      /* a port-allow class opens foreign addresses, never ports below 1024 */
      {"wu-ftpd", {"server.port_allow=1", NULL}, UNPRIVILEGED_ONLY, {NULL}, WU_OK, WU_BAD, WU_EOK, WU_EBAD},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
    check_case(&cases[i]);
}
END_TEST

/* ---- NetBSD ftpd / tnftpd ---- */

#define BSD_OK                                                                                                         \
  {                                                                                                                    \
    200, "PORT command successful."                                                                                    \
  }
#define BSD_BAD                                                                                                        \
  {                                                                                                                    \
    500, "Illegal PORT command rejected"                                                                               \
  }
#define BSD_EOK                                                                                                        \
  {                                                                                                                    \
    200, "EPRT command successful."                                                                                    \
  }
#define BSD_EBAD                                                                                                       \
  {                                                                                                                    \
    500, "Illegal EPRT command rejected"                                                                               \
  }

START_TEST(netbsd_ftpd_replies)
{
  const Case cases[] = {
      {"netbsd-ftpd", {NULL}, OWN_UNPRIVILEGED_ONLY, {NULL}, BSD_OK, BSD_BAD, BSD_EOK, BSD_EBAD},
      {"netbsd-ftpd",
       {"server.checkportcmd=1", NULL},
       OWN_UNPRIVILEGED_ONLY,
       {NULL},
       BSD_OK,
       BSD_BAD,
       BSD_EOK,
       BSD_EBAD},
      {"netbsd-ftpd", {"server.checkportcmd=0", NULL}, ALL_ACCEPTED, {NULL}, BSD_OK, BSD_BAD, BSD_EOK, BSD_EBAD},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
    check_case(&cases[i]);
}
END_TEST

/* ---- IIS 5: IIS 4's rules for PORT (port 20 exempt), EPRT an unknown command whatever the knob ---- */

#define IIS_OK                                                                                                         \
  {                                                                                                                    \
    200, "PORT command successful."                                                                                    \
  }
#define IIS5_BAD                                                                                                       \
  {                                                                                                                    \
    500, "Invalid PORT Command."                                                                                       \
  }
#define IIS5_EPRT                                                                                                      \
  {                                                                                                                    \
    500, "'EPRT |1|{address}|{port}|': command not understood"                                                         \
  }

START_TEST(iis5_replies)
{
  const Case cases[] = {
      {"iis5", {NULL}, {"ARRAA", "RRRRR", "RRRRR"}, ALL_REFUSED, IIS_OK, IIS5_BAD, IIS5_EPRT, IIS5_EPRT},
      {"iis5",
       {"server.enable_port_attack=0", NULL},
       {"ARRAA", "RRRRR", "RRRRR"},
       ALL_REFUSED,
       IIS_OK,
       IIS5_BAD,
       IIS5_EPRT,
       IIS5_EPRT},
      {"iis5",
       {"server.enable_port_attack=1", NULL},
       ALL_ACCEPTED,
       ALL_REFUSED,
       IIS_OK,
       IIS5_BAD,
       IIS5_EPRT,
       IIS5_EPRT},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
    check_case(&cases[i]);
  /* The rendered EPRT reply quotes the command as the server received it. */
  const PortRequest eprt = {.port = 1024, .address = OWN, .peer_address = OWN, .extended = TRUE};
  g_autofree gchar *text = server_policy_render_text((FtpReply)IIS5_EPRT, &eprt);
  ck_assert_str_eq(text, "'EPRT |1|10.0.0.1|1024|': command not understood");
}
END_TEST

/* ---- IIS 7-10: only the address is checked ---- */

#define IIS7_BAD                                                                                                       \
  {                                                                                                                    \
    501, "Server cannot accept argument."                                                                              \
  }
#define IIS7_EOK                                                                                                       \
  {                                                                                                                    \
    200, "EPRT command successful."                                                                                    \
  }

START_TEST(iis7_replies)
{
  const Case cases[] = {
      {"iis7", {NULL}, OWN_ONLY, {NULL}, IIS_OK, IIS7_BAD, IIS7_EOK, IIS7_BAD},
      {"iis7",
       {"server.match_client_address_for_port=1", NULL},
       OWN_ONLY,
       {NULL},
       IIS_OK,
       IIS7_BAD,
       IIS7_EOK,
       IIS7_BAD},
      {"iis7",
       {"server.match_client_address_for_port=0", NULL},
       ALL_ACCEPTED,
       {NULL},
       IIS_OK,
       IIS7_BAD,
       IIS7_EOK,
       IIS7_BAD},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
    check_case(&cases[i]);
}
END_TEST

/* ---- FileZilla Server 0.9: no port check; the address at levels 2 (exact), 1 (/24), 0 (none) ---- */

#define FZS_OK                                                                                                         \
  {                                                                                                                    \
    200, "Port command successful"                                                                                     \
  }
#define FZS_BAD                                                                                                        \
  {                                                                                                                    \
    421, "Rejected command, requested IP address does not match control connection IP."                                \
  }

START_TEST(filezilla_server_replies)
{
  const Case cases[] = {
      {"filezilla-server", {NULL}, OWN_ONLY, {NULL}, FZS_OK, FZS_BAD, FZS_OK, FZS_BAD},
      {"filezilla-server",
       {"server.check_data_connection_ip=2", NULL},
       OWN_ONLY,
       {NULL},
       FZS_OK,
       FZS_BAD,
       FZS_OK,
       FZS_BAD},
      {"filezilla-server",
       {"server.check_data_connection_ip=1", NULL},
       {"AAAAA", "AAAAA", "RRRRR"},
       {NULL},
       FZS_OK,
       FZS_BAD,
       FZS_OK,
       FZS_BAD},
      {"filezilla-server",
       {"server.check_data_connection_ip=0", NULL},
       ALL_ACCEPTED,
       {NULL},
       FZS_OK,
       FZS_BAD,
       FZS_OK,
       FZS_BAD},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
    check_case(&cases[i]);
  /* The one port check: 1..65535 (ControlSocket.cpp), before the address check. */
  const Case none = {.policy = "filezilla-server", .knobs = {"server.check_data_connection_ip=0", NULL}};
  PortGate gate;
  gate_for(&none, &gate);
  const PortRequest zero = {.port = 0, .address = OTHER_NET, .peer_address = OWN};
  const FtpReply reply = port_gate_check(&gate, &zero);
  ck_assert_int_eq(reply.code, 501);
  ck_assert_str_eq(reply.text, "Syntax error");
  const PortRequest one = {.port = 1, .address = OWN, .peer_address = OWN};
  ck_assert_int_eq(port_gate_check(&gate, &one).code, 200);
  port_gate_clear(&gate);
}
END_TEST

/* ---- z/OS: three FTP.DATA statements, one 504 ---- */

#define ZOS_OK                                                                                                         \
  {                                                                                                                    \
    200, "Port request OK."                                                                                            \
  }
#define ZOS_EOK                                                                                                        \
  {                                                                                                                    \
    200, "EPRT request OK."                                                                                            \
  }
#define ZOS_BAD                                                                                                        \
  {                                                                                                                    \
    504, "Port command not implemented for that parameter"                                                             \
  }

START_TEST(zos_replies)
{
  const Case cases[] = {
      {"zos", {NULL}, ALL_ACCEPTED, {NULL}, ZOS_OK, ZOS_BAD, ZOS_EOK, ZOS_BAD},
      {"zos",
       {"server.portcommand=accept", "server.portcommandport=unrestricted", "server.portcommandipaddr=unrestricted",
        NULL},
       ALL_ACCEPTED,
       {NULL},
       ZOS_OK,
       ZOS_BAD,
       ZOS_EOK,
       ZOS_BAD},
      {"zos", {"server.portcommand=reject", NULL}, ALL_REFUSED, {NULL}, ZOS_OK, ZOS_BAD, ZOS_EOK, ZOS_BAD},
      {"zos",
       {"server.portcommandport=nolowports", NULL},
       UNPRIVILEGED_ONLY,
       {NULL},
       ZOS_OK,
       ZOS_BAD,
       ZOS_EOK,
       ZOS_BAD},
      {"zos", {"server.portcommandipaddr=noredirect", NULL}, OWN_ONLY, {NULL}, ZOS_OK, ZOS_BAD, ZOS_EOK, ZOS_BAD},
      {"zos",
       {"server.portcommandport=nolowports", "server.portcommandipaddr=noredirect", NULL},
       OWN_UNPRIVILEGED_ONLY,
       {NULL},
       ZOS_OK,
       ZOS_BAD,
       ZOS_EOK,
       ZOS_BAD},
      {"zos",
       {"server.portcommand=reject", "server.portcommandport=unrestricted", NULL},
       ALL_REFUSED,
       {NULL},
       ZOS_OK,
       ZOS_BAD,
       ZOS_EOK,
       ZOS_BAD},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
    check_case(&cases[i]);
}
END_TEST

/* ---- the KB's closed form, engine-free: an AS/400 counter from P, +1 per command ---- */

/* PORTs the predictor refuses before it accepts one, naming ports start, start+1, ... (at most 2000). */
static guint refusals_before_first_accept(const Case *c, guint start)
{
  PortGate gate;
  gate_for(c, &gate);
  const DataPath path = {.listening = TRUE, .reachable = TRUE};
  guint refused = 0;
  for (guint port = start; port < start + 2000 && port <= 65535; port++) {
    const PortRequest request = {.port = (guint16)port, .address = OWN, .peer_address = OWN};
    const ServerPrediction prediction = server_policy_predict(&gate, &request, &path);
    if (ftp_reply_is_positive(prediction.port_reply))
      break;
    refused++;
  }
  port_gate_clear(&gate);
  return refused;
}

START_TEST(kb_closed_form_in_the_predictor)
{
  const Case refusing[] = {
      {.policy = "wu-ftpd"},
      {.policy = "netbsd-ftpd"},
      {.policy = "iis5"},
      {.policy = "zos", .knobs = {"server.portcommandport=nolowports", NULL}},
  };
  for (guint i = 0; i < G_N_ELEMENTS(refusing); i++) {
    ck_assert_uint_eq(refusals_before_first_accept(&refusing[i], 1000), 24); /* the KB's AS/400 */
    for (guint start = 900; start <= 1100; start++)
      ck_assert_msg(refusals_before_first_accept(&refusing[i], start) == (start < 1024 ? 1024 - start : 0),
                    "%s from %u", refusing[i].policy, start);
  }
  /* IIS 5 accepts port 20 itself, so a counter that starts there is never refused at first. */
  ck_assert_uint_eq(refusals_before_first_accept(&refusing[2], 20), 0);
  ck_assert_uint_eq(refusals_before_first_accept(&refusing[2], 21), 1024 - 21);
  ck_assert_uint_eq(refusals_before_first_accept(&refusing[0], 20), 1024 - 20);

  const Case accepting[] = {
      {.policy = "iis7"},
      {.policy = "filezilla-server"},
      {.policy = "zos"},
      {.policy = "wu-ftpd", .knobs = {"server.port_allow=1", NULL}}, /* port-allow never opens ports below 1024 */
  };
  for (guint i = 0; i < 3; i++)
    ck_assert_uint_eq(refusals_before_first_accept(&accepting[i], 1000), 0);
  ck_assert_uint_eq(refusals_before_first_accept(&accepting[3], 1000), 24);
}
END_TEST

/* ---- data phases ---- */

static ServerPrediction predict(const Case *c, guint16 port, const DataPath *path)
{
  PortGate gate;
  gate_for(c, &gate);
  const PortRequest request = {.port = port, .address = OWN, .peer_address = OWN};
  const ServerPrediction prediction = server_policy_predict(&gate, &request, path);
  port_gate_clear(&gate);
  return prediction;
}

START_TEST(data_phases)
{
  const DataPath open = {.listening = TRUE, .reachable = TRUE};
  const DataPath deaf = {.listening = FALSE, .reachable = TRUE};
  const DataPath time_wait = {.listening = TRUE, .reachable = TRUE, .port20_time_wait = TRUE};

  /* IIS 7.5 connects before it replies (KB 2505047): a refused connection is the PORT's own 425. */
  const Case iis7 = {.policy = "iis7"};
  ServerPrediction p = predict(&iis7, 5000, &deaf);
  ck_assert_uint_eq(p.port_reply.code, 425);
  ck_assert_str_eq(p.port_reply.text, "Can't open data connection.");
  ck_assert_int_eq(p.port_failure, DATA_FAILURE_REFUSED);
  p = predict(&iis7, 5000, &open);
  ck_assert_uint_eq(p.port_reply.code, 200);
  ck_assert_uint_eq(p.data.preliminary.code, 125);
  ck_assert_uint_eq(p.data.final.code, 226);
  p = predict(&iis7, 5000, &time_wait); /* from port 20: the 4-tuple in TIME_WAIT fails the PORT */
  ck_assert_uint_eq(p.port_reply.code, 425);
  ck_assert_int_eq(p.port_failure, DATA_FAILURE_TIME_WAIT);

  /* FileZilla Server falls back to an OS-chosen port when port 20's 4-tuple is taken: TIME_WAIT never
   * blocks it; a listener missing is a 425 at the data command. */
  const Case fzs = {.policy = "filezilla-server"};
  p = predict(&fzs, 5000, &time_wait);
  ck_assert_uint_eq(p.port_reply.code, 200);
  ck_assert_uint_eq(p.data.preliminary.code, 150);
  ck_assert_uint_eq(p.data.final.code, 226);
  ck_assert_int_eq(p.data.failure, DATA_FAILURE_NONE);
  p = predict(&fzs, 5000, &deaf);
  ck_assert_uint_eq(p.port_reply.code, 200);
  ck_assert_uint_eq(p.data.final.code, 425);
  ck_assert_int_eq(p.data.failure, DATA_FAILURE_REFUSED);
  p = predict(&fzs, 0, &open); /* a refused PORT: the data command is out of sequence */
  ck_assert_uint_eq(p.data.final.code, 503);
  ck_assert_str_eq(p.data.final.text, "Bad sequence of commands.");

  /* wu-ftpd, NetBSD ftpd, IIS 5 and z/OS connect from port 20 at the data command; the two BSD-derived
   * servers say why a connection failed (strerror), the others RFC 959's text (assumed). */
  const struct {
    Case policy;
    const char *time_wait, *refused, *unreachable, *after_refusal;
  } port20[] = {
      {{.policy = "wu-ftpd"},
       "Can't build data connection: Address already in use.",
       "Can't build data connection: Connection refused.",
       "Can't build data connection: Connection timed out.",
       "425 Can't build data connection: Connection refused."},
      {{.policy = "netbsd-ftpd"},
       "Can't build data connection: Address already in use.",
       "Can't build data connection: Connection refused.",
       "Can't build data connection: Connection timed out.",
       "425 Can't build data connection: Connection refused."},
      {{.policy = "iis5"},
       "Can't open data connection.",
       "Can't open data connection.",
       "Can't open data connection.",
       "503 Bad sequence of commands."},
      {{.policy = "zos"},
       "Can't open data connection.",
       "Can't open data connection.",
       "Can't open data connection.",
       "503 Bad sequence of commands."},
  };
  const DataPath away = {.listening = FALSE, .reachable = FALSE};
  for (guint i = 0; i < G_N_ELEMENTS(port20); i++) {
    const char *name = port20[i].policy.policy;
    p = predict(&port20[i].policy, 5000, &time_wait);
    ck_assert_msg(p.port_reply.code == 200 && p.data.final.code == 425 && p.data.failure == DATA_FAILURE_TIME_WAIT,
                  "%s: %u then %u", name, (guint)p.port_reply.code, (guint)p.data.final.code);
    ck_assert_str_eq(p.data.final.text, port20[i].time_wait);
    p = predict(&port20[i].policy, 5000, &deaf);
    ck_assert_int_eq(p.data.failure, DATA_FAILURE_REFUSED);
    ck_assert_str_eq(p.data.final.text, port20[i].refused);
    p = predict(&port20[i].policy, 5000, &away);
    ck_assert_int_eq(p.data.failure, DATA_FAILURE_UNREACHABLE);
    ck_assert_str_eq(p.data.final.text, port20[i].unreachable);
    p = predict(&port20[i].policy, 5000, &open);
    ck_assert_uint_eq(p.data.preliminary.code, 150);
    ck_assert_str_eq(p.data.preliminary.text, "Opening BINARY mode data connection.");
    ck_assert_uint_eq(p.data.final.code, 226);
    ck_assert_str_eq(p.data.final.text, "Transfer complete.");
    p = predict(&port20[i].policy, 1000, &open); /* refused: each of these refuses port 1000 by default ... */
    if (strcmp(name, "zos") != 0) {
      g_autofree gchar *after = g_strdup_printf("%u %s", (guint)p.data.final.code, p.data.final.text);
      ck_assert_uint_eq(p.port_reply.code, strcmp(name, "wu-ftpd") == 0 ? 502 : 500);
      ck_assert_str_eq(after, port20[i].after_refusal);
      ck_assert_int_eq(p.data.fate, SESSION_SURVIVES);
    } else /* ... but z/OS, which accepts it */
      ck_assert_uint_eq(p.port_reply.code, 200);
  }
}
END_TEST

/* ---- names and listings ---- */

START_TEST(a_mistyped_name_gets_the_nearest)
{
  const char *const typos[][2] = {
      {"wuftpd", "wu-ftpd"},         {"iis-5", "iis5"}, {"filezila-server", "filezilla-server"}, {"z/os", "zos"},
      {"netbsd-ftp", "netbsd-ftpd"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(typos); i++) {
    g_autoptr(ParamSet) params = param_set_new();
    GError *error = NULL;
    ck_assert(!param_set_assign(params, "server.policy", typos[i][0], &error));
    g_autofree gchar *hint = g_strdup_printf("(did you mean '%s'?", typos[i][1]);
    ck_assert_msg(strstr(error->message, hint) != NULL, "%s: %s", typos[i][0], error->message);
    g_error_free(error);
  }
}
END_TEST

/* A bad knob value: one line naming the key, the value, the problem and what is accepted. */
START_TEST(bad_knob_values_are_refused_with_the_accepted_ones)
{
  const char *const cases[][3] = {
      {"server.port_allow", "2", "server.port_allow: '2' is out of range (accepted: 0..1)"},
      {"server.checkportcmd", "-1", "server.checkportcmd: '-1' is out of range (accepted: 0..1)"},
      {"server.match_client_address_for_port", "yes",
       "server.match_client_address_for_port: 'yes' is not a whole number (accepted: 0..1)"},
      {"server.check_data_connection_ip", "3", "server.check_data_connection_ip: '3' is out of range (accepted: 0..2)"},
      {"server.portcommand", "maybe", "server.portcommand: 'maybe' is not a known value (accepted: accept|reject)"},
      {"server.portcommandport", "nolowport",
       "server.portcommandport: 'nolowport' is not a known value (did you mean 'nolowports'? accepted: "
       "unrestricted|nolowports)"},
      {"server.portcommandipaddr", "redirect",
       "server.portcommandipaddr: 'redirect' is not a known value (did you mean 'noredirect'? accepted: "
       "unrestricted|noredirect)"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(ParamSet) params = param_set_new();
    GError *error = NULL;
    ck_assert_msg(!param_set_assign(params, cases[i][0], cases[i][1], &error), "%s=%s accepted", cases[i][0],
                  cases[i][1]);
    ck_assert_str_eq(error->message, cases[i][2]);
    g_error_free(error);
  }
}
END_TEST

/* 'ftpsim models NAME' shows one "assumption:" line per undocumented fact, and the real defaults. */
START_TEST(models_show_assumptions_and_defaults)
{
  const struct {
    const char *name;
    guint assumptions;
    const char *key, *default_value;
  } expected[] = {
      {"wu-ftpd", 3, "server.port_allow", "0"},
      {"iis5", 4, "server.enable_port_attack", "0"},
      {"iis7", 5, "server.match_client_address_for_port", "1"},
      {"filezilla-server", 2, "server.check_data_connection_ip", "2"},
      {"zos", 3, "server.portcommand", "accept"},
      {"netbsd-ftpd", 2, "server.checkportcmd", "1"},
  };

  for (guint i = 0; i < G_N_ELEMENTS(expected); i++) {
    const char *args[] = {"models", expected[i].name, NULL};
    RunResult result = harness_run(NULL, args);
    ck_assert_int_eq(result.status, 0);
    guint count = 0;
    for (const char *at = result.out; (at = strstr(at, " assumption: ")) != NULL; at++)
      count++;
    ck_assert_msg(count == expected[i].assumptions, "%s: %u assumption lines", expected[i].name, count);
    g_autofree gchar *pattern = g_strdup_printf("^      %s +default %s ", expected[i].key, expected[i].default_value);
    ck_assert_msg(g_regex_match_simple(pattern, result.out, G_REGEX_MULTILINE, 0), "%s:\n%s", expected[i].name,
                  result.out);
    harness_result_clear(&result);
  }
  /* The policies whose every fact has a source say nothing of the kind. */
  const char *args[] = {"models", "vsftpd", NULL};
  RunResult result = harness_run(NULL, args);
  ck_assert_ptr_null(strstr(result.out, "assumption:"));
  harness_result_clear(&result);
}
END_TEST

/* ---- the KB's closed form in the simulator ---- */

START_TEST(kb_closed_form_in_the_simulator)
{
  const struct {
    const char *policy;
    const char *knob;
    gint64 refused;
    const char *first_refusal; /* "CODE TEXT" of the first PORT's reply */
  } runs[] = {
      {"wu-ftpd", NULL, 24, "502 Illegal PORT Command"},
      {"netbsd-ftpd", NULL, 24, "500 Illegal PORT command rejected"},
      {"iis5", NULL, 24, "500 Invalid PORT Command."},
      {"zos", "server.portcommandport=nolowports", 24, "504 Port command not implemented for that parameter"},
      {"zos", NULL, 0, "200 Port request OK."},
      {"iis7", NULL, 0, "200 PORT command successful."},
      {"filezilla-server", NULL, 0, "200 Port command successful"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(runs); i++) {
    Fixture fixture = fixture_new();
    g_autofree gchar *policy = g_strdup_printf("server.policy=%s", runs[i].policy);
    const char *args[] = {"--trace", "--set", policy, runs[i].knob ? "--set" : NULL, runs[i].knob, NULL};
    g_autoptr(Csv) sessions = run_sessions(&fixture, NULL, args);
    ck_assert_int_eq(harness_int(sessions, 0, "rejected_before_first_accept"), runs[i].refused);
    ck_assert_int_eq(harness_int(sessions, 0, "rejected"), runs[i].refused);
    ck_assert_int_eq(harness_int(sessions, 0, "first_accept_port"), 1000 + runs[i].refused);
    ck_assert_int_eq(harness_int(sessions, 0, "transfers"), 30 - runs[i].refused);
    g_autofree gchar *path = g_build_filename(fixture.out, "commands.csv", NULL);
    g_autoptr(Csv) trace = harness_read_csv(path);
    g_autofree gchar *first =
        g_strdup_printf("%s %s", harness_field(trace, 0, "reply_code"), harness_field(trace, 0, "reply_text"));
    ck_assert_str_eq(first, runs[i].first_refusal);
    ck_assert_str_eq(harness_field(trace, 0, "port"), "1000");
    fixture_clear(&fixture);
  }
}
END_TEST

static Suite *history_policies_suite(void)
{
  Suite *suite = suite_create("history_policies");
  TCase *replies = tcase_create("replies");
  tcase_add_test(replies, wu_ftpd_replies);
  tcase_add_test(replies, netbsd_ftpd_replies);
  tcase_add_test(replies, iis5_replies);
  tcase_add_test(replies, iis7_replies);
  tcase_add_test(replies, filezilla_server_replies);
  tcase_add_test(replies, zos_replies);
  tcase_add_test(replies, kb_closed_form_in_the_predictor);
  tcase_add_test(replies, data_phases);
  tcase_add_test(replies, a_mistyped_name_gets_the_nearest);
  tcase_add_test(replies, bad_knob_values_are_refused_with_the_accepted_ones);
  suite_add_tcase(suite, replies);
  TCase *program = tcase_create("program");
  tcase_set_timeout(program, 120);
  tcase_add_test(program, models_show_assumptions_and_defaults);
  tcase_add_test(program, kb_closed_form_in_the_simulator);
  suite_add_tcase(suite, program);
  return suite;
}

int main(void)
{
  return check_main(history_policies_suite);
}
