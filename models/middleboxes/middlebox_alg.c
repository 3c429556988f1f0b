/* A generic FTP application-level gateway: a PORT/EPRT naming a port inside middlebox.allow passes;
 * any other is rejected with middlebox.reject_code (the client sees that reply, the server never sees
 * the command), dropped (no reply: the client waits for client.reply_timeout) or ends the control
 * connection, as middlebox.action says. As D-Link DFL / Clavister cOS ("Illegal PORT command from
 * <peer>, port <port> not allowed ... Rejecting command"; cOS Stream: "Client port outside configured
 * range"). Those log lines are documented, the reply a client then gets is not: the reply texts here are
 * RFC 959's for each code (an assumption). */
#include "middlebox.h"

#include "param_keys.h"

static const char *const actions[] = {MIDDLEBOX_ACTION_CHOICES(CHOICE_NAME) NULL};
static const char *const reject_codes[] = {MIDDLEBOX_REJECT_CODE_CHOICES(CHOICE_NAME) NULL};

/* RFC 959 s4.2's text for each middlebox.reject_code, in MiddleboxRejectCode order. */
static const FtpReply reject_replies[MIDDLEBOX_REJECT_CODE_COUNT] = {
    [MIDDLEBOX_REJECT_500] = {500, "Syntax error, command unrecognized."},
    [MIDDLEBOX_REJECT_501] = {501, "Syntax error in parameters or arguments."},
    [MIDDLEBOX_REJECT_502] = {502, "Command not implemented."},
    [MIDDLEBOX_REJECT_504] = {504, "Command not implemented for that parameter."},
};

static const ParamSpec alg_params[] = {
    {.key = KEY_MIDDLEBOX_ALLOW,
     .type = PARAM_STRING,
     .default_value = "1024-65535",
     .validate = port_ranges_validate,
     .syntax = "none|PORT[-PORT][,...] (ports 1..65535, up to 64 items, e.g. 1024-65535)",
     .help = "alg: the ports a PORT/EPRT may name; any other meets middlebox.action"},
    {.key = KEY_MIDDLEBOX_ACTION,
     .type = PARAM_CHOICE,
     .default_value = "reject",
     .choices = actions,
     .help = "alg: what a PORT/EPRT outside middlebox.allow meets: reject (the box answers middlebox.reject_code), "
             "drop (no reply: the client times out) or close (the control connection ends)"},
    {.key = KEY_MIDDLEBOX_REJECT_CODE,
     .type = PARAM_CHOICE,
     .default_value = "500",
     .choices = reject_codes,
     .help = "alg: the reply code of a rejection (text is RFC 959's for the code; the real text is not documented)"},
    MIDDLEBOX_REPLY_TIMEOUT_SPEC,
    {.key = NULL},
};

typedef struct Alg {
  PortRanges allow;
  MiddleboxVerdict refusal;
} Alg;

static gpointer alg_create(const ParamSet *params, GError **error)
{
  (void)error;
  Alg *alg = g_new0(Alg, 1);
  const char *problem = port_ranges_parse(param_set_string(params, KEY_MIDDLEBOX_ALLOW), &alg->allow);
  g_assert(problem == NULL); /* validated */
  static const MiddleboxAction by_choice[MIDDLEBOX_ACTION_COUNT] = {[MIDDLEBOX_ACTION_REJECT] = MIDDLEBOX_REJECT,
                                                                    [MIDDLEBOX_ACTION_DROP] = MIDDLEBOX_DROP,
                                                                    [MIDDLEBOX_ACTION_CLOSE] = MIDDLEBOX_CLOSE};
  alg->refusal.action = by_choice[param_set_choice(params, KEY_MIDDLEBOX_ACTION)];
  alg->refusal.reply = reject_replies[param_set_choice(params, KEY_MIDDLEBOX_REJECT_CODE)];
  return alg;
}

static MiddleboxVerdict alg_on_port(gpointer state, MiddleboxPort *port)
{
  const Alg *alg = state;
  if (port_ranges_contain(&alg->allow, port->request.port))
    return (MiddleboxVerdict){.action = MIDDLEBOX_PASS};
  return alg->refusal;
}

const MiddleboxModel middlebox_alg = {
    .name = "alg",
    .summary = "a generic FTP ALG: PORT/EPRT outside middlebox.allow is rejected with middlebox.reject_code, dropped "
               "or ends the connection (middlebox.action)",
    .source = "D-Link DFL / Clavister cOS FTP ALG logs (\"port not allowed ... Rejecting command\"); reply texts "
              "assumed (RFC 959's)",
    .params = alg_params,
    .create = alg_create,
    .on_port = alg_on_port,
    .destroy = g_free,
};
