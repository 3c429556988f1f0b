/* vsftpd 3.0.3 (Debian bookworm 3.0.3-13), default configuration: postlogin.c handle_port() and
 * handle_eprt() reject, unless port_promiscuous=YES, a PORT/EPRT whose address differs from the
 * control connection's peer OR whose port is reserved (vsf_sysutil_is_port_reserved: port < 1024,
 * port 20 included) - one test, one reply, so the order of the two checks cannot be observed.
 * Texts as measured on the real server (tests/conformance): "500 Illegal PORT command.",
 * "500 Illegal EPRT command.", "200 PORT command successful. Consider using PASV.",
 * "200 EPRT command successful. Consider using EPSV." */
#include "server_policy.h"

#define FIRST_UNRESERVED_PORT 1024 /* IPPORT_RESERVED */

static const ParamSpec vsftpd_params[] = {
    {.key = "server.port_promiscuous",
     .type = PARAM_INT,
     .min = 0,
     .max = 1,
     .default_value = "0",
     .help = "vsftpd port_promiscuous: 1 turns off the PORT/EPRT address and port checks"},
    {.key = NULL},
};

typedef struct {
  gboolean promiscuous;
} VsftpdPolicy;

static gpointer vsftpd_create(const ParamSet *params, GError **error)
{
  (void)error;
  VsftpdPolicy *policy = g_new(VsftpdPolicy, 1);
  policy->promiscuous = param_set_int(params, "server.port_promiscuous") != 0;
  return policy;
}

static FtpReply vsftpd_check_port(gconstpointer state, const PortRequest *request)
{
  const VsftpdPolicy *policy = state;
  if (!policy->promiscuous && (request->address != request->peer_address || request->port < FIRST_UNRESERVED_PORT))
    return request->extended ? (FtpReply){500, "Illegal EPRT command."} : (FtpReply){500, "Illegal PORT command."};
  return request->extended ? (FtpReply){200, "EPRT command successful. Consider using EPSV."}
                           : (FtpReply){200, "PORT command successful. Consider using PASV."};
}

const ServerPolicy server_policy_vsftpd = {
    .name = "vsftpd",
    .summary = "500 for a foreign address or a port below 1024 (port 20 too) unless port_promiscuous; 200 otherwise",
    .source = "vsftpd 3.0.3 postlogin.c handle_port/handle_eprt; measured on Debian 12's vsftpd",
    .params = vsftpd_params,
    .create = vsftpd_create,
    .check_port = vsftpd_check_port,
    .destroy = g_free,
};
