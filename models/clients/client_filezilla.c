/* The FileZilla 3 client with "Limit local ports used by FileZilla" on: one process-wide counter
 * (a static in CTransferSocket::CreateSocketServer, src/engine/transfersocket.cpp) that starts at a
 * random port in [low, high], tries ports upwards and remembers the port after the one it bound.
 * Failed tries wrap from high to low; after binding `high` itself the counter sits above the range,
 * so the next transfer draws a new random start, as the source does. Defaults are FileZilla's
 * "Limit ports low/high" 6000 and 7000; like FileZilla, a low above high is taken as high. */
#include "client_model.h"
#include "port_search.h"
#include "rng.h"

static const ParamSpec filezilla_params[] = {
    {.key = "client.filezilla_low",
     .type = PARAM_INT,
     .min = 1,
     .max = 65535,
     .default_value = "6000",
     .unit = "port",
     .help = "FileZilla 'Limit ports low': lowest port the filezilla model binds"},
    {.key = "client.filezilla_high",
     .type = PARAM_INT,
     .min = 1,
     .max = 65535,
     .default_value = "7000",
     .unit = "port",
     .help = "FileZilla 'Limit ports high': highest port the filezilla model binds"},
    {.key = NULL},
};

typedef struct {
  guint32 low, high;
  guint32 start; /* the next port to try; outside [low, high] means "draw a random start" */
  GRand *rand;
  ClientModelContext context;
  PortSearchMemo memo;
} FilezillaCounter;

static PortScope filezilla_scope(const ParamSet *params)
{
  (void)params;
  return PORT_SCOPE_HOST; /* one FileZilla process per client host */
}

static gpointer filezilla_create(const ParamSet *params, const ClientModelContext *context, GError **error)
{
  (void)error;
  FilezillaCounter *counter = g_new(FilezillaCounter, 1);
  counter->high = (guint32)param_set_int(params, "client.filezilla_high");
  counter->low = MIN((guint32)param_set_int(params, "client.filezilla_low"), counter->high);
  counter->start = 0; /* FileZilla: static int start = 0 */
  counter->rand = rng_new(context->seed, RNG_STREAM_PORTS, context->stream_id);
  counter->context = *context;
  counter->memo = (PortSearchMemo){.exhausted = FALSE};
  return counter;
}

/* Tries go upwards and wrap from high to low; a bound `high` leaves the counter above the range. */
static guint32 filezilla_candidate(gpointer state, guint32 attempt)
{
  FilezillaCounter *counter = state;
  if (attempt > 0 && counter->start > counter->high)
    counter->start = counter->low;
  return counter->start++;
}

static guint16 filezilla_next_port(gpointer state, const PortQuery *query)
{
  (void)query;
  FilezillaCounter *counter = state;
  if (counter->start < counter->low || counter->start > counter->high)
    counter->start = (guint32)g_rand_int_range(counter->rand, (gint32)counter->low, (gint32)counter->high + 1);
  guint32 port = counter->start;
  /* Every port in use: FileZilla's transfer fails; the model names the first candidate anyway. A lap goes
   * all round the range, so when the last found every port busy and none has freed, this one would too. */
  const gboolean found =
      !port_search_still_exhausted(&counter->context, &counter->memo) &&
      port_search_first_free(&counter->context, counter->high - counter->low + 1, filezilla_candidate, counter, &port);
  if (!found)
    counter->start = port + 1;
  port_search_remember(&counter->context, &counter->memo, found);
  return (guint16)port;
}

static void filezilla_destroy(gpointer state)
{
  FilezillaCounter *counter = state;
  g_rand_free(counter->rand);
  g_free(counter);
}

const ClientModel client_model_filezilla = {
    .name = "filezilla",
    .summary = "host-wide counter from a random start in [low, high], +1 per transfer, wraps (FileZilla 3)",
    .source = "FileZilla 3 src/engine/transfersocket.cpp CTransferSocket::CreateSocketServer; defaults 6000-7000",
    .params = filezilla_params,
    .scope = filezilla_scope,
    .create = filezilla_create,
    .next_port = filezilla_next_port,
    .destroy = filezilla_destroy,
};
