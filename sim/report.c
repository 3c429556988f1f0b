#include "report.h"

#include "output.h"

/* Fixed-point seconds: the same double prints the same on every machine, and nanoseconds are finer
 * than anything a platform of the time can tell apart. */
#define TIME_FORMAT "%.9f"

static void write_time_or_empty(FILE *stream, double time)
{
  if (time >= 0)
    fprintf(stream, TIME_FORMAT, time);
}

void report_sessions_header(FILE *stream)
{
  fputs("session,client_host,server_host,client_model,server_policy,start_time,commands,rejected,"
        "rejected_before_first_accept,first_accept_port,first_accept_time,first_transfer_time,transfers,bytes,"
        "end_time,outcome,data_commands,failed_commands,connection_failures,time_wait_failures,retries,pasv_transfers,fallback_time,"
        "tarpit_delay\n",
        stream);
}

void report_session_row(FILE *stream, const SessionRecord *record)
{
  const SessionStats *s = record->stats;
  fprintf(stream, "%" G_GUINT64_FORMAT ",", record->id);
  csv_write_field(stream, record->client_host);
  fputc(',', stream);
  csv_write_field(stream, record->server_host);
  fprintf(stream, ",%s,%s," TIME_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",",
          record->client_model, record->server_policy, s->start_time, s->commands, s->rejected,
          s->rejected_before_first_accept);
  if (s->first_accept_port >= 0)
    fprintf(stream, "%d", s->first_accept_port);
  fputc(',', stream);
  write_time_or_empty(stream, s->first_accept_time);
  fputc(',', stream);
  write_time_or_empty(stream, s->first_transfer_time);
  fprintf(stream, ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT "," TIME_FORMAT ",%s", s->transfers, s->bytes,
          s->end_time, session_outcome_name(session_stats_outcome(s)));
  fprintf(stream, ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
                  ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",",
          s->data_commands, s->failed_commands, s->connection_failures, s->time_wait_failures, s->retries,
          s->pasv_transfers);
  write_time_or_empty(stream, s->fallback_time);
  fprintf(stream, "," TIME_FORMAT "\n", s->tarpit_delay);
}

void report_commands_header(FILE *stream)
{
  fputs("time,session,client_host,server_host,command,port,reply_code,accepted\n", stream);
}

void report_command_row(FILE *stream, double time, guint64 session, const char *client_host, const char *server_host,
                        const char *command, guint16 port, guint16 reply_code, gboolean accepted)
{
  fprintf(stream, TIME_FORMAT ",%" G_GUINT64_FORMAT ",", time, session);
  csv_write_field(stream, client_host);
  fputc(',', stream);
  csv_write_field(stream, server_host);
  fprintf(stream, ",%s,%u,%u,%d\n", command, (guint)port, (guint)reply_code, accepted ? 1 : 0);
}

void report_summary(FILE *stream, const Scenario *scenario, guint64 seed, const RunStats *run, double simulated_time)
{
  const GPtrArray *keys = params_all();
  fputs("platform,seed", stream);
  for (guint i = 0; i < keys->len; i++)
    fprintf(stream, ",%s", ((const ParamSpec *)g_ptr_array_index(keys, i))->key);
  fputs(",sessions,commands,rejected,sessions_with_rejection,sessions_without_accept,"
        "mean_rejected_before_first_accept,max_rejected_before_first_accept,transfers,bytes,first_accept_time,"
        "first_transfer_time,simulated_time,data_commands,failed_commands,connection_failures,time_wait_failures,"
        "retries,pasv_fallbacks,"
        "aborted,disconnected,banned\n",
        stream);

  csv_write_field(stream, scenario->platform_label);
  fprintf(stream, ",%" G_GUINT64_FORMAT, seed);
  for (guint i = 0; i < keys->len; i++) {
    g_autofree gchar *value = scenario_effective_value(scenario, ((const ParamSpec *)g_ptr_array_index(keys, i))->key);
    fputc(',', stream);
    csv_write_field(stream, value);
  }
  fprintf(stream,
          ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
          ",%.6f,%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",",
          run->sessions, run->commands, run->rejected, run->sessions_with_rejection, run->sessions_without_accept,
          run_stats_mean_rejected_before_first_accept(run), run->max_rejected_before_first_accept, run->transfers,
          run->bytes);
  write_time_or_empty(stream, run->first_accept_time);
  fputc(',', stream);
  write_time_or_empty(stream, run->first_transfer_time);
  fprintf(stream, "," TIME_FORMAT, simulated_time);
  fprintf(stream,
          ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
          ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT "\n",
          run->data_commands, run->failed_commands, run->connection_failures, run->time_wait_failures, run->retries, run->pasv_fallbacks,
          run->aborted, run->disconnected, run->banned);
}
