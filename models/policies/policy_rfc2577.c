/* RFC 2577 ("FTP Security Considerations") s3, protecting against the bounce attack: servers should
 * not open data connections to TCP ports below 1024, and the suggested reply to such a PORT is 504,
 * "Command not implemented for that parameter" (RFC 959 s4.2). s3 states no rule on the address, so
 * this policy checks the port only. Reply texts are RFC 959's standard ones. */
#include "server_policy.h"

#define FIRST_UNPRIVILEGED_PORT 1024

static FtpReply rfc2577_check_port(gconstpointer state, const PortRequest *request)
{
  (void)state;
  if (request->port < FIRST_UNPRIVILEGED_PORT)
    return (FtpReply){504, "Command not implemented for that parameter."};
  return (FtpReply){200, "Command okay."};
}

const ServerPolicy server_policy_rfc2577 = {
    .name = "rfc2577",
    .summary = "504 for ports below 1024, any address; 200 otherwise",
    .source = "RFC 2577 s3 (bounce attack), reply texts from RFC 959 s4.2; data phase assumed (port 20, RFC 959 texts)",
    .check_port = rfc2577_check_port,
};
