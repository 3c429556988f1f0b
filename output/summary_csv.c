/* summary.csv: one row for the run (a sweep's runs.csv collects them). Written once per run, so a
 * parameter's value may be looked up and allocated here. */
#include <string.h>

#include "csv.h"
#include "report.h"

#define SUMMARY(row) ((const SummaryRow *)(row))
#define RUN(row) (SUMMARY(row)->run)

static void write_platform(FILE *stream, const void *row)
{
  csv_write_field(stream, SUMMARY(row)->scenario->platform_label);
}

static void write_seed(FILE *stream, const void *row)
{
  csv_put_u64(stream, SUMMARY(row)->seed);
}

static const char *param_key(guint i)
{
  return ((const ParamSpec *)g_ptr_array_index(params_all(), i))->key;
}

static void write_parameter_keys(FILE *stream)
{
  for (guint i = 0; i < params_all()->len; i++) {
    if (i > 0)
      fputc(',', stream);
    fputs(param_key(i), stream);
  }
}

/* scenario_effective_value()'s word for a key whose hosts differ: no choice or value of any key spells it. */
#define MIXED_VALUE "mixed"

/* A key's value over the run; an empty field when hosts differ, so that a numeric column holds numbers only
 * (mixed_keys names those keys). */
static void write_parameter_values(FILE *stream, const void *row)
{
  for (guint i = 0; i < params_all()->len; i++) {
    g_autofree gchar *value = scenario_effective_value(SUMMARY(row)->scenario, param_key(i));
    if (i > 0)
      fputc(',', stream);
    if (strcmp(value, MIXED_VALUE) != 0)
      csv_write_field(stream, value);
  }
}

/* Keys are names without spaces or commas: space-separated, never quoted. */
static void write_mixed_keys(FILE *stream, const void *row)
{
  gboolean first = TRUE;
  for (guint i = 0; i < params_all()->len; i++) {
    g_autofree gchar *value = scenario_effective_value(SUMMARY(row)->scenario, param_key(i));
    if (strcmp(value, MIXED_VALUE) != 0)
      continue;
    if (!first)
      fputc(' ', stream);
    fputs(param_key(i), stream);
    first = FALSE;
  }
}

/* The run's counters, one writer each. */
#define RUN_COUNT(field)                                                                                               \
  static void write_##field(FILE *stream, const void *row)                                                             \
  {                                                                                                                    \
    csv_put_u64(stream, RUN(row)->field);                                                                              \
  }

RUN_COUNT(sessions)
RUN_COUNT(commands)
RUN_COUNT(rejected)
RUN_COUNT(sessions_with_rejection)
RUN_COUNT(sessions_without_accept)
RUN_COUNT(max_rejected_before_first_accept)
RUN_COUNT(transfers)
RUN_COUNT(bytes)
RUN_COUNT(data_commands)
RUN_COUNT(failed_commands)
RUN_COUNT(connection_failures)
RUN_COUNT(time_wait_failures)
RUN_COUNT(refused_failures)
RUN_COUNT(unreachable_failures)
RUN_COUNT(client_port_busy_failures)
RUN_COUNT(ended_by_server)
RUN_COUNT(stalled)
RUN_COUNT(retries)
RUN_COUNT(pasv_fallbacks)
RUN_COUNT(aborted)
RUN_COUNT(disconnected)
RUN_COUNT(banned)
RUN_COUNT(ended_by_middlebox)
RUN_COUNT(middlebox_rejected)
RUN_COUNT(middlebox_dropped)
RUN_COUNT(middlebox_data_blocked)
RUN_COUNT(nat_port_moves)
RUN_COUNT(intended_commands)
RUN_COUNT(unissued_commands)
RUN_COUNT(lost_commands)

static void write_rejection_time(FILE *stream, const void *row)
{
  csv_put_time(stream, RUN(row)->rejection_time);
}

/* Quantiles over sessions (nearest rank, session_stats.h); empty when no session had a value. */
static void write_rejected_quantile(FILE *stream, const void *row, gboolean p95)
{
  const Quantiles q = run_stats_rejected_before_first_accept_quantiles(RUN(row));
  if (q.count > 0)
    csv_put_u64(stream, (guint64)(p95 ? q.p95 : q.median));
}

static void write_median_rejected_before_first_accept(FILE *stream, const void *row)
{
  write_rejected_quantile(stream, row, FALSE);
}

static void write_p95_rejected_before_first_accept(FILE *stream, const void *row)
{
  write_rejected_quantile(stream, row, TRUE);
}

typedef enum { QUANTILE_MEDIAN, QUANTILE_P95, QUANTILE_MAX } QuantileKind;

static void write_time_quantile(FILE *stream, const void *row, QuantileKind kind)
{
  const Quantiles q = run_stats_time_to_first_accept_quantiles(RUN(row));
  if (q.count > 0)
    csv_put_time(stream, kind == QUANTILE_MEDIAN ? q.median : kind == QUANTILE_P95 ? q.p95 : q.max);
}

static void write_median_time_to_first_accept(FILE *stream, const void *row)
{
  write_time_quantile(stream, row, QUANTILE_MEDIAN);
}

static void write_p95_time_to_first_accept(FILE *stream, const void *row)
{
  write_time_quantile(stream, row, QUANTILE_P95);
}

static void write_max_time_to_first_accept(FILE *stream, const void *row)
{
  write_time_quantile(stream, row, QUANTILE_MAX);
}

static void write_mean_rejected_before_first_accept(FILE *stream, const void *row)
{
  csv_put_shortest(stream, run_stats_mean_rejected_before_first_accept(RUN(row)));
}

static void write_first_accept_time(FILE *stream, const void *row)
{
  csv_put_time_or_empty(stream, RUN(row)->first_accept_time);
}

static void write_first_transfer_time(FILE *stream, const void *row)
{
  csv_put_time_or_empty(stream, RUN(row)->first_transfer_time);
}

static void write_simulated_time(FILE *stream, const void *row)
{
  csv_put_time(stream, SUMMARY(row)->simulated_time);
}

static const Column summary_columns[] = {
    {"platform", "the platform file as named on the command line, or `builtin:kb140424.xml`", write_platform, NULL,
     COLUMN_TEXT},
    {"seed", "the run's seed", write_seed, NULL, COLUMN_INT},
    {"one column per parameter key, in `ftpsim params` order",
     "the key's value; empty when hosts differ (see `mixed_keys`)", write_parameter_values, write_parameter_keys,
     COLUMN_PARAMS},
    {"mixed_keys", "the keys whose value differs between hosts, separated by spaces (their columns are empty)",
     write_mixed_keys, NULL, COLUMN_TEXT},
    {"sessions", "sessions run", write_sessions, NULL, COLUMN_INT},
    {"commands", "PORT commands issued", write_commands, NULL, COLUMN_INT},
    {"rejected", "PORT commands refused", write_rejected, NULL, COLUMN_INT},
    {"sessions_with_rejection", "sessions that had at least one PORT refused", write_sessions_with_rejection, NULL,
     COLUMN_INT},
    {"sessions_without_accept", "sessions that never got a PORT accepted (only refusals, or no command)",
     write_sessions_without_accept, NULL, COLUMN_INT},
    {"mean_rejected_before_first_accept", "refusals before the first accepted PORT, mean over all sessions",
     write_mean_rejected_before_first_accept, NULL, COLUMN_FLOAT},
    {"max_rejected_before_first_accept", "the same, the most in one session", write_max_rejected_before_first_accept,
     NULL, COLUMN_INT},
    {"transfers", "completed transfers", write_transfers, NULL, COLUMN_INT},
    {"bytes", "the bytes they moved", write_bytes, NULL, COLUMN_INT},
    {"first_accept_time", "when the run's first accepted PORT's reply arrived", write_first_accept_time, NULL,
     COLUMN_FLOAT},
    {"first_transfer_time", "when the run's first transfer completed", write_first_transfer_time, NULL, COLUMN_FLOAT},
    {"simulated_time", "when the simulation ended", write_simulated_time, NULL, COLUMN_FLOAT},
    {"data_commands", "data commands the users issued", write_data_commands, NULL, COLUMN_INT},
    {"failed_commands", "data commands that did not complete", write_failed_commands, NULL, COLUMN_INT},
    {"connection_failures", "data connections that could not be opened", write_connection_failures, NULL, COLUMN_INT},
    {"time_wait_failures", "of those, the ones whose port was still in TIME_WAIT", write_time_wait_failures, NULL,
     COLUMN_INT},
    {"refused_failures", "of those, the ones refused because nothing listened", write_refused_failures, NULL,
     COLUMN_INT},
    {"unreachable_failures", "of those, the ones whose address did not answer", write_unreachable_failures, NULL,
     COLUMN_INT},
    {"client_port_busy_failures", "of those, the data commands that failed before their PORT (client port busy)",
     write_client_port_busy_failures, NULL, COLUMN_INT},
    {"retries", "PORTs sent again for the same data command", write_retries, NULL, COLUMN_INT},
    {"pasv_fallbacks", "sessions that switched to PASV", write_pasv_fallbacks, NULL, COLUMN_INT},
    {"aborted", "sessions whose client gave up", write_aborted, NULL, COLUMN_INT},
    {"disconnected", "sessions the server closed with 421", write_disconnected, NULL, COLUMN_INT},
    {"banned", "sessions ended by a ban", write_banned, NULL, COLUMN_INT},
    {"ended_by_server", "sessions the server ended at a data command after an accepted PORT", write_ended_by_server,
     NULL, COLUMN_INT},
    {"stalled", "sessions the client's accept timeout ended: no data connection came after a 150", write_stalled, NULL,
     COLUMN_INT},
    {"ended_by_middlebox", "sessions a middlebox ended (it closed the connection, or dropped a PORT)",
     write_ended_by_middlebox, NULL, COLUMN_INT},
    {"middlebox_rejected", "of the PORT commands refused, the ones a middlebox refused (the server never saw them)",
     write_middlebox_rejected, NULL, COLUMN_INT},
    {"middlebox_dropped", "PORT commands a middlebox dropped (the client timed out)", write_middlebox_dropped, NULL,
     COLUMN_INT},
    {"middlebox_data_blocked", "data connections a firewall on the route dropped (no expectation)",
     write_middlebox_data_blocked, NULL, COLUMN_INT},
    {"nat_port_moves", "PORT commands whose port a NAT changed (the named one was taken)", write_nat_port_moves, NULL,
     COLUMN_INT},
    {"intended_commands", "data commands the workload meant the sessions to issue", write_intended_commands, NULL,
     COLUMN_INT},
    {"unissued_commands", "of those, the ones never issued because their session ended first", write_unissued_commands,
     NULL, COLUMN_INT},
    {"lost_commands", "intended data commands that did not complete: `failed_commands` + `unissued_commands`",
     write_lost_commands, NULL, COLUMN_INT},
    {"rejection_time", "seconds lost to refused PORTs, summed over sessions", write_rejection_time, NULL, COLUMN_FLOAT},
    {"median_rejected_before_first_accept",
     "refusals before the first accepted PORT per session: the median (nearest rank: the value at rank ceil(n/2) of "
     "the n sessions sorted)",
     write_median_rejected_before_first_accept, NULL, COLUMN_INT},
    {"p95_rejected_before_first_accept", "the same, the 95th percentile (rank ceil(0.95 n))",
     write_p95_rejected_before_first_accept, NULL, COLUMN_INT},
    {"median_time_to_first_accept",
     "seconds from a session's start to its first accepted PORT's reply, the median over the sessions that had one "
     "(empty: none had)",
     write_median_time_to_first_accept, NULL, COLUMN_FLOAT},
    {"p95_time_to_first_accept", "the same, the 95th percentile", write_p95_time_to_first_accept, NULL, COLUMN_FLOAT},
    {"max_time_to_first_accept", "the same, the most", write_max_time_to_first_accept, NULL, COLUMN_FLOAT},
};

const ColumnTable summary_csv = {"summary.csv", "one row for the run", summary_columns, G_N_ELEMENTS(summary_columns)};

void report_summary(FILE *stream, const Scenario *scenario, guint64 seed, const RunStats *run, double simulated_time)
{
  const SummaryRow row = {.scenario = scenario, .seed = seed, .run = run, .simulated_time = simulated_time};
  columns_write_header(stream, &summary_csv);
  columns_write_row(stream, &summary_csv, &row);
}
