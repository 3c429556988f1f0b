/* A server with active mode switched off, as RFC 2577 s3 allows ("disabling PORT"): every PORT is
 * refused whatever it names. The reply is the one vsftpd sends with port_enable=NO, where PORT falls
 * through to the list of known but forbidden commands: "550 Permission denied." (postlogin.c). */
#include "server_policy.h"

static FtpReply pasv_only_check_port(gconstpointer state, const PortRequest *request)
{
  (void)state;
  (void)request;
  return (FtpReply){550, "Permission denied."};
}

const ServerPolicy server_policy_pasv_only = {
    .name = "pasv-only",
    .summary = "refuses every PORT with 550 (active mode disabled)",
    .source = "RFC 2577 s3 (disable PORT); reply as vsftpd port_enable=NO (postlogin.c); data phase assumed (port 20, "
              "RFC 959 texts)",
    .check_port = pasv_only_check_port,
};
