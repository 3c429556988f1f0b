/* predict_sessions: the simulator's prediction of each measured whole-session case, through the same
 * server_policy_predict() the engine plays (models/policies/server_policy.h), for compare_sessions.py.
 *
 * Reads one case per line on stdin, tab-separated:
 *   POLICY  KNOBS  COMMAND  ADDRESS  PORT  LISTENING  FILES
 * KNOBS: comma-separated KEY=VALUE, or "-"; COMMAND: PORT or EPRT; ADDRESS: own or foreign (the probe's
 * 127.0.0.1 or the third party 127.0.0.2, reachable: both are loopback); LISTENING: 1 when the probe listens
 * on the named port; FILES: the entries of the folder the NLST lists. Prints one JSON object per case:
 *   {"port_reply": {code, text}, "connected_before_reply": bool, "preliminary": {code, text} or null,
 *    "final": {code, text} or null, "source": "20"|"ephemeral"|"none", "session": "alive"|"ended"|"stalled"}
 * port_reply.text holds a two-line reply's first line, a newline, then its last line, as the probe records
 * it; the data command's replies are those after that PORT reply (after a refusal too: the no_port reply).
 * A malformed line: a one-line error naming it, exit status 2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_policy.h"

#define OWN 0x7f000001u     /* 127.0.0.1 */
#define FOREIGN 0x7f000002u /* 127.0.0.2 */

static void print_json_string(const char *text)
{
  putchar('"');
  for (const char *c = text; *c != '\0'; c++) {
    if (*c == '"' || *c == '\\')
      printf("\\%c", *c);
    else if (*c == '\n')
      fputs("\\n", stdout);
    else
      putchar(*c);
  }
  putchar('"');
}

static void print_reply(const char *name, FtpReply reply, const PortRequest *request, const DataPhase *phase,
                        guint files)
{
  printf("\"%s\": ", name);
  if (reply.code == 0) {
    fputs("null", stdout);
    return;
  }
  g_autofree gchar *text = data_phase_render_text(phase, reply, request, files);
  printf("{\"code\": %u, \"text\": ", (guint)reply.code);
  print_json_string(text);
  putchar('}');
}

static gboolean predict(gchar **fields, GError **error)
{
  if (g_strv_length(fields) != 7) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "7 tab-separated fields expected, got %u",
                g_strv_length(fields));
    return FALSE;
  }
  const ServerPolicy *policy = server_policy_find(fields[0], error);
  if (policy == NULL)
    return FALSE;
  g_autoptr(ParamSet) params = param_set_new();
  g_auto(GStrv) knobs = g_strsplit(fields[1], ",", -1);
  for (guint i = 0; strcmp(fields[1], "-") != 0 && knobs[i] != NULL; i++)
    if (!param_set_assign_text(params, knobs[i], error))
      return FALSE;
  const gboolean extended = strcmp(fields[2], "EPRT") == 0;
  if (!extended && strcmp(fields[2], "PORT") != 0) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "command '%s': accepted: PORT, EPRT", fields[2]);
    return FALSE;
  }
  const gboolean foreign = strcmp(fields[3], "foreign") == 0;
  if (!foreign && strcmp(fields[3], "own") != 0) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "address '%s': accepted: own, foreign", fields[3]);
    return FALSE;
  }
  PortGate gate;
  if (!port_gate_init(&gate, policy, params, error))
    return FALSE;
  const PortRequest request = {
      .port = (guint16)atoi(fields[4]), .address = foreign ? FOREIGN : OWN, .peer_address = OWN, .extended = extended};
  const DataPath path = {.listening = strcmp(fields[5], "1") == 0, .reachable = TRUE, .port20_time_wait = FALSE};
  const guint files = (guint)atoi(fields[6]);
  const DataPhase *phase = port_gate_data_phase(&gate, &request);
  const ServerPrediction prediction = server_policy_predict(&gate, &request, &path);
  const gboolean accepted = ftp_reply_is_positive(prediction.port_reply);

  FtpReply port_reply = prediction.port_reply;
  g_autofree gchar *two_lines = NULL;
  if (prediction.port_preamble != NULL) { /* the probe records both lines of a two-line reply */
    two_lines = g_strconcat(prediction.port_preamble, "\n", port_reply.text, NULL);
    port_reply.text = two_lines;
  }
  putchar('{');
  print_reply("port_reply", port_reply, &request, phase, files);
  printf(", \"connected_before_reply\": %s, ",
         accepted && phase->connect == CONNECT_BEFORE_PORT_REPLY ? "true" : "false");
  print_reply("preliminary", prediction.data.preliminary, &request, phase, files);
  fputs(", ", stdout);
  print_reply("final", prediction.data.final, &request, phase, files);
  const gboolean moved = prediction.data.final.code == 226;
  printf(", \"source\": \"%s\", \"session\": \"%s\"}\n",
         !moved                                 ? "none"
         : phase->source == DATA_SOURCE_PORT_20 ? "20"
                                                : "ephemeral",
         prediction.data.fate == SESSION_ENDED_BY_SERVER ? "ended"
         : prediction.data.fate == SESSION_HELD          ? "stalled"
                                                         : "alive");
  port_gate_clear(&gate);
  return TRUE;
}

int main(void)
{
  char line[4096];
  for (guint number = 1; fgets(line, sizeof line, stdin) != NULL; number++) {
    g_strchomp(line);
    if (line[0] == '\0')
      continue;
    g_auto(GStrv) fields = g_strsplit(line, "\t", -1);
    GError *error = NULL;
    if (!predict(fields, &error)) {
      fprintf(stderr, "predict_sessions: line %u: %s\n", number, error->message);
      g_error_free(error);
      return 2;
    }
  }
  return 0;
}
