#include "session_stats.h"

#include <math.h>
#include <stdlib.h>

const char *session_outcome_name(SessionOutcome outcome)
{
  switch (outcome) {
    case SESSION_OUTCOME_OK:
      return "ok";
    case SESSION_OUTCOME_PARTIAL:
      return "partial";
    case SESSION_OUTCOME_ALL_REJECTED:
      return "all_rejected";
    case SESSION_OUTCOME_ALL_FAILED:
      return "all_failed";
    case SESSION_OUTCOME_ABORTED:
      return "aborted";
    case SESSION_OUTCOME_DISCONNECTED:
      return "disconnected";
    case SESSION_OUTCOME_BANNED:
      return "banned";
    case SESSION_OUTCOME_ENDED_BY_SERVER:
      return "ended_by_server";
    case SESSION_OUTCOME_STALLED:
      return "stalled";
    case SESSION_OUTCOME_ENDED_BY_MIDDLEBOX:
      return "ended_by_middlebox";
  }
  g_assert_not_reached();
}

void session_stats_init(SessionStats *stats, double start_time)
{
  *stats = (SessionStats){.start_time = start_time,
                          .end_time = start_time,
                          .first_accept_port = -1,
                          .first_accept_time = -1,
                          .first_transfer_time = -1,
                          .fallback_time = -1,
                          .end = SESSION_END_QUIT,
                          .start_port = -1,
                          .port_sent_time = -1};
}

void session_stats_begin_command(SessionStats *stats)
{
  stats->data_commands++;
}

void session_stats_fail_command(SessionStats *stats)
{
  stats->failed_commands++;
}

void session_stats_record_connection_failure(SessionStats *stats, DataFailure failure)
{
  stats->connection_failures++;
  switch (failure) {
    case DATA_FAILURE_TIME_WAIT:
      stats->time_wait_failures++;
      break;
    case DATA_FAILURE_REFUSED:
      stats->refused_failures++;
      break;
    case DATA_FAILURE_UNREACHABLE:
      stats->unreachable_failures++;
      break;
    case DATA_FAILURE_CLIENT_PORT_BUSY:
      stats->client_port_busy_failures++;
      break;
    case DATA_FAILURE_NONE:
    case DATA_FAILURE_ENDED_BY_SERVER:
    case DATA_FAILURE_NO_PORT:
    case DATA_FAILURE_STALLED:
    case DATA_FAILURE_MIDDLEBOX_DROPPED:
    case DATA_FAILURE_MIDDLEBOX_CLOSED:
      break;
  }
}

void session_stats_port_sent(SessionStats *stats, guint16 port, double now)
{
  if (stats->start_port < 0)
    stats->start_port = port;
  stats->port_sent_time = now;
}

void session_stats_record_port(SessionStats *stats, guint16 port, gboolean accepted, double now)
{
  stats->commands++;
  if (stats->start_port < 0)
    stats->start_port = port;
  if (!accepted && stats->port_sent_time >= 0)
    stats->rejection_time += now - stats->port_sent_time;
  stats->port_sent_time = -1;
  if (!accepted) {
    stats->rejected++;
    if (stats->first_accept_port < 0)
      stats->rejected_before_first_accept++;
  } else if (stats->first_accept_port < 0) {
    stats->first_accept_port = port;
    stats->first_accept_time = now;
  }
}

void session_stats_record_transfer(SessionStats *stats, guint64 bytes, double now)
{
  stats->transfers++;
  stats->bytes += bytes;
  if (stats->first_transfer_time < 0)
    stats->first_transfer_time = now;
}

void session_stats_record_pasv_transfer(SessionStats *stats, guint64 bytes, double now)
{
  stats->pasv_transfers++;
  session_stats_record_transfer(stats, bytes, now);
}

SessionOutcome session_stats_outcome(const SessionStats *stats)
{
  switch (stats->end) {
    case SESSION_END_GAVE_UP:
      return SESSION_OUTCOME_ABORTED;
    case SESSION_END_DISCONNECTED:
      return SESSION_OUTCOME_DISCONNECTED;
    case SESSION_END_BANNED:
      return SESSION_OUTCOME_BANNED;
    case SESSION_END_BY_SERVER:
      return SESSION_OUTCOME_ENDED_BY_SERVER;
    case SESSION_END_STALLED:
      return SESSION_OUTCOME_STALLED;
    case SESSION_END_BY_MIDDLEBOX:
      return SESSION_OUTCOME_ENDED_BY_MIDDLEBOX;
    case SESSION_END_QUIT:
      break;
  }
  if (session_stats_lost(stats) == 0)
    return SESSION_OUTCOME_OK;
  if (stats->failed_commands < stats->data_commands)
    return SESSION_OUTCOME_PARTIAL;
  return stats->connection_failures == 0 ? SESSION_OUTCOME_ALL_REJECTED : SESSION_OUTCOME_ALL_FAILED;
}

guint64 session_stats_unissued(const SessionStats *stats)
{
  return stats->intended_commands > stats->data_commands ? stats->intended_commands - stats->data_commands : 0;
}

guint64 session_stats_lost(const SessionStats *stats)
{
  return stats->failed_commands + session_stats_unissued(stats);
}

void run_stats_init(RunStats *run)
{
  *run = (RunStats){.first_accept_time = -1, .first_transfer_time = -1};
}

static void keep_earliest(double *earliest, double candidate)
{
  if (candidate >= 0 && (*earliest < 0 || candidate < *earliest))
    *earliest = candidate;
}

void run_stats_add(RunStats *run, const SessionStats *session)
{
  run->sessions++;
  run->commands += session->commands;
  run->rejected += session->rejected;
  if (session->rejected > 0)
    run->sessions_with_rejection++;
  if (session->first_accept_port < 0)
    run->sessions_without_accept++;
  run->sum_rejected_before_first_accept += session->rejected_before_first_accept;
  run->max_rejected_before_first_accept =
      MAX(run->max_rejected_before_first_accept, session->rejected_before_first_accept);
  run->transfers += session->transfers;
  run->bytes += session->bytes;
  run->data_commands += session->data_commands;
  run->failed_commands += session->failed_commands;
  run->connection_failures += session->connection_failures;
  run->time_wait_failures += session->time_wait_failures;
  run->refused_failures += session->refused_failures;
  run->unreachable_failures += session->unreachable_failures;
  run->client_port_busy_failures += session->client_port_busy_failures;
  run->retries += session->retries;
  run->pasv_fallbacks += session->fallback_time >= 0;
  run->aborted += session->end == SESSION_END_GAVE_UP;
  run->disconnected += session->end == SESSION_END_DISCONNECTED;
  run->banned += session->end == SESSION_END_BANNED;
  run->ended_by_server += session->end == SESSION_END_BY_SERVER;
  run->stalled += session->end == SESSION_END_STALLED;
  run->ended_by_middlebox += session->end == SESSION_END_BY_MIDDLEBOX;
  run->middlebox_rejected += session->middlebox_rejected;
  run->middlebox_dropped += session->middlebox_dropped;
  run->middlebox_data_blocked += session->middlebox_data_blocked;
  run->nat_port_moves += session->nat_port_moves;
  keep_earliest(&run->first_accept_time, session->first_accept_time);
  keep_earliest(&run->first_transfer_time, session->first_transfer_time);
  run->end_time = MAX(run->end_time, session->end_time);
  run->intended_commands += session->intended_commands;
  run->unissued_commands += session_stats_unissued(session);
  run->lost_commands += session_stats_lost(session);
  run->rejection_time += session->rejection_time;
  if (run->rejected_before_first_accept_values == NULL) {
    run->rejected_before_first_accept_values = g_array_new(FALSE, FALSE, sizeof(guint64));
    run->time_to_first_accept_values = g_array_new(FALSE, FALSE, sizeof(double));
  }
  g_array_append_val(run->rejected_before_first_accept_values, session->rejected_before_first_accept);
  if (session->first_accept_port >= 0) {
    const double time_to_accept = session->first_accept_time - session->start_time;
    g_array_append_val(run->time_to_first_accept_values, time_to_accept);
  }
}

void run_stats_clear(RunStats *run)
{
  if (run->rejected_before_first_accept_values != NULL)
    g_array_free(run->rejected_before_first_accept_values, TRUE);
  if (run->time_to_first_accept_values != NULL)
    g_array_free(run->time_to_first_accept_values, TRUE);
  run->rejected_before_first_accept_values = NULL;
  run->time_to_first_accept_values = NULL;
}

double run_stats_mean_rejected_before_first_accept(const RunStats *run)
{
  return run->sessions == 0 ? 0.0 : (double)run->sum_rejected_before_first_accept / (double)run->sessions;
}

static gint compare_doubles(gconstpointer a, gconstpointer b)
{
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The value at rank ceil(p * n), 1-based, of n sorted values. */
static double nearest_rank(const double *sorted, guint n, double p)
{
  guint rank = (guint)ceil(p * (double)n);
  return sorted[CLAMP(rank, 1u, n) - 1];
}

static Quantiles quantiles_of(double *values, guint n)
{
  Quantiles q = {.count = n};
  qsort(values, n, sizeof(double), compare_doubles);
  q.median = nearest_rank(values, n, 0.5);
  q.p95 = nearest_rank(values, n, 0.95);
  q.max = values[n - 1];
  return q;
}

Quantiles run_stats_rejected_before_first_accept_quantiles(const RunStats *run)
{
  const GArray *counts = run->rejected_before_first_accept_values;
  if (counts == NULL || counts->len == 0)
    return (Quantiles){0};
  g_autofree double *values = g_new(double, counts->len);
  for (guint i = 0; i < counts->len; i++)
    values[i] = (double)g_array_index(counts, guint64, i);
  return quantiles_of(values, counts->len);
}

Quantiles run_stats_time_to_first_accept_quantiles(const RunStats *run)
{
  const GArray *times = run->time_to_first_accept_values;
  if (times == NULL || times->len == 0)
    return (Quantiles){0};
  g_autofree double *values = g_memdup2(times->data, times->len * sizeof(double));
  return quantiles_of(values, times->len);
}
