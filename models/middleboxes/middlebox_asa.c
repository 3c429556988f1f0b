/* Cisco ASA `inspect ftp` (PIX `fixup protocol ftp`), with and without `strict`.
 *
 * Cisco's configuration guide, "FTP Inspection" / "Using the strict Option": with strict, "the negotiated
 * dynamic port value is checked to see if it is less than 1024 ... If so, the TCP connection is freed":
 * the control connection is torn down and no reply code reaches the client. Without strict the ASA opens
 * the data connection's pinhole for the PORT's address and port and lets the command through. Strict's
 * other checks (5 commas, CR/LF, PORT only from the client, one command at a time) never fail for this
 * simulator's well-formed clients. The port checked is the one the PORT names when it reaches the ASA
 * (after any NAT before it on the route). */
#include "middlebox.h"

#include "param_keys.h"

static const ParamSpec asa_params[] = {
    {.key = KEY_MIDDLEBOX_STRICT,
     .type = PARAM_INT,
     .min = 0,
     .max = 1,
     .default_value = "0",
     .help = "asa: 1 is `inspect ftp strict`: a PORT/EPRT naming a port below 1024 tears the control connection "
             "down, with no reply to the client"},
    {.key = NULL},
};

static gpointer asa_create(const ParamSet *params, GError **error)
{
  (void)error;
  return GINT_TO_POINTER(param_set_int(params, KEY_MIDDLEBOX_STRICT) != 0);
}

static MiddleboxVerdict asa_on_port(gpointer state, MiddleboxPort *port)
{
  const gboolean strict = GPOINTER_TO_INT(state);
  if (strict && port->request.port < 1024)
    return (MiddleboxVerdict){.action = MIDDLEBOX_CLOSE};
  return (MiddleboxVerdict){.action = MIDDLEBOX_PASS};
}

const MiddleboxModel middlebox_asa = {
    .name = "asa",
    .summary = "Cisco ASA inspect ftp: passes PORT/EPRT and opens the data pinhole; with middlebox.strict=1 a port "
               "below 1024 tears the control connection down (no reply reaches the client)",
    .source = "Cisco ASA configuration guide, FTP inspection, strict option (PIX: fixup protocol ftp strict)",
    .params = asa_params,
    .create = asa_create,
    .on_port = asa_on_port,
};
