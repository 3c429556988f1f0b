/* IBM z/OS Communications Server FTP server, FTP.DATA statements (IP Configuration Reference):
 * PORTCOMMAND ACCEPT|REJECT (default ACCEPT) refuses every PORT and EPRT; PORTCOMMANDPORT NOLOWPORTS
 * refuses a port below 1024 (default UNRESTRICTED); PORTCOMMANDIPADDR NOREDIRECT refuses an address other
 * than the client's (default UNRESTRICTED). A refusal is a 504 reply (IP Diagnosis Guide, "Server rejects
 * PORT or EPRT command with 504 replies"), whose text IP and SNA Codes' list of FTPD 504 replies gives as
 * "504: Port command not implemented for that parameter"; the accepted reply's text is not documented. With the
 * defaults the server accepts every PORT: the KB's AS/400 would never be refused. Data phase: the server's
 * data port is 20 (the TCP/IP profile reserves it for FTPD), at the data command, RFC 959's texts. */
#include "server_policy.h"

#define FIRST_UNPRIVILEGED_PORT 1024

static const char *const portcommand_names[] = {ZOS_PORTCOMMAND_CHOICES(CHOICE_NAME) NULL};
static const char *const portcommandport_names[] = {ZOS_PORTCOMMANDPORT_CHOICES(CHOICE_NAME) NULL};
static const char *const portcommandipaddr_names[] = {ZOS_PORTCOMMANDIPADDR_CHOICES(CHOICE_NAME) NULL};

static const ParamSpec zos_params[] = {
    {.key = KEY_SERVER_PORTCOMMAND,
     .type = PARAM_CHOICE,
     .default_value = "accept",
     .choices = portcommand_names,
     .help =
         "z/OS FTP.DATA PORTCOMMAND: accept (the default, IP Configuration Reference) or reject every PORT/EPRT (504)"},
    {.key = KEY_SERVER_PORTCOMMANDPORT,
     .type = PARAM_CHOICE,
     .default_value = "unrestricted",
     .choices = portcommandport_names,
     .help = "z/OS FTP.DATA PORTCOMMANDPORT: unrestricted (the default, IP Configuration Reference) or nolowports (504 "
             "for a port below 1024)"},
    {.key = KEY_SERVER_PORTCOMMANDIPADDR,
     .type = PARAM_CHOICE,
     .default_value = "unrestricted",
     .choices = portcommandipaddr_names,
     .help = "z/OS FTP.DATA PORTCOMMANDIPADDR: unrestricted (the default, IP Configuration Reference) or noredirect "
             "(504 for an address other than the client's)"},
    {.key = NULL},
};

static const char *const zos_assumptions[] = {
    "the 504 text 'Port command not implemented for that parameter' (IBM's list of FTPD 504 replies) is taken for "
    "all three statements and for EPRT: the list does not say which statement sends which 504",
    "the accepted replies' texts '200 Port request OK.' and '200 EPRT request OK.' are not documented",
    "data phase: port 20, at the data command, RFC 959's texts (not documented)",
    NULL,
};

typedef struct {
  gboolean reject_all;
  gboolean no_low_ports;
  gboolean no_redirect;
} ZosPolicy;

static gpointer zos_create(const ParamSet *params, GError **error)
{
  (void)error;
  ZosPolicy *policy = g_new(ZosPolicy, 1);
  policy->reject_all = param_set_choice(params, KEY_SERVER_PORTCOMMAND) == ZOS_PORTCOMMAND_REJECT;
  policy->no_low_ports = param_set_choice(params, KEY_SERVER_PORTCOMMANDPORT) == ZOS_PORTCOMMANDPORT_NOLOWPORTS;
  policy->no_redirect = param_set_choice(params, KEY_SERVER_PORTCOMMANDIPADDR) == ZOS_PORTCOMMANDIPADDR_NOREDIRECT;
  return policy;
}

static FtpReply zos_check_port(gconstpointer state, const PortRequest *request)
{
  const ZosPolicy *policy = state;
  if (policy->reject_all || (policy->no_low_ports && request->port < FIRST_UNPRIVILEGED_PORT) ||
      (policy->no_redirect && request->address != request->peer_address))
    return (FtpReply){504, "Port command not implemented for that parameter"};
  return request->extended ? (FtpReply){200, "EPRT request OK."} : (FtpReply){200, "Port request OK."};
}

const ServerPolicy server_policy_zos = {
    .name = "zos",
    .summary = "IBM z/OS FTP server: accepts every PORT by default; 504 with PORTCOMMAND reject, for a port below "
               "1024 with PORTCOMMANDPORT nolowports, for a foreign address with PORTCOMMANDIPADDR noredirect",
    .source = "z/OS Communications Server IP Configuration Reference (FTP.DATA PORTCOMMAND, PORTCOMMANDPORT, "
              "PORTCOMMANDIPADDR); IP Diagnosis Guide (504 replies); IP and SNA Codes (FTPD 504 reply codes)",
    .params = zos_params,
    .assumptions = zos_assumptions,
    .create = zos_create,
    .check_port = zos_check_port,
    .destroy = g_free,
};
