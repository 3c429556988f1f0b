/* Microsoft IIS 5 FTP service (Windows 2000). KB Q147621: the FTP service "does not make any
 * connections to ports less than IP_PORT_RESERVED (1024) (other than 20)"; from IIS 4 on (KB Q185378)
 * the PORT address must also be the control connection's own. The registry value EnablePortAttack
 * (MSFTPSVC\Parameters, REG_DWORD, default 0) switches both checks off. The rules are IIS 4's
 * (policy_iis4.c), and so is the knob, server.enable_port_attack; what this table adds is what IIS 5
 * does not document: its reply texts (assumed to be the Microsoft FTP Service's "500 Invalid PORT
 * Command." seen in KB Q140424, and "200 PORT command successful.") and EPRT, which IIS 5 does not
 * implement (RFC 2428 support came with IIS 7): an unknown command, answered as the Microsoft FTP
 * Service answers one, "500 'CMD ARGS': command not understood" (assumed text). */
#include "server_policy.h"

#define FIRST_UNPRIVILEGED_PORT 1024 /* IP_PORT_RESERVED */

static const ParamSpec iis5_params[] = {
    {.key = KEY_SERVER_ENABLE_PORT_ATTACK,
     .type = PARAM_INT,
     .min = 0,
     .max = 1,
     .default_value = "0",
     .help = "IIS EnablePortAttack: 1 accepts PORT to any address and port (MSFTPSVC\\Parameters REG_DWORD, "
             "default 0: KB Q147621)"},
    {.key = NULL},
};

static const char *const iis5_assumptions[] = {
    "the reject text '500 Invalid PORT Command.' is NT 3.51 SP2's (KB Q140424); IIS 5's is not documented",
    "the accept text '200 PORT command successful.' is IIS 7.5's (KB 2505047)",
    "EPRT is an unknown command to IIS 5: '500 'EPRT |1|addr|port|': command not understood' (text not documented)",
    "data phase: port 20, at the data command, RFC 959's texts (not documented)",
    NULL,
};

typedef struct {
  gboolean enable_port_attack;
} Iis5Settings;

static gpointer iis5_create(const ParamSet *params, GError **error)
{
  (void)error;
  Iis5Settings *settings = g_new(Iis5Settings, 1);
  settings->enable_port_attack = param_set_int(params, KEY_SERVER_ENABLE_PORT_ATTACK) != 0;
  return settings;
}

static FtpReply iis5_check_port(gconstpointer state, const PortRequest *request)
{
  const Iis5Settings *settings = state;
  if (request->extended) /* whatever the knob: IIS 5 has no EPRT */
    return (FtpReply){500, "'EPRT |1|{address}|{port}|': command not understood"};
  if (!settings->enable_port_attack && (request->address != request->peer_address ||
                                        (request->port < FIRST_UNPRIVILEGED_PORT && request->port != FTP_DATA_PORT)))
    return (FtpReply){500, "Invalid PORT Command."};
  return (FtpReply){200, "PORT command successful."};
}

const ServerPolicy server_policy_iis5 = {
    .name = "iis5",
    .summary = "IIS 4's rules: 500 unless the address is the client's own and the port is >= 1024 or 20; "
               "EnablePortAttack off; EPRT unknown (500)",
    .source = "Microsoft KB Q147621 (ports < 1024 except 20), KB Q185378 (address, EnablePortAttack)",
    .params = iis5_params,
    .assumptions = iis5_assumptions,
    .create = iis5_create,
    .check_port = iis5_check_port,
    .destroy = g_free,
};
