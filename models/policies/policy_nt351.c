/* Windows NT 3.51 FTP server before Service Pack 2: accepts a PORT to any port (KB Q140424 says the
 * check below 1024 arrived with SP2). */
#include "server_policy.h"

static FtpReply nt351_check_port(gconstpointer state, const PortRequest *request)
{
  (void)state;
  (void)request;
  return (FtpReply){200, "PORT command successful."};
}

const ServerPolicy server_policy_nt351 = {
    .name = "nt351",
    .summary = "accepts every port (200)",
    .source =
        "Microsoft KB Q140424: Windows NT 3.51 FTP server before SP2; data phase assumed (port 20, RFC 959 texts)",
    .check_port = nt351_check_port,
};
