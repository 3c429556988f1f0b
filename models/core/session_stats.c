#include "session_stats.h"

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
                          .end = SESSION_END_QUIT};
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

void session_stats_record_port(SessionStats *stats, guint16 port, gboolean accepted, double now)
{
  stats->commands++;
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
  if (stats->failed_commands == 0)
    return SESSION_OUTCOME_OK;
  if (stats->failed_commands < stats->data_commands)
    return SESSION_OUTCOME_PARTIAL;
  return stats->connection_failures == 0 ? SESSION_OUTCOME_ALL_REJECTED : SESSION_OUTCOME_ALL_FAILED;
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
}

double run_stats_mean_rejected_before_first_accept(const RunStats *run)
{
  return run->sessions == 0 ? 0.0 : (double)run->sum_rejected_before_first_accept / (double)run->sessions;
}
