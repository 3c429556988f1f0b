/* Microsoft IIS 7 to 10 FTP service (FTP 7.0/7.5, Windows Server 2008 to 2022). The PORT address must be
 * the client's own while system.ftpServer/security/dataChannelSecurity matchClientAddressForPort is true
 * (its default); no rule on the port is documented, so every port is accepted, 20 and below 1024 too.
 * KB 2505047: FTP 7.5 connects to the named port BEFORE it replies "200 PORT command successful.", so a
 * connection that fails shows in the PORT reply itself (a 425). EPRT (RFC 2428) is implemented from
 * FTP 7.0 and follows the same rule. Undocumented, and so assumptions: the reject text, the 425's text,
 * the EPRT texts and the port the server connects from (20). */
#include "server_policy.h"

static const ParamSpec iis7_params[] = {
    {.key = KEY_SERVER_MATCH_CLIENT_ADDRESS,
     .type = PARAM_INT,
     .min = 0,
     .max = 1,
     .default_value = "1",
     .help = "IIS 7-10 dataChannelSecurity matchClientAddressForPort: 1 (the default, IIS settings schema) refuses a "
             "PORT/EPRT address other than the client's, 0 accepts it"},
    {.key = NULL},
};

static const char *const iis7_assumptions[] = {
    "the reject text '501 Server cannot accept argument.' is not documented",
    "no privileged-port rule is documented: every port is accepted",
    "EPRT texts '200 EPRT command successful.' and the same 501 are not documented",
    "the PORT reply when the connection made before it fails: '425 Can't open data connection.' (code from KB "
    "2505047, text not documented)",
    "the data connection comes from port 20 (not documented); other data-phase texts are RFC 959's",
    NULL,
};

typedef struct {
  gboolean match_client_address;
} Iis7Settings;

static gpointer iis7_create(const ParamSet *params, GError **error)
{
  (void)error;
  Iis7Settings *settings = g_new(Iis7Settings, 1);
  settings->match_client_address = param_set_int(params, KEY_SERVER_MATCH_CLIENT_ADDRESS) != 0;
  return settings;
}

static FtpReply iis7_check_port(gconstpointer state, const PortRequest *request)
{
  const Iis7Settings *settings = state;
  if (settings->match_client_address && request->address != request->peer_address)
    return (FtpReply){501, "Server cannot accept argument."};
  return request->extended ? (FtpReply){200, "EPRT command successful."} : (FtpReply){200, "PORT command successful."};
}

static const DataPhase *iis7_data_phase(gconstpointer state, const PortRequest *request)
{
  (void)state;
  (void)request;
  return data_phase_assumed_for(DATA_SOURCE_PORT_20, CONNECT_BEFORE_PORT_REPLY);
}

const ServerPolicy server_policy_iis7 = {
    .name = "iis7",
    .summary = "IIS 7-10: 501 for a foreign address (matchClientAddressForPort, default on), any port accepted; "
               "connects before replying 200, or 425",
    .source = "IIS configuration reference system.ftpServer/security/dataChannelSecurity; Microsoft KB 2505047 "
              "(FTP 7.5 connects before the PORT reply)",
    .params = iis7_params,
    .assumptions = iis7_assumptions,
    .create = iis7_create,
    .check_port = iis7_check_port,
    .data_phase = iis7_data_phase,
    .destroy = g_free,
};
