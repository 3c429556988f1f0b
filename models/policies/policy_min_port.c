/* A generic threshold policy: PORT naming a port below server.min_port is refused with the chosen
 * reply code unless the port is in the allow-list server.allow ("20,6000-7000", or "none"). The
 * address is not checked. Reply texts are RFC 959 s4.2's standard texts for each code. Its data phase
 * is RFC 959's, with two knobs for the servers without a model of their own: the source port
 * (server.data_source) and when the server connects (server.connect: IIS 7.5 connects before it
 * replies, KB 2505047). */
#include "server_policy.h"

#include <stdlib.h>
#include <string.h>

#include "port_ranges.h"

static const char *const reject_codes[] = {"500", "501", "504", NULL};
static const char *const data_sources[] = {DATA_SOURCE_CHOICES(CHOICE_NAME) NULL};
static const char *const connect_times[] = {CONNECT_TIME_CHOICES(CHOICE_NAME) NULL};

static const ParamSpec min_port_params[] = {
    {.key = "server.min_port",
     .type = PARAM_INT,
     .min = 1,
     .max = 65535,
     .default_value = "1024",
     .unit = "port",
     .help = "min-port: lowest port accepted without being on the allow-list"},
    {.key = "server.allow",
     .type = PARAM_STRING,
     .default_value = "none",
     .validate = port_ranges_validate,
     .syntax = "none|PORT[-PORT][,...] (ports 1..65535, up to 64 items, e.g. 20,6000-7000)",
     .help = "min-port: ports below server.min_port accepted anyway"},
    {.key = "server.reject_code",
     .type = PARAM_CHOICE,
     .default_value = "500",
     .choices = reject_codes,
     .help = "min-port: reply code for a refused PORT (text is RFC 959's for the code)"},
    {.key = "server.data_source",
     .type = PARAM_CHOICE,
     .default_value = "port20",
     .choices = data_sources,
     .help = "min-port: port the data connection comes from: port20 (RFC 959's L-1; TIME_WAIT blocks a client port "
             "reused within 2MSL) or ephemeral (a new 4-tuple each time, as vsftpd's default, ProFTPD, pyftpdlib)"},
    {.key = "server.connect",
     .type = PARAM_CHOICE,
     .default_value = "data-command",
     .choices = connect_times,
     .help = "min-port: when the server connects: data-command (RFC 959) or before-reply (pyftpdlib; IIS 7.5, KB "
             "2505047: the PORT reply is 425 when the connection fails)"},
    {.key = NULL},
};

typedef struct {
  guint16 min_port;
  PortRanges allow;
  FtpReply reject;
  const DataPhase *data_phase;
} MinPortSettings;

static FtpReply reject_reply(const char *code)
{
  if (strcmp(code, "501") == 0)
    return (FtpReply){501, "Syntax error in parameters or arguments."};
  if (strcmp(code, "504") == 0)
    return (FtpReply){504, "Command not implemented for that parameter."};
  return (FtpReply){500, "Syntax error, command unrecognized."};
}

static gpointer min_port_create(const ParamSet *params, GError **error)
{
  (void)error;
  MinPortSettings *settings = g_new0(MinPortSettings, 1);
  settings->min_port = (guint16)param_set_int(params, "server.min_port");
  const char *problem = port_ranges_parse(param_set_string(params, "server.allow"), &settings->allow);
  g_assert(problem == NULL); /* the ParamSet holds validated values only */
  settings->reject = reject_reply(param_set_string(params, "server.reject_code"));
  settings->data_phase = data_phase_assumed_for((DataSource)param_set_choice(params, "server.data_source"),
                                                (ConnectTime)param_set_choice(params, "server.connect"));
  return settings;
}

static FtpReply min_port_check_port(gconstpointer state, const PortRequest *request)
{
  const MinPortSettings *settings = state;
  if (request->port >= settings->min_port)
    return (FtpReply){200, "Command okay."};
  if (port_ranges_contain(&settings->allow, request->port))
    return (FtpReply){200, "Command okay."};
  return settings->reject;
}

static const DataPhase *min_port_data_phase(gconstpointer state, const PortRequest *request)
{
  (void)request;
  return ((const MinPortSettings *)state)->data_phase;
}

const ServerPolicy server_policy_min_port = {
    .name = "min-port",
    .summary = "refuses ports below server.min_port unless on server.allow, with server.reject_code",
    .source = "generic threshold (as Windows NT 3.51 SP2, RFC 2577 s3); reply texts from RFC 959 s4.2; data phase "
              "assumed (port 20, RFC 959 texts)",
    .params = min_port_params,
    .create = min_port_create,
    .check_port = min_port_check_port,
    .data_phase = min_port_data_phase,
    .destroy = g_free,
};
