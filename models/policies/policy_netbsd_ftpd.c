/* NetBSD ftpd / tnftpd (src/ftpcmd.y, conf.c): with the class option `checkportcmd`, which conf.c's
 * init_curclass() turns ON for every class unless ftpd.conf says `checkportcmd CLASS off`, a PORT is
 * refused when its port is below IPPORT_RESERVED (1024, port 20 included) OR its address is not the
 * control connection's peer: one test, "500 Illegal PORT command rejected" ("500 Illegal EPRT command
 * rejected" for EPRT, which also compares the address family). Accepted: "200 PORT command
 * successful." / "200 EPRT command successful.". Data phase: below. */
#include "server_policy.h"
#include "data_phase_bsd_ftpd.h"

#define FIRST_UNPRIVILEGED_PORT 1024 /* IPPORT_RESERVED */

static const ParamSpec netbsd_ftpd_params[] = {
    {.key = KEY_SERVER_CHECKPORTCMD,
     .type = PARAM_INT,
     .min = 0,
     .max = 1,
     .default_value = "1",
     .help = "NetBSD ftpd/tnftpd checkportcmd: 1 refuses a PORT/EPRT to a port below 1024 or to another address "
             "(on for every class by default: conf.c init_curclass), 0 = 'checkportcmd CLASS off'"},
    {.key = NULL},
};

static const char *const netbsd_ftpd_assumptions[] = {
    "the 150 text is RFC 959's: the real one names the file and its size",
    "a 4-tuple in TIME_WAIT is retried for up to 90 s (swaitmax) before the 425: the wait is not modelled",
    NULL,
};

typedef struct {
  gboolean checkportcmd;
} NetbsdFtpdPolicy;

static gpointer netbsd_ftpd_create(const ParamSet *params, GError **error)
{
  (void)error;
  NetbsdFtpdPolicy *policy = g_new(NetbsdFtpdPolicy, 1);
  policy->checkportcmd = param_set_int(params, KEY_SERVER_CHECKPORTCMD) != 0;
  return policy;
}

static FtpReply netbsd_ftpd_check_port(gconstpointer state, const PortRequest *request)
{
  const NetbsdFtpdPolicy *policy = state;
  if (policy->checkportcmd && (request->port < FIRST_UNPRIVILEGED_PORT || request->address != request->peer_address))
    return request->extended ? (FtpReply){500, "Illegal EPRT command rejected"}
                             : (FtpReply){500, "Illegal PORT command rejected"};
  return request->extended ? (FtpReply){200, "EPRT command successful."} : (FtpReply){200, "PORT command successful."};
}

const ServerPolicy server_policy_netbsd_ftpd = {
    .name = "netbsd-ftpd",
    .summary = "checkportcmd (on by default): 500 for a port below 1024 (port 20 too) or a foreign address; 200 "
               "otherwise; data from port 20",
    .source = "NetBSD ftpd / tnftpd src/ftpcmd.y (PORT, EPRT) and conf.c init_curclass (checkportcmd on)",
    .params = netbsd_ftpd_params,
    .assumptions = netbsd_ftpd_assumptions,
    .create = netbsd_ftpd_create,
    .check_port = netbsd_ftpd_check_port,
    .data_phase = data_phase_bsd_ftpd_for, /* data_phase_bsd_ftpd.c */
    .destroy = g_free,
};
