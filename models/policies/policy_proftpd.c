/* ProFTPD 1.3.8 (Debian bookworm 1.3.8+dfsg-4), default configuration: mod_core.c core_port() and
 * core_eprt() first refuse an address other than the control connection's peer unless
 * AllowForeignAddress is on ("Refused PORT ... (address mismatch)"), then refuse any port below
 * 1024 ("possible bounce attack"), with no knob for the second check. Both refusals send the same
 * text, so only "500 Illegal PORT command" / "500 Illegal EPRT command" is observable.
 * Accepted: "200 PORT command successful" / "200 EPRT command successful" (measured).
 * Data phase (measured with NLST): from an ephemeral port; "150 Opening ASCII mode data connection for
 * file list" then "226 Transfer complete"; nothing listening, and a data command after a refused PORT:
 * "425 Unable to build data connection: Connection refused" (the session goes on). With
 * AllowForeignAddress on, a reachable foreign address transfers. The 425 text ends with strerror(errno):
 * "Connection timed out" for an unreachable address is derived, not measured. */
#include "server_policy.h"

#define FIRST_UNPRIVILEGED_PORT 1024

static const ParamSpec proftpd_params[] = {
    {.key = "server.allow_foreign_address",
     .type = PARAM_INT,
     .min = 0,
     .max = 1,
     .default_value = "0",
     .help = "ProFTPD AllowForeignAddress: 1 accepts a PORT/EPRT address other than the client's"},
    {.key = NULL},
};

typedef struct {
  gboolean allow_foreign_address;
} ProftpdPolicy;

static gpointer proftpd_create(const ParamSet *params, GError **error)
{
  (void)error;
  ProftpdPolicy *policy = g_new(ProftpdPolicy, 1);
  policy->allow_foreign_address = param_set_int(params, "server.allow_foreign_address") != 0;
  return policy;
}

static FtpReply proftpd_refusal(const PortRequest *request)
{
  return request->extended ? (FtpReply){500, "Illegal EPRT command"} : (FtpReply){500, "Illegal PORT command"};
}

static FtpReply proftpd_check_port(gconstpointer state, const PortRequest *request)
{
  const ProftpdPolicy *policy = state;
  if (!policy->allow_foreign_address && request->address != request->peer_address)
    return proftpd_refusal(request);
  if (request->port < FIRST_UNPRIVILEGED_PORT)
    return proftpd_refusal(request);
  return request->extended ? (FtpReply){200, "EPRT command successful"} : (FtpReply){200, "PORT command successful"};
}

static const DataPhase proftpd_data_phase_table = {
    .source = DATA_SOURCE_EPHEMERAL,
    .connect = CONNECT_AT_DATA_COMMAND,
    .opening = {150, "Opening ASCII mode data connection for file list"},
    .complete = {226, "Transfer complete"},
    .connect_failed = {[DATA_FAILURE_REFUSED] = {425, "Unable to build data connection: Connection refused"},
                       [DATA_FAILURE_UNREACHABLE] = {425, "Unable to build data connection: Connection timed out"},
                       [DATA_FAILURE_TIME_WAIT] = {425, "Unable to build data connection: Cannot assign requested "
                                                        "address"}},
    .no_port = {425, "Unable to build data connection: Connection refused"},
};

static const DataPhase *proftpd_data_phase(gconstpointer state, const PortRequest *request)
{
  (void)state;
  (void)request;
  return &proftpd_data_phase_table;
}

const ServerPolicy server_policy_proftpd = {
    .name = "proftpd",
    .summary =
        "500 for a foreign address (unless AllowForeignAddress), then 500 for any port below 1024; 200 otherwise; "
        "data from an ephemeral port",
    .source = "ProFTPD 1.3.8 mod_core.c core_port/core_eprt; measured on Debian 12's proftpd-core",
    .params = proftpd_params,
    .create = proftpd_create,
    .check_port = proftpd_check_port,
    .data_phase = proftpd_data_phase,
    .destroy = g_free,
};
