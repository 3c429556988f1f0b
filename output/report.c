#define _GNU_SOURCE /* strfromd, C2x in glibc 2.25+ */
#include "report.h"

#include <stdlib.h>

#include "output.h"

/* Fixed-point seconds: the same double prints the same on every machine, and nanoseconds are finer
 * than anything a platform of the time can tell apart. */
#define TIME_FORMAT "%.9f"

/* The rows below are written once per session (a million in a large run) and once per exchange with
 * --trace, without fprintf: some library in SimGrid's process registers a printf extension, which sends
 * every printf-family call down glibc's slow positional path (37,500 instructions for a session's
 * row). Integers are written by hand; times by strfromd(), which formats exactly as "%.9f" does. */
static void put_u64(FILE *stream, guint64 value)
{
  char digits[24];
  char *p = digits + sizeof digits;
  *--p = '\0';
  do
    *--p = (char)('0' + value % 10);
  while ((value /= 10) != 0);
  fputs(p, stream);
}

static void put_time(FILE *stream, double time)
{
  char text[64];
  int length = strfromd(text, sizeof text, TIME_FORMAT, time);
  if (length >= (int)sizeof text) /* a time beyond 10^53 s: never, but stay correct */
    fprintf(stream, TIME_FORMAT, time);
  else
    fputs(text, stream);
}

static void put_time_or_empty(FILE *stream, double time)
{
  if (time >= 0)
    put_time(stream, time);
}

/* ",value" for each integer */
static void put_u64_fields(FILE *stream, const guint64 *values, guint count)
{
  for (guint i = 0; i < count; i++) {
    fputc(',', stream);
    put_u64(stream, values[i]);
  }
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
  put_u64(stream, record->id);
  fputc(',', stream);
  csv_write_field(stream, record->client_host);
  fputc(',', stream);
  csv_write_field(stream, record->server_host);
  fputc(',', stream);
  fputs(record->client_model, stream);
  fputc(',', stream);
  fputs(record->server_policy, stream);
  fputc(',', stream);
  put_time(stream, s->start_time);
  const guint64 counts[] = {s->commands, s->rejected, s->rejected_before_first_accept};
  put_u64_fields(stream, counts, G_N_ELEMENTS(counts));
  fputc(',', stream);
  if (s->first_accept_port >= 0)
    put_u64(stream, (guint64)s->first_accept_port);
  fputc(',', stream);
  put_time_or_empty(stream, s->first_accept_time);
  fputc(',', stream);
  put_time_or_empty(stream, s->first_transfer_time);
  const guint64 transfers[] = {s->transfers, s->bytes};
  put_u64_fields(stream, transfers, G_N_ELEMENTS(transfers));
  fputc(',', stream);
  put_time(stream, s->end_time);
  fputc(',', stream);
  fputs(session_outcome_name(session_stats_outcome(s)), stream);
  const guint64 failures[] = {s->data_commands,       s->failed_commands, s->connection_failures,
                              s->time_wait_failures, s->retries,         s->pasv_transfers};
  put_u64_fields(stream, failures, G_N_ELEMENTS(failures));
  fputc(',', stream);
  put_time_or_empty(stream, s->fallback_time);
  fputc(',', stream);
  put_time(stream, s->tarpit_delay);
  fputc('\n', stream);
}

void report_commands_header(FILE *stream)
{
  fputs("time,session,client_host,server_host,command,port,reply_code,accepted\n", stream);
}

void report_command_row(FILE *stream, const ExchangeRecord *record)
{
  put_time(stream, record->time);
  fputc(',', stream);
  put_u64(stream, record->session);
  fputc(',', stream);
  csv_write_field(stream, record->client_host);
  fputc(',', stream);
  csv_write_field(stream, record->server_host);
  fputc(',', stream);
  fputs(record->command, stream);
  const guint64 numbers[] = {record->port, record->reply_code, record->accepted ? 1 : 0};
  put_u64_fields(stream, numbers, G_N_ELEMENTS(numbers));
  fputc('\n', stream);
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
  put_time_or_empty(stream, run->first_accept_time);
  fputc(',', stream);
  put_time_or_empty(stream, run->first_transfer_time);
  fprintf(stream, "," TIME_FORMAT, simulated_time);
  fprintf(stream,
          ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
          ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT "\n",
          run->data_commands, run->failed_commands, run->connection_failures, run->time_wait_failures, run->retries, run->pasv_fallbacks,
          run->aborted, run->disconnected, run->banned);
}
