/* vsftpd 3.0.3 (Debian bookworm 3.0.3-13), default configuration: postlogin.c handle_port() and
 * handle_eprt() reject, unless port_promiscuous=YES, a PORT/EPRT whose address differs from the
 * control connection's peer OR whose port is reserved (vsf_sysutil_is_port_reserved: port < 1024,
 * port 20 included) - one test, one reply, so the order of the two checks cannot be observed.
 * Texts as measured on the real server (tests/conformance): "500 Illegal PORT command.",
 * "500 Illegal EPRT command.", "200 PORT command successful. Consider using PASV.",
 * "200 EPRT command successful. Consider using EPSV."
 * Data phase (measured with LIST/NLST): connect_from_port_20=NO (the compiled default, tunables.c; the
 * conformance suite's setting) connects from an ephemeral port, YES (Debian's shipped vsftpd.conf) from
 * port 20; "150 Here comes the directory listing." then "226 Directory send OK."; nothing listening:
 * "425 Failed to establish connection." (the session goes on); a data command after a refused PORT:
 * "425 Use PORT or PASV first.". With port_promiscuous=YES the data command ends the session (vsftpd's
 * die(), "500 OOPS: ..."): for a port below 1024 "500 OOPS: Illegal port request" (checked first), else
 * with connect_from_port_20=YES "500 OOPS: vsf_sysutil_bind". Not measured, assumed the same text: a connection that
 * times out (unreachable address) or meets TIME_WAIT. vsftpd gives a data connect connect_timeout=60 s
 * (tunables.c; vsftpd.conf(5): "the maximum amount of time a client using active mode has to respond"). RETR/STOR's 150
 * texts differ and are not modelled. */
#include "server_policy.h"

#define FIRST_UNRESERVED_PORT 1024 /* IPPORT_RESERVED */

static const ParamSpec vsftpd_params[] = {
    {.key = "server.port_promiscuous",
     .type = PARAM_INT,
     .min = 0,
     .max = 1,
     .default_value = "0",
     .help = "vsftpd port_promiscuous: 1 turns off the PORT/EPRT address and port checks"},
    {.key = "server.connect_from_port_20",
     .type = PARAM_INT,
     .min = 0,
     .max = 1,
     .default_value = "0",
     .help = "vsftpd connect_from_port_20: 1 connects data from port 20 (Debian's vsftpd.conf), 0 from an ephemeral "
             "port (compiled default, tunables.c)"},
    {.key = NULL},
};

typedef struct {
  gboolean promiscuous;
  gboolean connect_from_port_20;
} VsftpdPolicy;

#define VSFTPD_DATA_PHASE(source_port, ...) /* ...: the fatal reply, {0} for none */                                   \
  {                                                                                                                    \
    .source = source_port, .connect = CONNECT_AT_DATA_COMMAND, .opening = {150, "Here comes the directory listing."},  \
    .complete = {226, "Directory send OK."},                                                                           \
    .connect_failed = {[DATA_FAILURE_REFUSED] = {425, "Failed to establish connection."},                              \
                       [DATA_FAILURE_UNREACHABLE] = {425, "Failed to establish connection."},                          \
                       [DATA_FAILURE_TIME_WAIT] = {425, "Failed to establish connection."}},                           \
    .no_port = {425, "Use PORT or PASV first."}, .connect_timeout = 60, .fatal = __VA_ARGS__                           \
  }

static const DataPhase vsftpd_ephemeral = VSFTPD_DATA_PHASE(DATA_SOURCE_EPHEMERAL, {0});
static const DataPhase vsftpd_port_20 = VSFTPD_DATA_PHASE(DATA_SOURCE_PORT_20, {0});
static const DataPhase vsftpd_bind_fails = VSFTPD_DATA_PHASE(DATA_SOURCE_PORT_20, {500, "OOPS: vsf_sysutil_bind"});
static const DataPhase vsftpd_illegal_port =
    VSFTPD_DATA_PHASE(DATA_SOURCE_EPHEMERAL, {500, "OOPS: Illegal port request"});

static gpointer vsftpd_create(const ParamSet *params, GError **error)
{
  (void)error;
  VsftpdPolicy *policy = g_new(VsftpdPolicy, 1);
  policy->promiscuous = param_set_int(params, "server.port_promiscuous") != 0;
  policy->connect_from_port_20 = param_set_int(params, "server.connect_from_port_20") != 0;
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

static const DataPhase *vsftpd_data_phase(gconstpointer state, const PortRequest *request)
{
  const VsftpdPolicy *policy = state;
  /* The port is checked before the bind (measured: port 1000 gets "Illegal port request" either way). */
  if (policy->promiscuous && request->port < FIRST_UNRESERVED_PORT)
    return &vsftpd_illegal_port;
  if (policy->promiscuous && policy->connect_from_port_20)
    return &vsftpd_bind_fails;
  return policy->connect_from_port_20 ? &vsftpd_port_20 : &vsftpd_ephemeral;
}

const ServerPolicy server_policy_vsftpd = {
    .name = "vsftpd",
    .summary = "500 for a foreign address or a port below 1024 (port 20 too) unless port_promiscuous; 200 otherwise; "
               "data from an ephemeral port (or 20: connect_from_port_20); promiscuous data commands may end the "
               "session (500 OOPS)",
    .source = "vsftpd 3.0.3 postlogin.c handle_port/handle_eprt; measured on Debian 12's vsftpd",
    .params = vsftpd_params,
    .create = vsftpd_create,
    .check_port = vsftpd_check_port,
    .data_phase = vsftpd_data_phase,
    .destroy = g_free,
};
