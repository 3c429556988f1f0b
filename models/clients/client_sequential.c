/* An operating system's classic ephemeral port allocator: one counter per host that walks the
 * ephemeral range upwards, wraps from the high end to the low end and skips ports the host has in use.
 * 4.4BSD in_pcbbind() starts at IPPORT_RESERVED (1024) and wraps past IPPORT_USERRESERVED (5000), so
 * the counter starts at the low end of the range. client.range picks a documented range:
 *   bsd    1024-5000   4.4BSD IPPORT_RESERVED..IPPORT_USERRESERVED
 *   nt     1025-5000   Windows NT/2000/2003 (MaxUserPort 5000)
 *   linux  32768-60999 Linux net.ipv4.ip_local_port_range default (the range only: Linux itself
 *                      hashes, see rfc6056-3/4)
 *   iana   49152-65535 RFC 6335 dynamic ports, Windows Vista and later
 *   custom client.low..client.high */
#include "client_model.h"
#include "port_search.h"

static const char *const range_presets[] = {"bsd", "nt", "linux", "iana", "custom", NULL};

static const struct {
  const char *name;
  guint32 low, high;
} preset_ranges[] = {
    {"bsd", 1024, 5000},
    {"nt", 1025, 5000},
    {"linux", 32768, 60999},
    {"iana", 49152, 65535},
};

static const ParamSpec sequential_params[] = {
    {.key = "client.range",
     .type = PARAM_CHOICE,
     .default_value = "bsd",
     .choices = range_presets,
     .help = "ephemeral range of the sequential model: bsd 1024-5000, nt 1025-5000, linux 32768-60999, "
             "iana 49152-65535, custom = client.low..client.high"},
    {.key = "client.low",
     .type = PARAM_INT,
     .min = 1,
     .max = 65535,
     .default_value = "1024",
     .unit = "port",
     .help = "low end of the client's port range (sequential with client.range=custom, rfc6056-*)"},
    {.key = "client.high",
     .type = PARAM_INT,
     .min = 1,
     .max = 65535,
     .default_value = "65535",
     .unit = "port",
     .help = "high end of the client's port range (sequential with client.range=custom, rfc6056-*)"},
    {.key = NULL},
};

typedef struct {
  guint32 low, high;
  guint32 next;
  ClientModelContext context; /* for port_in_use */
  PortSearchMemo memo;
} SequentialCounter;

static PortScope sequential_scope(const ParamSet *params)
{
  (void)params;
  return PORT_SCOPE_HOST; /* the kernel's counter serves every socket of the host */
}

static gpointer sequential_create(const ParamSet *params, const ClientModelContext *context, GError **error)
{
  const char *range = param_set_string(params, "client.range");
  guint32 low = (guint32)param_set_int(params, "client.low");
  guint32 high = (guint32)param_set_int(params, "client.high");
  for (guint i = 0; i < G_N_ELEMENTS(preset_ranges); i++) {
    if (g_str_equal(range, preset_ranges[i].name)) {
      low = preset_ranges[i].low;
      high = preset_ranges[i].high;
    }
  }
  if (low > high) {
    g_set_error(error, FTPSIM_MODEL_ERROR, FTPSIM_MODEL_ERROR_INVALID,
                "client.low (%u) is above client.high (%u): the range must not be empty", low, high);
    return NULL;
  }
  SequentialCounter *counter = g_new(SequentialCounter, 1);
  counter->low = low;
  counter->high = high;
  counter->next = low;
  counter->context = *context;
  counter->memo = (PortSearchMemo){.exhausted = FALSE};
  return counter;
}

static guint32 sequential_candidate(gpointer state, guint32 attempt)
{
  (void)attempt;
  SequentialCounter *counter = state;
  guint32 port = counter->next;
  counter->next = port == counter->high ? counter->low : port + 1;
  return port;
}

static guint16 sequential_next_port(gpointer state, const PortQuery *query)
{
  (void)query;
  SequentialCounter *counter = state;
  guint32 port = counter->next;
  /* Every port of the range was busy and none has freed: so they all are, the lap would end where it began. */
  const gboolean found =
      !port_search_still_exhausted(&counter->context, &counter->memo) &&
      port_search_first_free(&counter->context, counter->high - counter->low + 1, sequential_candidate, counter, &port);
  /* At most one lap; when every port is in use the counter moves past the port it names anyway. */
  if (!found)
    counter->next = port == counter->high ? counter->low : port + 1;
  port_search_remember(&counter->context, &counter->memo, found);
  return (guint16)port;
}

const ClientModel client_model_sequential = {
    .name = "sequential",
    .summary = "host-wide counter over an OS ephemeral range from its low end, +1 per port, wraps, skips ports in use",
    .source = "4.4BSD in_pcbbind() (1024-5000); Windows NT MaxUserPort; Linux ip_local_port_range; RFC 6335",
    .params = sequential_params,
    .scope = sequential_scope,
    .create = sequential_create,
    .next_port = sequential_next_port,
    .destroy = g_free,
};
