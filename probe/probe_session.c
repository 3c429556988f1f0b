/* A probe session's steps (probe_session.h): PORT/EPRT, data command, NOOP, each one commands.csv row. */
#include "probe_session.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "columns.h"
#include "ftp_protocol.h"
#include "probe_commands_csv.h"

double probe_now(const Probe *probe)
{
  return (double)(g_get_monotonic_time() - probe->start_us) / 1e6;
}

gboolean probe_exchange(Probe *probe, const char *line, ProbeReply *reply, GError **error)
{
  probe_reply_clear(reply);
  return probe_send_line(&probe->conn, line, error) && probe_read_reply(&probe->conn, reply, error);
}

/* What one row shares with the other rows of its step. */
typedef struct Step {
  Probe *probe;
  guint16 port;
  char address[16];
  gboolean listening;
  int listen_fd;
} Step;

static gboolean is_positive(guint16 code)
{
  return code != 0 && ftp_reply_is_positive((FtpReply){code, NULL});
}

static ProbeExchangeRow step_row(const Step *step, const char *command, const ProbeReply *reply)
{
  return (ProbeExchangeRow){.exchange = {.time = probe_now(step->probe),
                                         .session = 1,
                                         .client_host = step->probe->own_text,
                                         .server_host = step->probe->server_text,
                                         .command = command,
                                         .port = step->port,
                                         .reply_code = reply->code,
                                         .accepted = is_positive(reply->code)},
                            .reply_text = reply->text,
                            .expected_code = -1,
                            .address = step->address,
                            .listening = step->listening,
                            .connected_before_reply = -1,
                            .preliminary_code = -1,
                            .bytes = -1};
}

/* A wait that timed out or a connection the server closed ends the session and is recorded; any other
 * error (garbage, a local failure) fails the probe. */
static gboolean ends_session(Probe *probe, ProbeExchangeRow *row, GError **error)
{
  if (g_error_matches(*error, FTPSIM_PROBE_ERROR, PROBE_ERROR_TIMEOUT))
    row->stalled = TRUE;
  else if (g_error_matches(*error, FTPSIM_PROBE_ERROR, PROBE_ERROR_CLOSED))
    row->session_closed = TRUE;
  else
    return FALSE;
  g_clear_error(error);
  probe->ended = TRUE;
  return TRUE;
}

static void compare(Probe *probe, const PortGate *gate, const PortRequest *request, const ProbeReply *reply,
                    FtpReply predicted, const char *predicted_text)
{
  probe->compared++;
  if (reply->text != NULL && predicted.code == reply->code && strcmp(predicted_text, reply->last_line) == 0) {
    probe->matching++;
    return;
  }
  char address[16];
  ftp_format_ipv4(request->address, address, sizeof address);
  printf("  mismatch: %s %s port %u: server %u \"%s\", model %s %u \"%s\"\n", request->extended ? "EPRT" : "PORT",
         address, (guint)request->port, (guint)reply->code, reply->last_line ? reply->last_line : "(no reply)",
         gate->policy->name, (guint)predicted.code, predicted_text);
}

/* The data command: its preliminary reply, the data connection (when we listen and the server connects),
 * its final reply. */
static gboolean data_command(Step *step, GError **error)
{
  Probe *probe = step->probe;
  const ProbeFollowUp *follow_up = probe->follow_up;
  g_autofree gchar *line = follow_up->file != NULL && strcmp(follow_up->data_command, "RETR") == 0
                               ? g_strconcat("RETR ", follow_up->file, NULL)
                               : g_strdup(follow_up->data_command);
  g_auto(ProbeReply) first = {0};
  g_auto(ProbeReply) final = {0};
  const ProbeReply *shown = &first;
  char source[32] = "";
  guint64 bytes = 0;
  gboolean ok = probe_exchange(probe, line, &first, error);
  if (ok && first.code >= 100 && first.code < 200) {
    shown = &final;
    gboolean connected = FALSE;
    if (step->listen_fd >= 0)
      ok = probe_wait_connection_or_reply(step->listen_fd, &probe->conn, &connected, error);
    if (ok && connected) {
      guint32 peer = 0;
      guint16 peer_port = 0;
      ok = probe_accept_and_drain(step->listen_fd, probe->conn.timeout_ms, &bytes, &peer, &peer_port, error);
      if (ok) {
        char dotted[16];
        ftp_format_ipv4(peer, dotted, sizeof dotted);
        g_snprintf(source, sizeof source, "%s:%u", dotted, (guint)peer_port);
      }
    }
    if (ok)
      ok = probe_read_reply(&probe->conn, &final, error);
  }
  ProbeExchangeRow row = step_row(step, follow_up->data_command, shown);
  if (shown == &final) {
    row.preliminary_code = first.code;
    row.preliminary_text = first.text;
  }
  row.data_source = source[0] != '\0' ? source : NULL;
  row.bytes = (gint64)bytes;
  if (!ok && !ends_session(probe, &row, error))
    return FALSE;
  columns_write_row(probe->commands_csv, &probe_commands_csv, &row);
  if (row.exchange.accepted && source[0] != '\0')
    session_stats_record_transfer(&probe->stats, bytes, probe_now(probe));
  return TRUE;
}

/* NOOP: does the session still live? */
static gboolean noop(Step *step, GError **error)
{
  g_auto(ProbeReply) reply = {0};
  gboolean ok = probe_exchange(step->probe, "NOOP", &reply, error);
  ProbeExchangeRow row = step_row(step, "NOOP", &reply);
  if (!ok && !ends_session(step->probe, &row, error))
    return FALSE;
  columns_write_row(step->probe->commands_csv, &probe_commands_csv, &row);
  return TRUE;
}

static gboolean port_exchange(Step *step, gboolean extended, guint32 address, const PortGate *gate, gboolean *accepted,
                              GError **error)
{
  Probe *probe = step->probe;
  const char *verb = extended ? "EPRT" : "PORT";
  char argument[64], line[80];
  if (extended)
    g_snprintf(argument, sizeof argument, "|1|%s|%u|", step->address, (guint)step->port); /* RFC 2428 s2 */
  else
    ftp_format_port_argument(address, step->port, argument, sizeof argument);
  g_snprintf(line, sizeof line, "%s %s", verb, argument);
  g_auto(ProbeReply) reply = {0};
  gboolean ok = probe_exchange(probe, line, &reply, error);
  ProbeExchangeRow row = step_row(step, verb, &reply);
  row.connected_before_reply = step->listen_fd >= 0 && probe_connection_waiting(step->listen_fd);
  /* The server sees our control connection's local address as its peer. */
  const PortRequest request = {
      .port = step->port, .address = address, .peer_address = probe->conn.local_address, .extended = extended};
  FtpReply predicted = {0};
  g_autofree gchar *predicted_text = NULL;
  if (gate != NULL) {
    predicted = port_gate_check(gate, &request);
    predicted_text = server_policy_render_text(predicted, &request);
    row.expected_code = predicted.code;
    row.expected_text = predicted_text;
  }
  if (!ok && !ends_session(probe, &row, error))
    return FALSE;
  columns_write_row(probe->commands_csv, &probe_commands_csv, &row);
  *accepted = row.exchange.accepted;
  session_stats_record_port(&probe->stats, step->port, row.exchange.accepted, probe_now(probe));
  if (gate != NULL)
    compare(probe, gate, &request, &reply, predicted, predicted_text);
  return TRUE;
}

gboolean probe_step(Probe *probe, gboolean extended, guint32 address, guint16 port, const PortGate *gate,
                    GError **error)
{
  Step step = {.probe = probe, .port = port, .listening = probe->follow_up->listen, .listen_fd = -1};
  ftp_format_ipv4(address, step.address, sizeof step.address);
  /* Listen before asking: pyftpdlib connects while answering the PORT itself. */
  if (step.listening && !probe_listen(&step.listen_fd, address, port, error))
    return FALSE;
  const ProbeFollowUp *follow_up = probe->follow_up;
  gboolean accepted = FALSE;
  gboolean ok = port_exchange(&step, extended, address, gate, &accepted, error);
  if (ok && !probe->ended && follow_up->data && (accepted || follow_up->data_after_refusal))
    ok = data_command(&step, error);
  if (ok && !probe->ended)
    ok = noop(&step, error);
  if (step.listen_fd >= 0)
    close(step.listen_fd);
  return ok;
}
