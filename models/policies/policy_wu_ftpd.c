/* wu-ftpd 2.6/2.8 (src/ftpcmd.y, the PORT and EPRT rules): a PORT is accepted only when its port is
 * IPPORT_RESERVED (1024) or above AND its address is the control connection's peer or matches a
 * `port-allow` class of ftpaccess (port_allowed()); one test, one reply, "502 Illegal PORT Command"
 * (EPRT: "502 Illegal EPRT Command"). Port 20 gets no exemption. Accepted: "200 PORT command
 * successful." / "200 EPRT command successful.". EPRT exists only in builds with INET6; this model is
 * such a build. ftpaccess has no port-allow line by default: server.port_allow=0.
 * Data phase: below, as the BSD ftpd it comes from. */
#include "server_policy.h"
#include "data_phase_bsd_ftpd.h"

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

const ServerPolicy server_policy_wu_ftpd = {
    .name = "wu-ftpd",
    .summary = "502 for a port below 1024 (port 20 too) or a foreign address not in a port-allow class; 200 "
               "otherwise; data from port 20",
    .source = "wu-ftpd 2.6.2/2.8 src/ftpcmd.y (PORT, EPRT: port_allowed, IPPORT_RESERVED)",
    .params = wu_ftpd_params,
    .assumptions = wu_ftpd_assumptions,
    .create = wu_ftpd_create,
    .check_port = wu_ftpd_check_port,
    .data_phase = data_phase_bsd_ftpd_for, /* data_phase_bsd_ftpd.c */
    .destroy = g_free,
};
