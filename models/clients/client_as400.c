/* The IBM AS/400 FTP client of Microsoft KB Q140424: the port it names in PORT goes up by one for
 * every command issued, starting below 1024, so a server that refuses ports below 1024 rejects each
 * command until the counter reaches 1024. Whether the counter is per session or shared by the whole
 * system is not documented, so both are modelled (client.counter). Where it goes after 65535 is not
 * documented either (client.wrap_to), nor what it does when the port it reaches is busy on its host
 * (client.when_busy): count on to a free one, as an OS allocator does, or fail the command. */
#include "client_model.h"
#include "param_keys.h"
#include "port_search.h"

/* client.counter's names, in the order of PortScope's values. */
static const char *const counter_scopes[] = {[PORT_SCOPE_SESSION] = "session", [PORT_SCOPE_HOST] = "host", NULL};

static const char *const when_busy_names[] = {WHEN_BUSY_CHOICES(CHOICE_NAME) NULL};

static const ParamSpec as400_params[] = {
    {.key = "client.start_port",
     .type = PARAM_INT,
     .min = 1,
     .max = 65535,
     .default_value = "1000",
     .unit = "port",
     .help = "first port the counter names"},
    {.key = "client.step",
     .type = PARAM_INT,
     .min = 1,
     .max = 65535,
     .default_value = "1",
     .help = "how far the counter advances for every command issued, accepted or not"},
    {.key = "client.counter",
     .type = PARAM_CHOICE,
     .default_value = "host",
     .choices = counter_scopes,
     .help = "host: one counter shared by the host's sessions, as an OS's sequential port allocator is host-wide "
             "(4.4BSD in_pcbbind()); session: each session counts from the start port (sessions at once on one "
             "host then name the same ports). IBM does not document which: an assumption either way"},
    {.key = "client.wrap_to",
     .type = PARAM_INT,
     .min = 1,
     .max = 65535,
     .default_value = "1024",
     .unit = "port",
     .help = "port the counter goes to once it would pass 65535"},
    {.key = KEY_CLIENT_WHEN_BUSY,
     .type = PARAM_CHOICE,
     .default_value = "next-free",
     .choices = when_busy_names,
     .help = "as400, when the port the counter reaches is busy on the host (another session listens on it, or the "
             "client holds it in TIME_WAIT): next-free counts on to the first free port, as an OS allocator skips "
             "ports in use (4.4BSD in_pcbbind(); RFC 6056 algorithm 1); fail fails the data command before its PORT, "
             "as bind() does with EADDRINUSE. IBM does not document the AS/400's choice: an assumption either way"},
    {.key = NULL},
};

typedef struct {
  guint32 next; /* wider than a port so that next + step cannot overflow */
  guint32 step;
  guint32 wrap_to;
  gboolean skip_busy;         /* client.when_busy=next-free */
  ClientModelContext context; /* for port_in_use */
  PortSearchMemo memo;
} As400Counter;

static PortScope as400_scope(const ParamSet *params)
{
  return (PortScope)param_set_choice(params, "client.counter");
}

static gpointer as400_create(const ParamSet *params, const ClientModelContext *context, GError **error)
{
  (void)error;
  As400Counter *counter = g_new(As400Counter, 1);
  counter->next = (guint32)param_set_int(params, "client.start_port");
  counter->step = (guint32)param_set_int(params, "client.step");
  counter->wrap_to = (guint32)param_set_int(params, "client.wrap_to");
  counter->skip_busy = param_set_choice(params, KEY_CLIENT_WHEN_BUSY) == WHEN_BUSY_NEXT_FREE;
  counter->context = *context;
  counter->memo = (PortSearchMemo){.exhausted = FALSE};
  return counter;
}

/* The port the counter names, and the counter one step on. */
static guint32 as400_candidate(gpointer state, guint32 attempt)
{
  (void)attempt;
  As400Counter *counter = state;
  guint32 port = counter->next;
  counter->next += counter->step;
  if (counter->next > 65535)
    counter->next = counter->wrap_to;
  return port;
}

/* The counter n steps on from next, in O(1): up to its first wrap past 65535, then n mod the cycle's length
 * around the cycle wrap_to, wrap_to + step, ... (next and wrap_to are at most 65535). */
static guint32 as400_steps_on(guint32 next, guint32 step, guint32 wrap_to, guint32 n)
{
  const guint32 to_wrap = (65535 - next) / step + 1;
  if (n < to_wrap)
    return next + n * step;
  const guint32 cycle = (65535 - wrap_to) / step + 1;
  return wrap_to + ((n - to_wrap) % cycle) * step;
}

#define AS400_LAP 65536 /* candidates one search draws at most: every port, and the first again */

static guint16 as400_next_port(gpointer state, const PortQuery *query)
{
  (void)query;
  As400Counter *counter = state;
  if (!counter->skip_busy)
    return (guint16)as400_candidate(counter, 0);
  /* Every port was busy and none has freed: the lap would name its first candidate and move the counter
   * AS400_LAP steps. After a lap the counter is on the cycle from wrap_to, which that lap went all round
   * (the ports before it and the cycle's are at most 65535 distinct ones), so this lap's ports were its. */
  if (port_search_still_exhausted(&counter->context, &counter->memo)) {
    const guint32 port = counter->next;
    counter->next = as400_steps_on(port, counter->step, counter->wrap_to, AS400_LAP);
    return (guint16)port;
  }
  /* At most one lap of the port space; when every port is busy the first is named, and fails. */
  guint32 port = 0;
  const gboolean found = port_search_first_free(&counter->context, AS400_LAP, as400_candidate, counter, &port);
  port_search_remember(&counter->context, &counter->memo, found);
  return (guint16)port;
}

const ClientModel client_model_as400 = {
    .name = "as400",
    .summary = "counter from a start port, +step for every command issued (accepted or not), wraps past 65535",
    .source = "Microsoft KB Q140424 (IBM AS/400 FTP client against Windows NT 3.51 SP2)",
    .params = as400_params,
    .scope = as400_scope,
    .create = as400_create,
    .next_port = as400_next_port,
    .destroy = g_free,
};
