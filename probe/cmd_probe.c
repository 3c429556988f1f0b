/* ftpsim probe: play a client model's port sequence against a real FTP server, record every reply in
 * the simulator's CSV schema, and optionally compare each reply with a server policy model. The
 * models are the simulator's own (client_model_find, port_allocator_next, port_gate_check), so what
 * is validated here is exactly what the simulator runs. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "client_model.h"
#include "commands.h"
#include "ftp_protocol.h"
#include "option_hint.h"
#include "output.h"
#include "probe_commands_csv.h"
#include "provenance.h"
#include "probe_net.h"
#include "probe_session.h"
#include "report.h"
#include "server_policy.h"
#include "session_stats.h"

#define DEFAULT_OUT_DIR "ftpsim-probe"
#define DEFAULT_TIMEOUT_S 10.0
#define EXIT_MISMATCH 3
#define LOOPBACK_NET 0x7f000000u /* 127.0.0.0/8 */
#define LOOPBACK_MASK 0xff000000u

static const char probe_description[] =
    "Logs in to a real FTP server, then issues the PORT (or EPRT, RFC 2428) commands that the client\n"
    "model names, listening on each port first. After each accepted command it sends the data command\n"
    "(NLST, or RETR FILE), takes the server's data connection, then sends NOOP: is the session alive?\n"
    "A reply or data connection that does not come within --timeout, or a server that closes the control\n"
    "connection, ends the session (recorded as stalled / session_closed). Writes\n"
    "  DIR/commands.csv  one row per PORT/EPRT, per data command and per NOOP: the simulator's columns,\n"
    "                    the reply text, the --expect model's prediction, the address named, whether\n"
    "                    the server connected before its PORT reply, the preliminary reply, the data\n"
    "                    connection's source address:port, bytes, stalled, session_closed\n"
    "  DIR/sessions.csv  one row, the simulator's columns (rejected_before_first_accept, ...)\n"
    "  DIR/provenance.csv  ftpsim's version and commit, SimGrid's version, the command line, the seed\n"
    "With --expect POLICY, every reply is compared (code and text of its last line) with what that\n"
    "server policy model predicts; server knobs are set with --set server.KEY=VALUE.\n"
    "\n"
    "Safety: PORT/EPRT name the probe's own control-connection address; --address may name another\n"
    "one only on loopback (127.0.0.0/8), so the probe cannot aim a server at a third party (FTP bounce\n"
    "attack). Ports below 1024 can only be listened on as root.\n"
    "\n"
    "Example:\n"
    "  ftpsim probe --server 127.0.0.1:2121 --set client.start_port=1020 --commands 7 --expect vsftpd\n"
    "\n"
    "Exit status: 0 success (and every reply as predicted), 3 a reply differed from --expect's model,\n"
    "2 usage error (nothing written), 1 the probe failed (server unreachable, stalled, garbage).";

typedef struct ProbeOptions {
  gchar *server;
  gchar *user;
  gchar *password;
  gchar *client;
  gchar **assignments;
  gint commands; /* -1: session.commands */
  gchar *command;
  gchar *address;
  gchar *expect;
  gdouble timeout;
  gchar *out_dir;
  gchar *seed_text;
  gboolean quiet;
  gboolean no_transfer;
  gchar *data_command;
  gchar *file;
  gboolean data_after_refusal;
  gboolean no_listen;
} ProbeOptions;

static void probe_options_clear(ProbeOptions *o)
{
  g_free(o->server);
  g_free(o->user);
  g_free(o->password);
  g_free(o->client);
  g_strfreev(o->assignments);
  g_free(o->command);
  g_free(o->address);
  g_free(o->expect);
  g_free(o->out_dir);
  g_free(o->seed_text);
  g_free(o->data_command);
  g_free(o->file);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ProbeOptions, probe_options_clear)

/* Everything the probe loop needs, checked before any socket is opened. */
typedef struct ProbePlan {
  const ClientModel *client;
  const ServerPolicy *expect; /* NULL: no comparison */
  ParamSet *params;
  guint32 server_address;
  guint16 server_port;
  gboolean extended; /* EPRT */
  gboolean has_address;
  guint32 data_address; /* --address, else the control connection's local address */
  guint64 commands;
  guint64 seed;
  int timeout_ms;
  ProbeFollowUp follow_up;
} ProbePlan;

static gboolean is_loopback(guint32 address)
{
  return (address & LOOPBACK_MASK) == LOOPBACK_NET;
}

static gboolean parse_probe_options(int argc, char **argv, ProbeOptions *o, GError **error)
{
  o->commands = -1;
  o->timeout = DEFAULT_TIMEOUT_S;
  const GOptionEntry entries[] = {
      {"server", 0, 0, G_OPTION_ARG_STRING, &o->server, "The FTP server to probe (required)", "HOST:PORT"},
      {"user", 'u', 0, G_OPTION_ARG_STRING, &o->user, "Login name (default anonymous)", "U"},
      {"password", 'p', 0, G_OPTION_ARG_STRING, &o->password, "Password (default ftpsim@)", "P"},
      {"client", 'c', 0, G_OPTION_ARG_STRING, &o->client, "Client model naming the ports (default: client.model)",
       "MODEL"},
      {"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &o->assignments, "Set a model parameter (repeatable)", "KEY=VALUE"},
      {"commands", 'n', 0, G_OPTION_ARG_INT, &o->commands, "PORT/EPRT commands to issue (default: session.commands)",
       "N"},
      {"command", 0, 0, G_OPTION_ARG_STRING, &o->command, "PORT (default) or EPRT", "PORT|EPRT"},
      {"address", 0, 0, G_OPTION_ARG_STRING, &o->address,
       "Address to name in PORT/EPRT, loopback only (default: our own)", "127.X.Y.Z"},
      {"expect", 'e', 0, G_OPTION_ARG_STRING, &o->expect, "Compare every reply with this server policy", "POLICY"},
      {"timeout", 't', 0, G_OPTION_ARG_DOUBLE, &o->timeout, "Seconds to wait for a connect, reply or transfer (10)",
       "S"},
      {"seed", 0, 0, G_OPTION_ARG_STRING, &o->seed_text, "Seed for randomized client models (default 1)", "N"},
      {"out", 'o', 0, G_OPTION_ARG_FILENAME, &o->out_dir, "Folder for the CSV files (default " DEFAULT_OUT_DIR ")",
       "DIR"},
      {"no-transfer", 0, 0, G_OPTION_ARG_NONE, &o->no_transfer,
       "Negotiate only: no data command after a PORT/EPRT (NOOP still follows)", NULL},
      {"data-command", 0, 0, G_OPTION_ARG_STRING, &o->data_command, "Data command after a PORT/EPRT (default NLST)",
       "NLST|RETR"},
      {"file", 0, 0, G_OPTION_ARG_STRING, &o->file, "The file RETR asks for (required with RETR)", "NAME"},
      {"data-after-refusal", 0, 0, G_OPTION_ARG_NONE, &o->data_after_refusal,
       "Send the data command after a refused PORT/EPRT too (records the server's answer)", NULL},
      {"no-listen", 0, 0, G_OPTION_ARG_NONE, &o->no_listen,
       "Listen nowhere: the PORT/EPRT names a port nobody listens on", NULL},
      {"quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet, "Print only mismatches and errors", NULL},
      G_OPTION_ENTRY_NULL,
  };
  g_autoptr(GOptionContext) context = g_option_context_new("- play a client model against a real FTP server");
  g_option_context_add_main_entries(context, entries, NULL);
  g_option_context_set_description(context, probe_description);
  if (!g_option_context_parse(context, &argc, &argv, error)) {
    option_error_add_hint(*error, entries, "probe");
    return FALSE;
  }
  if (argc > 1) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                "unexpected argument '%s' (accepted: options only; see 'ftpsim probe --help')", argv[1]);
    return FALSE;
  }
  return TRUE;
}

static gboolean build_plan(ProbeOptions *o, ProbePlan *plan, GError **error)
{
  if (o->server == NULL) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "--server HOST:PORT is required");
    return FALSE;
  }
  if (!probe_parse_server(o->server, &plan->server_address, &plan->server_port, error))
    return FALSE;
  plan->params = param_set_new();
  for (guint i = 0; o->assignments != NULL && o->assignments[i] != NULL; i++)
    if (!param_set_assign_text(plan->params, o->assignments[i], error))
      return FALSE;
  if (o->client != NULL && !param_set_assign(plan->params, "client.model", o->client, error))
    return FALSE;
  if ((plan->client = client_model_find(param_set_string(plan->params, "client.model"), error)) == NULL)
    return FALSE;
  if (o->expect != NULL && (plan->expect = server_policy_find(o->expect, error)) == NULL) {
    g_prefix_error(error, "--expect: ");
    return FALSE;
  }
  if (o->commands < -1) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--commands: %d is negative (accepted: 0..%d)",
                o->commands, G_MAXINT);
    return FALSE;
  }
  plan->commands = o->commands >= 0 ? (guint64)o->commands : (guint64)param_set_int(plan->params, "session.commands");
  if (o->command == NULL || g_ascii_strcasecmp(o->command, "PORT") == 0)
    plan->extended = FALSE;
  else if (g_ascii_strcasecmp(o->command, "EPRT") == 0)
    plan->extended = TRUE;
  else {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--command: '%s' (accepted: PORT, EPRT)", o->command);
    return FALSE;
  }
  if (o->address != NULL) {
    /* Another host in PORT is how a client aims a server at a third party (FTP bounce attack, RFC
     * 2577 s3, CERT CA-1997-27): only loopback addresses, which stay on this machine. */
    if (!ftp_parse_ipv4(o->address, &plan->data_address) || !is_loopback(plan->data_address)) {
      g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                  "--address: '%s' is not a loopback address (accepted: 127.0.0.0/8 only, against the FTP bounce "
                  "attack)",
                  o->address);
      return FALSE;
    }
    plan->has_address = TRUE;
  }
  if (!(o->timeout > 0 && o->timeout <= 3600)) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--timeout: %g (accepted: more than 0, up to 3600 s)",
                o->timeout);
    return FALSE;
  }
  if (o->data_command == NULL || g_ascii_strcasecmp(o->data_command, "NLST") == 0)
    plan->follow_up.data_command = "NLST";
  else if (g_ascii_strcasecmp(o->data_command, "RETR") == 0)
    plan->follow_up.data_command = "RETR";
  else {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--data-command: '%s' (accepted: NLST, RETR)",
                o->data_command);
    return FALSE;
  }
  gboolean retr = strcmp(plan->follow_up.data_command, "RETR") == 0;
  if (retr != (o->file != NULL) || (o->file != NULL && (o->file[0] == '\0' || strpbrk(o->file, "\r\n") != NULL))) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "--file: %s (accepted: a file name on one line, with --data-command RETR only)",
                o->file == NULL ? "missing" : "not accepted here");
    return FALSE;
  }
  plan->follow_up.file = o->file;
  plan->follow_up.data = !o->no_transfer;
  plan->follow_up.data_after_refusal = o->data_after_refusal;
  plan->follow_up.listen = !o->no_listen;
  plan->timeout_ms = (int)(o->timeout * 1000 + 0.5);
  if (plan->timeout_ms < 1)
    plan->timeout_ms = 1;
  plan->seed = 1;
  if (o->seed_text != NULL && !g_ascii_string_to_unsigned(o->seed_text, 10, 0, G_MAXUINT64, &plan->seed, NULL)) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--seed: '%s' is not a whole number", o->seed_text);
    return FALSE;
  }
  if (o->user == NULL)
    o->user = g_strdup("anonymous");
  if (o->password == NULL)
    o->password = g_strdup("ftpsim@");
  if (o->out_dir == NULL)
    o->out_dir = g_strdup(DEFAULT_OUT_DIR);
  return TRUE;
}

static gboolean log_in(Probe *probe, const char *user, const char *password, GError **error)
{
  g_auto(ProbeReply) reply = {0};
  if (!probe_read_reply(&probe->conn, &reply, error))
    return FALSE;
  if (reply.code == 120) { /* RFC 959: service ready in nnn minutes; wait for the 220 */
    probe_reply_clear(&reply);
    if (!probe_read_reply(&probe->conn, &reply, error))
      return FALSE;
  }
  if (reply.code != 220) {
    g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_GARBAGE, "the server greeted with %u '%s', not 220",
                (guint)reply.code, reply.last_line);
    return FALSE;
  }
  g_autofree gchar *user_line = g_strconcat("USER ", user, NULL);
  if (!probe_exchange(probe, user_line, &reply, error))
    return FALSE;
  if (reply.code == 331 || reply.code == 332) {
    g_autofree gchar *pass_line = g_strconcat("PASS ", password, NULL);
    if (!probe_exchange(probe, pass_line, &reply, error))
      return FALSE;
  }
  if (reply.code != 230 && reply.code != 202) { /* pure-ftpd answers USER anonymous with 230 at once */
    g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_CONNECT, "login as '%s' refused: %u %s", user, (guint)reply.code,
                reply.last_line);
    return FALSE;
  }
  return TRUE;
}

static gboolean play(Probe *probe, const ProbePlan *plan, PortAllocator *allocator, const PortGate *gate,
                     GError **error)
{
  guint32 own = probe->conn.local_address;
  const PortQuery query = {.local_address = own, .remote_address = plan->server_address, .remote_port = FTP_DATA_PORT};
  for (guint64 i = 0; i < plan->commands && !probe->ended; i++) {
    guint16 port = port_allocator_next(allocator, &query);
    if (!probe_step(probe, plan->extended, plan->has_address ? plan->data_address : own, port, gate, error))
      return FALSE;
  }
  return TRUE;
}

int cmd_probe(int argc, char **argv)
{
  g_auto(ProbeOptions) options = {0};
  ProbePlan plan = {0};
  g_autoptr(GError) error = NULL;
  if (!parse_probe_options(argc, argv, &options, &error) || !build_plan(&options, &plan, &error)) {
    if (plan.params)
      param_set_free(plan.params);
    return fail_usage(error->message);
  }
  g_autoptr(ParamSet) params = plan.params;
  PortGate gate = {0};
  if (plan.expect != NULL && !port_gate_init(&gate, plan.expect, params, &error))
    return fail_usage(error->message);

  OutputFile commands = {0}, sessions = {0};
  if (!output_file_open(&commands, options.out_dir, "commands.csv", &error) ||
      !output_file_open(&sessions, options.out_dir, "sessions.csv", &error)) {
    output_file_discard(&commands);
    port_gate_clear(&gate);
    return fail_usage(error->message);
  }

  Probe probe = {.follow_up = &plan.follow_up, .commands_csv = commands.stream, .start_us = g_get_monotonic_time()};
  probe.conn.fd = -1;
  session_stats_init(&probe.stats, 0);
  columns_write_header(commands.stream, &probe_commands_csv);
  PortAllocator allocator = {0};
  const ClientModelContext model_context = {.seed = plan.seed, .stream_id = 1};
  gboolean ok = probe_connect(&probe.conn, plan.server_address, plan.server_port, plan.timeout_ms, &error);
  if (ok && plan.has_address && !is_loopback(probe.conn.local_address)) {
    /* 127.x named to a remote server is that server's own loopback: its local services. */
    probe_close(&probe.conn);
    output_file_discard(&commands);
    output_file_discard(&sessions);
    port_gate_clear(&gate);
    return fail_usage("--address: only with a server on loopback (a remote server would connect to its own "
                      "127.0.0.0/8 services)");
  }
  if (ok) {
    ftp_format_ipv4(probe.conn.local_address, probe.own_text, sizeof probe.own_text);
    char server_address[16];
    ftp_format_ipv4(plan.server_address, server_address, sizeof server_address);
    g_snprintf(probe.server_text, sizeof probe.server_text, "%s:%u", server_address, (guint)plan.server_port);
    ok = log_in(&probe, options.user, options.password, &error) &&
         port_allocator_init(&allocator, plan.client, params, &model_context, &error) &&
         play(&probe, &plan, &allocator, plan.expect ? &gate : NULL, &error);
  }
  if (ok && !probe.ended) { /* A polite end; the server's answer to QUIT changes nothing. */
    g_auto(ProbeReply) bye = {0};
    g_autoptr(GError) ignored = NULL;
    probe_exchange(&probe, "QUIT", &bye, &ignored);
  }
  probe_close(&probe.conn);
  if (allocator.model != NULL)
    port_allocator_clear(&allocator);
  port_gate_clear(&gate);
  probe.stats.end_time = probe_now(&probe);

  if (ok) {
    report_sessions_header(sessions.stream);
    const SessionRecord record = {.id = 1,
                                  .client_host = probe.own_text,
                                  .server_host = probe.server_text,
                                  .client_model = plan.client->name,
                                  .server_policy = plan.expect ? plan.expect->name : "unknown",
                                  .stats = &probe.stats};
    report_session_row(sessions.stream, &record);
    ok = provenance_write(options.out_dir, plan.seed, &error) && output_file_commit(&commands, &error) &&
         output_file_commit(&sessions, &error);
  }
  output_file_discard(&commands); /* after a commit: only frees the paths */
  output_file_discard(&sessions);
  if (!ok)
    return fail_runtime(error->message);
  const SessionStats *s = &probe.stats;
  if (!options.quiet) {
    printf("ftpsim probe: %s, client model %s, %" G_GUINT64_FORMAT " %s command(s) from %s\n", probe.server_text,
           plan.client->name, s->commands, plan.extended ? "EPRT" : "PORT", probe.own_text);
    printf("  rejected: %" G_GUINT64_FORMAT ", rejected before the first accepted: %" G_GUINT64_FORMAT
           ", first accepted port: %d, transfers: %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " bytes)\n",
           s->rejected, s->rejected_before_first_accept, s->first_accept_port, s->transfers, s->bytes);
  }
  if (plan.expect != NULL)
    printf("  agreement with %s: %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " replies\n", plan.expect->name,
           probe.matching, probe.compared);
  if (!options.quiet)
    printf("  wrote %s/commands.csv and %s/sessions.csv\n", options.out_dir, options.out_dir);
  return probe.matching == probe.compared ? 0 : EXIT_MISMATCH;
}
