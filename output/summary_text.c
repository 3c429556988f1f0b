/* The summary `ftpsim run` prints (summary_text.h). Written once per run, off the hot path. */
#include "summary_text.h"

#include <string.h>

#define U64 "%" G_GUINT64_FORMAT

void run_breakdown_init(RunBreakdown *breakdown)
{
  breakdown->by_client_model = g_array_new(FALSE, TRUE, sizeof(SummaryGroup));
  breakdown->by_server_policy = g_array_new(FALSE, TRUE, sizeof(SummaryGroup));
}

static void group_add(GArray *groups, const char *name, const SessionStats *stats)
{
  SummaryGroup *group = NULL;
  for (guint i = 0; i < groups->len && group == NULL; i++)
    if (strcmp(g_array_index(groups, SummaryGroup, i).name, name) == 0)
      group = &g_array_index(groups, SummaryGroup, i);
  if (group == NULL) {
    g_array_append_val(groups, ((SummaryGroup){.name = name}));
    group = &g_array_index(groups, SummaryGroup, groups->len - 1);
  }
  group->sessions++;
  group->intended += stats->intended_commands;
  group->completed += stats->transfers;
  group->lost += session_stats_lost(stats);
  group->rejected += stats->rejected;
}

void run_breakdown_add(RunBreakdown *breakdown, const SessionRecord *record)
{
  group_add(breakdown->by_client_model, record->client_model, record->stats);
  group_add(breakdown->by_server_policy, record->server_policy, record->stats);
}

void run_breakdown_clear(RunBreakdown *breakdown)
{
  if (breakdown->by_client_model != NULL)
    g_array_free(breakdown->by_client_model, TRUE);
  if (breakdown->by_server_policy != NULL)
    g_array_free(breakdown->by_server_policy, TRUE);
  breakdown->by_client_model = breakdown->by_server_policy = NULL;
}

/* One kind of failure: its count over the run and what it is and why, in a few words. */
typedef struct FailureClass {
  guint64 count;
  const char *what_and_why;
} FailureClass;

/* Every class whose count is not zero, one line each, under a "failures:" heading; nothing when none. */
static void write_failures(FILE *stream, const RunStats *run)
{
  const guint64 named =
      run->client_port_busy_failures + run->time_wait_failures + run->refused_failures + run->unreachable_failures;
  const FailureClass classes[] = {
      {run->rejected, "PORT commands rejected: the server policy refused the port (or address) the client named"},
      {run->middlebox_rejected,
       "of those, refused by a middlebox on the route with its own reply (the server never saw them)"},
      {run->middlebox_dropped, "PORT commands a middlebox on the route dropped: no reply came, the client timed out"},
      {run->client_port_busy_failures, "data commands failed before their PORT: the port was busy on the client "
                                       "(another session listening on it, or the client's own TIME_WAIT)"},
      {run->time_wait_failures, "data connections failed in TIME_WAIT: the same client port again within "
                                "tcp.time_wait of its last transfer, from the same server port 20"},
      {run->refused_failures, "data connections refused: nothing listened on the port named (client.listen=no)"},
      {run->unreachable_failures,
       "data connections that never answered: the PORT address is not the client's own (NAT)"},
      {run->middlebox_data_blocked,
       "of those, dropped by a stateful firewall on the route (it recorded no expectation for the port)"},
      {run->connection_failures > named ? run->connection_failures - named : 0,
       "other data connections that could not be opened"},
      {run->unissued_commands, "data commands never issued: their session ended first"},
      {run->aborted, "sessions aborted: the client gave up after rejections (client.reaction)"},
      {run->disconnected,
       "sessions disconnected: the server answered 421 and closed after rejections (server.reaction)"},
      {run->banned, "sessions banned: the server refused or dropped a banned address (server.reaction)"},
      {run->ended_by_server,
       "sessions ended by the server at a data command after an accepted PORT (vsftpd's 500 OOPS)"},
      {run->stalled,
       "sessions stalled: no data connection came after the server's 150 (client.accept_timeout ended them)"},
      {run->ended_by_middlebox,
       "sessions ended by a middlebox on the route: it closed the control connection, or dropped a PORT"},
  };
  gboolean heading = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS(classes); i++) {
    if (classes[i].count == 0)
      continue;
    if (!heading)
      fprintf(stream, "  failures:\n");
    heading = TRUE;
    fprintf(stream, "    " U64 " %s\n", classes[i].count, classes[i].what_and_why);
  }
}

static void write_groups(FILE *stream, const char *kind, const GArray *groups)
{
  if (groups == NULL || groups->len < 2)
    return;
  for (guint i = 0; i < groups->len; i++) {
    const SummaryGroup *group = &g_array_index(groups, SummaryGroup, i);
    fprintf(stream,
            "  %s %s: " U64 " session(s), " U64 " data commands intended, " U64 " completed, " U64 " lost; " U64
            " PORT commands rejected\n",
            kind, group->name, group->sessions, group->intended, group->completed, group->lost, group->rejected);
  }
}

static void write_first_accepts(FILE *stream, const RunStats *run)
{
  if (run->sessions == 1) {
    fprintf(stream, "  rejected before the first accepted PORT: " U64 "\n", run->sum_rejected_before_first_accept);
  } else {
    const Quantiles rejected = run_stats_rejected_before_first_accept_quantiles(run);
    fprintf(stream,
            "  rejected before the first accepted PORT, per session: median %.0f, p95 %.0f, max %.0f (mean %.3f); " U64
            " session(s) had a rejection, " U64 " never got a PORT accepted\n",
            rejected.median, rejected.p95, rejected.max, run_stats_mean_rejected_before_first_accept(run),
            run->sessions_with_rejection, run->sessions_without_accept);
    const Quantiles wait = run_stats_time_to_first_accept_quantiles(run);
    if (wait.count > 0)
      fprintf(stream,
              "  time from a session's start to its first accepted PORT: median %.6f s, p95 %.6f s, max %.6f s\n",
              wait.median, wait.p95, wait.max);
  }
  if (run->first_accept_time >= 0)
    fprintf(stream, "  first accepted PORT at %.6f s (simulated); first transfer completed at %.6f s\n",
            run->first_accept_time, run->first_transfer_time);
  else
    fprintf(stream, "  no PORT command was accepted\n");
}

void summary_text_write(FILE *stream, const SummaryText *summary)
{
  const RunStats *run = summary->run;
  fprintf(stream, "ftpsim: " U64 " session(s) of client model %s against server policy %s on %s, seed " U64 "\n",
          run->sessions, summary->client_model, summary->server_policy, summary->platform_label, summary->seed);
  fprintf(stream, "  data commands: " U64 " intended, " U64 " issued, " U64 " completed, " U64 " lost\n",
          run->intended_commands, run->data_commands, run->transfers, run->lost_commands);
  fprintf(stream, "  PORT commands: " U64 " sent, " U64 " rejected\n", run->commands, run->rejected);
  write_failures(stream, run);
  if (summary->breakdown != NULL) {
    write_groups(stream, "client model", summary->breakdown->by_client_model);
    write_groups(stream, "server policy", summary->breakdown->by_server_policy);
  }
  write_first_accepts(stream, run);
  fprintf(stream, "  simulated time: %.6f s\n", summary->simulated_time);
}
