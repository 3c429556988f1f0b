/* Windows NT 3.51 Service Pack 2 FTP server: a PORT naming a TCP port below 1024 is rejected with
 * "500 Invalid PORT Command." (KB Q140424, "by design"). Port 20 is not exempt here; IIS 4 added that. */
#include "server_policy.h"

#define FIRST_UNPRIVILEGED_PORT 1024

static FtpReply nt351sp2_check_port(gconstpointer state, const PortRequest *request)
{
  (void)state;
  if (request->port < FIRST_UNPRIVILEGED_PORT)
    return (FtpReply){500, "Invalid PORT Command."};
  return (FtpReply){200, "PORT command successful."};
}

const ServerPolicy server_policy_nt351sp2 = {
    .name = "nt351sp2",
    .summary = "rejects ports below 1024 with 500, accepts the rest (200)",
    .source = "Microsoft KB Q140424: Windows NT 3.51 SP2 FTP server; data phase assumed (port 20, RFC 959 texts)",
    .check_port = nt351sp2_check_port,
};
