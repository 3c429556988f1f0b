/* Microsoft IIS 4 FTP service (KB Q185378): a PORT must name the control connection's own address,
 * and a port of 1024 or above or the server's own data port (L-1 = 20). Both tests sit in one
 * condition with one reply, "500 Invalid PORT Command.", so which one fails first cannot be told on
 * the wire. The registry value EnablePortAttack (default 0) switches the whole test off: the IIS
 * source skips it when the flag is set (MainPORT: if (!IsEnablePortAttack()) { ... }). */
#include "server_policy.h"

#define FIRST_UNPRIVILEGED_PORT 1024 /* IPPORT_RESERVED */

static const ParamSpec iis4_params[] = {
    {.key = "server.enable_port_attack",
     .type = PARAM_INT,
     .min = 0,
     .max = 1,
     .default_value = "0",
     .help = "IIS EnablePortAttack: 1 accepts PORT to any address and port"},
    {.key = NULL},
};

typedef struct {
  gboolean enable_port_attack;
} Iis4Settings;

static gpointer iis4_create(const ParamSet *params, GError **error)
{
  (void)error;
  Iis4Settings *settings = g_new(Iis4Settings, 1);
  settings->enable_port_attack = param_set_int(params, "server.enable_port_attack") != 0;
  return settings;
}

static FtpReply iis4_check_port(gconstpointer state, const PortRequest *request)
{
  const Iis4Settings *settings = state;
  if (!settings->enable_port_attack && (request->address != request->peer_address ||
                                        (request->port < FIRST_UNPRIVILEGED_PORT && request->port != FTP_DATA_PORT)))
    return (FtpReply){500, "Invalid PORT Command."};
  return (FtpReply){200, "PORT command successful."};
}

const ServerPolicy server_policy_iis4 = {
    .name = "iis4",
    .summary = "500 unless the address is the client's own and the port is >= 1024 or 20; EnablePortAttack off",
    .source =
        "Microsoft KB Q185378 (IIS 4 FTP service), IIS ftpsvc MainPORT; data phase assumed (port 20, RFC 959 texts)",
    .params = iis4_params,
    .create = iis4_create,
    .check_port = iis4_check_port,
    .destroy = g_free,
};
