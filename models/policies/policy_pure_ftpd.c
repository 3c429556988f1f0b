/* pure-ftpd 1.0.50 (Debian bookworm 1.0.50-2.1): ftpd.c doport2() checks the port first - any port
 * below 1024 gets "501 Sorry, but I won't connect to ports < 1024", with no knob - then refuses an
 * address other than the control connection's peer unless FXP is allowed (-w for users, -W for
 * anonymous sessions): "500 I won't open a connection to A (only to B)". EPRT goes through the same
 * function and gets the same texts, "200 PORT command successful" included (measured).
 * With FXP allowed, an accepted foreign address gets a two-line reply whose first line is
 * "200-FXP transfer: from X to Y" (the DataPhase's foreign_preamble; check_port gives the last line).
 * Data phase (measured with NLST): from port 20; "150 Connecting to port N" then "226 N matches total",
 * N the names the NLST sent: the folder's entries plus "." and ".." (measured: 21 bytes, ".", "..", a.txt and
 * b.txt for a folder of two files), so {n} renders as files + listing_dot_entries; nothing listening: "425 Could not
 * open data connection to port N: Connection refused"; a data command after a refused PORT: "425 No data connection".
 * The 425 ends with strerror(errno): timed out (unreachable) and EADDRNOTAVAIL (TIME_WAIT) are derived. The texts hold
 * {address}, {port} and {peer_address} placeholders: see server_policy_render_text(). */
#include "server_policy.h"

#define FIRST_UNPRIVILEGED_PORT 1024

static const ParamSpec pure_ftpd_params[] = {
    {.key = "server.fxp",
     .type = PARAM_INT,
     .min = 0,
     .max = 1,
     .default_value = "0",
     .help = "pure-ftpd -w/-W (FXP): 1 accepts a PORT/EPRT address other than the client's"},
    {.key = NULL},
};

typedef struct {
  gboolean fxp;
} PureFtpdPolicy;

static gpointer pure_ftpd_create(const ParamSet *params, GError **error)
{
  (void)error;
  PureFtpdPolicy *policy = g_new(PureFtpdPolicy, 1);
  policy->fxp = param_set_int(params, "server.fxp") != 0;
  return policy;
}

static FtpReply pure_ftpd_check_port(gconstpointer state, const PortRequest *request)
{
  const PureFtpdPolicy *policy = state;
  if (request->port < FIRST_UNPRIVILEGED_PORT)
    return (FtpReply){501, "Sorry, but I won't connect to ports < 1024"};
  if (!policy->fxp && request->address != request->peer_address)
    return (FtpReply){500, "I won't open a connection to {address} (only to {peer_address})"};
  return (FtpReply){200, "PORT command successful"};
}

static const DataPhase pure_ftpd_data_phase_table = {
    .source = DATA_SOURCE_PORT_20,
    .connect = CONNECT_AT_DATA_COMMAND,
    .foreign_preamble = "FXP transfer: from {peer_address} to {address}",
    .opening = {150, "Connecting to port {port}"},
    .complete = {226, "{n} matches total"},
    .connect_failed = {[DATA_FAILURE_REFUSED] = {425, "Could not open data connection to port {port}: Connection "
                                                      "refused"},
                       [DATA_FAILURE_UNREACHABLE] = {425, "Could not open data connection to port {port}: Connection "
                                                          "timed out"},
                       [DATA_FAILURE_TIME_WAIT] = {425, "Could not open data connection to port {port}: Cannot assign "
                                                        "requested address"}},
    .no_port = {425, "No data connection"},
    .listing_dot_entries = 2,
};

static const DataPhase *pure_ftpd_data_phase(gconstpointer state, const PortRequest *request)
{
  (void)state;
  (void)request;
  return &pure_ftpd_data_phase_table;
}

const ServerPolicy server_policy_pure_ftpd = {
    .name = "pure-ftpd",
    .summary = "501 for any port below 1024 (checked first), 500 for a foreign address unless FXP; 200 otherwise; "
               "data from port 20",
    .source = "pure-ftpd 1.0.50 src/ftpd.c doport2, messages_en.h; measured on Debian 12's pure-ftpd",
    .params = pure_ftpd_params,
    .create = pure_ftpd_create,
    .check_port = pure_ftpd_check_port,
    .data_phase = pure_ftpd_data_phase,
    .destroy = g_free,
};
