/* FileZilla Server 0.9 (source/ControlSocket.cpp, TransferSocket.cpp, Options.cpp). PORT and EPRT take
 * any port from 1 to 65535: there is no privileged-port check ("501 Syntax error" only for a port out of
 * that range). The address is checked by VerifyIPFromPortCommand() through
 * CTransferSocket::IsAllowedDataConnectionIP() at the level OPTION_CHECK_DATA_CONNECTION_IP ("Check data
 * connection IP", default 2 in Options.cpp): 0 no check, 1 the same /24 as the control connection's peer,
 * 2 the exact address; a mismatch gets "421 Rejected command, requested IP address does not match
 * control connection IP." and the session goes on (no ForceClose). Accepted: "200 Port command
 * successful" for PORT and EPRT alike. Data phase (CreateTransferSocket): at the data command, from the
 * control port - 1 (20), and when that bind fails (WSAEADDRINUSE, as with a 4-tuple in TIME_WAIT) from
 * a port the OS picks: TIME_WAIT never blocks it, so the model's source is the ephemeral one. A data
 * command with no usable PORT: "503 Bad sequence of commands.". */
#include "server_policy.h"

#define SUBNET_24_MASK 0xffffff00u

static const ParamSpec filezilla_server_params[] = {
    {.key = KEY_SERVER_CHECK_DATA_CONNECTION_IP,
     .type = PARAM_INT,
     .min = 0,
     .max = 2,
     .default_value = "2",
     .help = "FileZilla Server 'Check data connection IP' (OPTION_CHECK_DATA_CONNECTION_IP): 0 no check, 1 the "
             "PORT/EPRT address must be in the client's /24, 2 (the default, Options.cpp) must be the client's"},
    {.key = NULL},
};

static const char *const filezilla_server_assumptions[] = {
    "the data phase's 150 and 226 texts are RFC 959's: the real ones quote the file's path",
    "a failed data connection: '425 Can't open data connection.' (the real one quotes the file's path)",
    NULL,
};

typedef struct {
  gint64 check_level;
} FilezillaServerPolicy;

static gpointer filezilla_server_create(const ParamSet *params, GError **error)
{
  (void)error;
  FilezillaServerPolicy *policy = g_new(FilezillaServerPolicy, 1);
  policy->check_level = param_set_int(params, KEY_SERVER_CHECK_DATA_CONNECTION_IP);
  return policy;
}

static gboolean address_allowed(gint64 level, guint32 address, guint32 peer)
{
  if (level == 0)
    return TRUE;
  if (level == 1)
    return (address & SUBNET_24_MASK) == (peer & SUBNET_24_MASK);
  return address == peer;
}

static FtpReply filezilla_server_check_port(gconstpointer state, const PortRequest *request)
{
  const FilezillaServerPolicy *policy = state;
  if (request->port < 1)
    return (FtpReply){501, "Syntax error"};
  if (!address_allowed(policy->check_level, request->address, request->peer_address))
    return (FtpReply){421, "Rejected command, requested IP address does not match control connection IP."};
  return (FtpReply){200, "Port command successful"};
}

static const DataPhase *filezilla_server_data_phase(gconstpointer state, const PortRequest *request)
{
  (void)state;
  (void)request;
  return data_phase_assumed_for(DATA_SOURCE_EPHEMERAL, CONNECT_AT_DATA_COMMAND);
}

const ServerPolicy server_policy_filezilla_server = {
    .name = "filezilla-server",
    .summary = "FileZilla Server 0.9: no privileged-port check; 421 for an address outside the check level "
               "(2 exact, default; 1 same /24; 0 none); 200 otherwise",
    .source = "FileZilla Server 0.9.60 ControlSocket.cpp (PORT, EPRT, VerifyIPFromPortCommand, "
              "CreateTransferSocket), TransferSocket.cpp IsAllowedDataConnectionIP, Options.cpp (default 2)",
    .params = filezilla_server_params,
    .assumptions = filezilla_server_assumptions,
    .create = filezilla_server_create,
    .check_port = filezilla_server_check_port,
    .data_phase = filezilla_server_data_phase,
    .destroy = g_free,
};
