/* pyftpdlib 1.5.7 (Debian bookworm python3-pyftpdlib 1.5.7-3): FTPHandler._make_eport() refuses a
 * foreign address first (unless permit_foreign_addresses), then a port below 1024 (unless
 * permit_privileged_ports), both with 501; PORT and EPRT share it. An accepted request is answered
 * only after the server has connected to the named port: "200 Active data connection established.",
 * or "425 Can't connect to specified address." when nothing listens there (or it cannot be reached).
 * Data phase (measured with NLST): from an ephemeral port, connected before the PORT reply; the data
 * command gets "125 Data connection already open. Transfer starting." then "226 Transfer complete.";
 * after a refused (or failed) PORT it gets "150 File status okay. About to open data connection." and
 * the server then holds, waiting for a connection: nothing more comes, the client's timeout ends it.
 * A connection that is not answered: ActiveDTP.timeout = 30 s, then handle_timeout() replies
 * "421 Active data channel timed out." and closes the data channel only (the session goes on; from the
 * source, handlers.py, not measured: loopback always answers).
 * The texts hold {address} and {port} placeholders: see server_policy_render_text(). */
#include "server_policy.h"

#define FIRST_UNPRIVILEGED_PORT 1024

static const ParamSpec pyftpdlib_params[] = {
    {.key = "server.permit_foreign_addresses",
     .type = PARAM_INT,
     .min = 0,
     .max = 1,
     .default_value = "0",
     .help = "pyftpdlib permit_foreign_addresses: 1 accepts a PORT/EPRT address other than the client's"},
    {.key = "server.permit_privileged_ports",
     .type = PARAM_INT,
     .min = 0,
     .max = 1,
     .default_value = "0",
     .help = "pyftpdlib permit_privileged_ports: 1 accepts ports below 1024"},
    {.key = NULL},
};

typedef struct {
  gboolean permit_foreign_addresses;
  gboolean permit_privileged_ports;
} PyftpdlibPolicy;

static gpointer pyftpdlib_create(const ParamSet *params, GError **error)
{
  (void)error;
  PyftpdlibPolicy *policy = g_new(PyftpdlibPolicy, 1);
  policy->permit_foreign_addresses = param_set_int(params, "server.permit_foreign_addresses") != 0;
  policy->permit_privileged_ports = param_set_int(params, "server.permit_privileged_ports") != 0;
  return policy;
}

static FtpReply pyftpdlib_check_port(gconstpointer state, const PortRequest *request)
{
  const PyftpdlibPolicy *policy = state;
  if (!policy->permit_foreign_addresses && request->address != request->peer_address)
    return (FtpReply){501, "Rejected data connection to foreign address {address}:{port}."};
  if (!policy->permit_privileged_ports && request->port < FIRST_UNPRIVILEGED_PORT)
    return (FtpReply){501, "PORT against the privileged port \"{port}\" refused."};
  return (FtpReply){200, "Active data connection established."};
}

static const DataPhase pyftpdlib_data_phase_table = {
    .source = DATA_SOURCE_EPHEMERAL,
    .connect = CONNECT_BEFORE_PORT_REPLY,
    .opening = {150, "File status okay. About to open data connection."},
    .opening_connected = {125, "Data connection already open. Transfer starting."},
    .complete = {226, "Transfer complete."},
    .connect_failed = {[DATA_FAILURE_REFUSED] = {425, "Can't connect to specified address."},
                       [DATA_FAILURE_UNREACHABLE] = {421, "Active data channel timed out."},
                       [DATA_FAILURE_TIME_WAIT] = {425, "Can't connect to specified address."}},
    .no_port = {150, "File status okay. About to open data connection."},
    .no_port_holds = TRUE,
    .connect_timeout = 30,
};

static const DataPhase *pyftpdlib_data_phase(gconstpointer state, const PortRequest *request)
{
  (void)state;
  (void)request;
  return &pyftpdlib_data_phase_table;
}

const ServerPolicy server_policy_pyftpdlib = {
    .name = "pyftpdlib",
    .summary = "501 for a foreign address (checked first), 501 for a port below 1024; each has a permit flag; "
               "connects (ephemeral port) before replying 200, or 425",
    .source = "pyftpdlib 1.5.7 handlers.py FTPHandler._make_eport; measured on Debian 12's python3-pyftpdlib",
    .params = pyftpdlib_params,
    .create = pyftpdlib_create,
    .check_port = pyftpdlib_check_port,
    .data_phase = pyftpdlib_data_phase,
    .destroy = g_free,
};
