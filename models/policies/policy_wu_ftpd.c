/* wu-ftpd 2.6/2.8 (src/ftpcmd.y, the PORT and EPRT rules): a PORT is accepted only when its port is
 * IPPORT_RESERVED (1024) or above AND its address is the control connection's peer or matches a
 * `port-allow` class of ftpaccess (port_allowed()); one test, one reply, "502 Illegal PORT Command"
 * (EPRT: "502 Illegal EPRT Command"). Port 20 gets no exemption. Accepted: "200 PORT command
 * successful." / "200 EPRT command successful.". EPRT exists only in builds with INET6; this model is
 * such a build. ftpaccess has no port-allow line by default: server.port_allow=0.
 * Data phase: below, as the BSD ftpd it comes from. */
#include "server_policy.h"

#define FIRST_UNPRIVILEGED_PORT 1024 /* IPPORT_RESERVED */

static const ParamSpec wu_ftpd_params[] = {
    {.key = KEY_SERVER_PORT_ALLOW,
     .type = PARAM_INT,
     .min = 0,
     .max = 1,
     .default_value = "0",
     .help = "wu-ftpd port-allow: 1 = a port-allow class of ftpaccess matches every foreign address, so a PORT/EPRT "
             "to another host is accepted (ports below 1024 still are not); 0 = no port-allow line (the default "
             "ftpaccess; src/ftpcmd.y port_allowed)"},
    {.key = NULL},
};

static const char *const wu_ftpd_assumptions[] = {
    "a build with INET6 (EPRT as PORT); one without answers EPRT as an unknown command, 500",
    "the 150 text is RFC 959's: the real one names the file and its size",
    "the 425s' reasons are strerror()'s as NetBSD and glibc word them; a 4-tuple in TIME_WAIT is retried for up "
    "to 90 s first, not modelled",
    NULL,
};

typedef struct {
  gboolean port_allow;
} WuFtpdPolicy;

static gpointer wu_ftpd_create(const ParamSet *params, GError **error)
{
  (void)error;
  WuFtpdPolicy *policy = g_new(WuFtpdPolicy, 1);
  policy->port_allow = param_set_int(params, KEY_SERVER_PORT_ALLOW) != 0;
  return policy;
}

static FtpReply wu_ftpd_check_port(gconstpointer state, const PortRequest *request)
{
  const WuFtpdPolicy *policy = state;
  const gboolean address_ok = request->address == request->peer_address || policy->port_allow;
  if (!address_ok || request->port < FIRST_UNPRIVILEGED_PORT)
    return request->extended ? (FtpReply){502, "Illegal EPRT Command"} : (FtpReply){502, "Illegal PORT Command"};
  return request->extended ? (FtpReply){200, "EPRT command successful."} : (FtpReply){200, "PORT command successful."};
}

/* BSD ftpd's dataconn(), which wu-ftpd keeps: bind port L-1 = 20, connect at the data command; a failure is
 * perror_reply(425, "Can't build data connection"), the strerror() of the connect. EADDRINUSE (a 4-tuple in
 * TIME_WAIT) is retried every swaitint seconds up to swaitmax (90 s) before that reply: the wait is not
 * modelled. After a refused PORT, usedefault sends the data to the client's control port, where nothing
 * listens: the same 425, "Connection refused". The texts are strerror()'s (NetBSD and glibc agree). */
#define CANT_BUILD(reason)                                                                                             \
  {                                                                                                                    \
    425, "Can't build data connection: " reason "."                                                                    \
  }
static const DataPhase wu_ftpd_data_phase_table = {
    .source = DATA_SOURCE_PORT_20,
    .connect = CONNECT_AT_DATA_COMMAND,
    .opening = {150, "Opening BINARY mode data connection."},
    .opening_connected = {125, "Data connection already open; transfer starting."},
    .complete = {226, "Transfer complete."},
    .connect_failed = {[DATA_FAILURE_REFUSED] = CANT_BUILD("Connection refused"),
                       [DATA_FAILURE_UNREACHABLE] = CANT_BUILD("Connection timed out"),
                       [DATA_FAILURE_TIME_WAIT] = CANT_BUILD("Address already in use")},
    .no_port = CANT_BUILD("Connection refused"),
};

static const DataPhase *wu_ftpd_data_phase(gconstpointer state, const PortRequest *request)
{
  (void)state;
  (void)request;
  return &wu_ftpd_data_phase_table;
}

const ServerPolicy server_policy_wu_ftpd = {
    .name = "wu-ftpd",
    .summary = "502 for a port below 1024 (port 20 too) or a foreign address not in a port-allow class; 200 "
               "otherwise; data from port 20",
    .source = "wu-ftpd 2.6.2/2.8 src/ftpcmd.y (PORT, EPRT: port_allowed, IPPORT_RESERVED)",
    .params = wu_ftpd_params,
    .assumptions = wu_ftpd_assumptions,
    .create = wu_ftpd_create,
    .check_port = wu_ftpd_check_port,
    .data_phase = wu_ftpd_data_phase,
    .destroy = g_free,
};
