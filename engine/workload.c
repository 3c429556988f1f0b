/* Arrivals of a host's sessions, and a session's draws (workload.h). */
#include "workload.h"

#include <math.h>

#include <xbt/log.h>

#include "rng.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(ftpsim_workload, ftpsim_engine, "FTP session arrivals and draws");

/* ---- draws ---- */

double draw_exponential(GRand *rand, double mean)
{
  return -mean * log(1.0 - g_rand_double(rand)); /* 1 - U keeps the logarithm finite */
}

guint64 draw_data_commands(const ClientSettings *settings, GRand *rand)
{
  const guint64 mean_commands = settings->mean_commands;
  switch (settings->commands_dist) {
    case COUNT_FIXED:
      return mean_commands;
    case COUNT_UNIFORM:
      return (guint64)g_rand_double_range(rand, 0, 2.0 * (double)mean_commands + 1);
    case COUNT_GEOMETRIC: /* on 0, 1, 2, ... with the given mean: failures before a success of p = 1/(mean+1) */
      return mean_commands == 0
                 ? 0
                 : (guint64)floor(log(1.0 - g_rand_double(rand)) / log1p(-1.0 / ((double)mean_commands + 1.0)));
  }
  g_assert_not_reached();
}

DataKind draw_data_kind(const ClientSettings *settings, GRand *rand)
{
  if (settings->mix_total == settings->mix_retr)
    return DATA_RETR;
  double x = g_rand_double(rand) * settings->mix_total;
  return x < settings->mix_list ? DATA_LIST : x < settings->mix_list + settings->mix_retr ? DATA_RETR : DATA_STOR;
}

/* ---- arrivals ---- */

void arrivals_init(Arrivals *arrivals, const ClientHost *client)
{
  const ClientSettings *settings = &client->settings;
  *arrivals = (Arrivals){.total = client->spec->sessions,
                         .kind = settings->arrival,
                         .interval = settings->arrival_interval,
                         .rate = settings->arrival_rate};
  if (arrivals->kind == ARRIVAL_POISSON)
    arrivals->rand = rng_new(engine.options->seed, RNG_STREAM_WORKLOAD, client->index);
}

gboolean arrivals_next(Arrivals *arrivals, double *time)
{
  if (arrivals->made == arrivals->total)
    return FALSE;
  if (arrivals->kind == ARRIVAL_POISSON)
    arrivals->next += draw_exponential(arrivals->rand, 1.0 / arrivals->rate);
  else if (arrivals->kind == ARRIVAL_INTERVAL && arrivals->made > 0)
    arrivals->next += arrivals->interval;
  arrivals->made++;
  *time = arrivals->next;
  return TRUE;
}

Session *arrivals_session(const Arrivals *arrivals, ClientHost *client)
{
  const ClientSpec *spec = client->spec;
  return session_new(spec->first_session_id + arrivals->made - 1, client, &engine.servers[spec->server_index],
                     spec->model, &client->settings, spec->host.params);
}

void arrivals_clear(Arrivals *arrivals)
{
  if (arrivals->rand != NULL)
    g_rand_free(arrivals->rand);
}
