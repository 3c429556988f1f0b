/* sessions.csv: one row per session, written as each ends (a million in a large run). */
#include "csv.h"
#include "report.h"

#define SESSION(row) ((const SessionRecord *)(row))
#define STATS(row) (SESSION(row)->stats)

static void write_session(FILE *stream, const void *row)
{
  csv_put_u64(stream, SESSION(row)->id);
}

static void write_client_host(FILE *stream, const void *row)
{
  csv_write_field(stream, SESSION(row)->client_host);
}

static void write_server_host(FILE *stream, const void *row)
{
  csv_write_field(stream, SESSION(row)->server_host);
}

/* Model names are catalog names: never quoted. */
static void write_client_model(FILE *stream, const void *row)
{
  fputs(SESSION(row)->client_model, stream);
}

static void write_server_policy(FILE *stream, const void *row)
{
  fputs(SESSION(row)->server_policy, stream);
}

static void write_start_time(FILE *stream, const void *row)
{
  csv_put_time(stream, STATS(row)->start_time);
}

static void write_commands(FILE *stream, const void *row)
{
  csv_put_u64(stream, STATS(row)->commands);
}

static void write_rejected(FILE *stream, const void *row)
{
  csv_put_u64(stream, STATS(row)->rejected);
}

static void write_rejected_before_first_accept(FILE *stream, const void *row)
{
  csv_put_u64(stream, STATS(row)->rejected_before_first_accept);
}

static void write_first_accept_port(FILE *stream, const void *row)
{
  if (STATS(row)->first_accept_port >= 0)
    csv_put_u64(stream, (guint64)STATS(row)->first_accept_port);
}

static void write_first_accept_time(FILE *stream, const void *row)
{
  csv_put_time_or_empty(stream, STATS(row)->first_accept_time);
}

static void write_first_transfer_time(FILE *stream, const void *row)
{
  csv_put_time_or_empty(stream, STATS(row)->first_transfer_time);
}

static void write_transfers(FILE *stream, const void *row)
{
  csv_put_u64(stream, STATS(row)->transfers);
}

static void write_bytes(FILE *stream, const void *row)
{
  csv_put_u64(stream, STATS(row)->bytes);
}

static void write_end_time(FILE *stream, const void *row)
{
  csv_put_time(stream, STATS(row)->end_time);
}

static void write_outcome(FILE *stream, const void *row)
{
  fputs(session_outcome_name(session_stats_outcome(STATS(row))), stream);
}

static void write_data_commands(FILE *stream, const void *row)
{
  csv_put_u64(stream, STATS(row)->data_commands);
}

static void write_failed_commands(FILE *stream, const void *row)
{
  csv_put_u64(stream, STATS(row)->failed_commands);
}

static void write_connection_failures(FILE *stream, const void *row)
{
  csv_put_u64(stream, STATS(row)->connection_failures);
}

static void write_time_wait_failures(FILE *stream, const void *row)
{
  csv_put_u64(stream, STATS(row)->time_wait_failures);
}

static void write_refused_failures(FILE *stream, const void *row)
{
  csv_put_u64(stream, STATS(row)->refused_failures);
}

static void write_unreachable_failures(FILE *stream, const void *row)
{
  csv_put_u64(stream, STATS(row)->unreachable_failures);
}

static void write_client_port_busy_failures(FILE *stream, const void *row)
{
  csv_put_u64(stream, STATS(row)->client_port_busy_failures);
}

static void write_retries(FILE *stream, const void *row)
{
  csv_put_u64(stream, STATS(row)->retries);
}

static void write_pasv_transfers(FILE *stream, const void *row)
{
  csv_put_u64(stream, STATS(row)->pasv_transfers);
}

static void write_fallback_time(FILE *stream, const void *row)
{
  csv_put_time_or_empty(stream, STATS(row)->fallback_time);
}

static void write_tarpit_delay(FILE *stream, const void *row)
{
  csv_put_time(stream, STATS(row)->tarpit_delay);
}

static void write_middlebox_rejected(FILE *stream, const void *row)
{
  csv_put_u64(stream, STATS(row)->middlebox_rejected);
}

static void write_middlebox_dropped(FILE *stream, const void *row)
{
  csv_put_u64(stream, STATS(row)->middlebox_dropped);
}

static void write_middlebox_data_blocked(FILE *stream, const void *row)
{
  csv_put_u64(stream, STATS(row)->middlebox_data_blocked);
}

static void write_nat_port_moves(FILE *stream, const void *row)
{
  csv_put_u64(stream, STATS(row)->nat_port_moves);
}

static void write_middlebox_end(FILE *stream, const void *row)
{
  if (STATS(row)->middlebox_end != NULL)
    csv_write_field(stream, STATS(row)->middlebox_end);
}

static void write_intended_commands(FILE *stream, const void *row)
{
  csv_put_u64(stream, STATS(row)->intended_commands);
}

static void write_unissued_commands(FILE *stream, const void *row)
{
  csv_put_u64(stream, session_stats_unissued(STATS(row)));
}

static void write_lost_commands(FILE *stream, const void *row)
{
  csv_put_u64(stream, session_stats_lost(STATS(row)));
}

static void write_start_port(FILE *stream, const void *row)
{
  if (STATS(row)->start_port >= 0)
    csv_put_u64(stream, (guint64)STATS(row)->start_port);
}

static void write_rejection_time(FILE *stream, const void *row)
{
  csv_put_time(stream, STATS(row)->rejection_time);
}

static const Column session_columns[] = {
    {"session", "session id, from 1, in platform order of client hosts (or deployment order)", write_session, NULL,
     COLUMN_INT},
    {"client_host", "the SimGrid host of the client", write_client_host, NULL, COLUMN_TEXT},
    {"server_host", "the SimGrid host of the server", write_server_host, NULL, COLUMN_TEXT},
    {"client_model", "the client model in force for this session", write_client_model, NULL, COLUMN_TEXT},
    {"server_policy", "the server policy in force for this session", write_server_policy, NULL, COLUMN_TEXT},
    {"start_time", "when the session opened its control connection", write_start_time, NULL, COLUMN_FLOAT},
    {"commands", "PORT commands issued (one per data command)", write_commands, NULL, COLUMN_INT},
    {"rejected", "PORT commands refused (by the server, or by a middlebox: `middlebox_rejected`)", write_rejected, NULL,
     COLUMN_INT},
    {"rejected_before_first_accept", "refusals before the first accepted PORT (all of them if none was accepted)",
     write_rejected_before_first_accept, NULL, COLUMN_INT},
    {"first_accept_port", "the first accepted port", write_first_accept_port, NULL, COLUMN_INT},
    {"first_accept_time", "when the first accepted PORT's positive reply arrived", write_first_accept_time, NULL,
     COLUMN_FLOAT},
    {"first_transfer_time", "when the first transfer completed (226 received)", write_first_transfer_time, NULL,
     COLUMN_FLOAT},
    {"transfers", "completed transfers", write_transfers, NULL, COLUMN_INT},
    {"bytes", "the bytes the completed transfers moved", write_bytes, NULL, COLUMN_INT},
    {"end_time", "when the session's QUIT was answered", write_end_time, NULL, COLUMN_FLOAT},
    {"outcome",
     "`ok` (every intended data command completed: none lost), `partial` (some failed), `all_rejected` (none "
     "completed, all refused by "
     "the policy), `all_failed` (none completed, some because a data connection failed), `aborted` (the client gave "
     "up), `disconnected` (the server answered 421 and closed), `banned` (refused or dropped by a ban), "
     "`ended_by_server` (the server closed the session at a data command after an accepted PORT, as vsftpd's "
     "`500 OOPS`), `stalled` (no data connection came after a 150, as pyftpdlib's after a refused PORT: the "
     "client's `client.accept_timeout` ended it), `ended_by_middlebox` (a middlebox on the route closed the "
     "control connection, or dropped a PORT and the client timed out: no reply came)",
     write_outcome, NULL, COLUMN_TEXT},
    {"data_commands", "data commands the user issued", write_data_commands, NULL, COLUMN_INT},
    {"failed_commands", "data commands that did not complete", write_failed_commands, NULL, COLUMN_INT},
    {"connection_failures", "data connections that could not be opened (425, or the client could not listen)",
     write_connection_failures, NULL, COLUMN_INT},
    {"time_wait_failures", "of those, the ones whose port was still in TIME_WAIT", write_time_wait_failures, NULL,
     COLUMN_INT},
    {"refused_failures", "of those, the ones refused because nothing listened (`client.listen=no`)",
     write_refused_failures, NULL, COLUMN_INT},
    {"unreachable_failures", "of those, the ones whose address did not answer (NAT, `network.third_party`)",
     write_unreachable_failures, NULL, COLUMN_INT},
    {"client_port_busy_failures",
     "of those, the data commands that failed before their PORT: the client's port was busy (listening, or in its "
     "own TIME_WAIT)",
     write_client_port_busy_failures, NULL, COLUMN_INT},
    {"retries", "PORTs sent again for the same data command (`client.reaction=retry`)", write_retries, NULL,
     COLUMN_INT},
    {"pasv_transfers", "transfers in passive mode", write_pasv_transfers, NULL, COLUMN_INT},
    {"fallback_time", "when the client switched to PASV", write_fallback_time, NULL, COLUMN_FLOAT},
    {"tarpit_delay", "seconds the server held its rejections back (`server.reaction=tarpit`)", write_tarpit_delay, NULL,
     COLUMN_FLOAT},
    {"middlebox_rejected",
     "of the refused PORTs, the ones a middlebox refused with its own reply (the server never "
     "saw them)",
     write_middlebox_rejected, NULL, COLUMN_INT},
    {"middlebox_dropped", "PORTs a middlebox dropped: no reply, the client gave up after `client.reply_timeout`",
     write_middlebox_dropped, NULL, COLUMN_INT},
    {"middlebox_data_blocked",
     "data connections a stateful firewall on the route dropped (it recorded no "
     "expectation; counted in `unreachable_failures` too)",
     write_middlebox_data_blocked, NULL, COLUMN_INT},
    {"nat_port_moves", "PORTs whose port a NAT changed, the named one being taken", write_nat_port_moves, NULL,
     COLUMN_INT},
    {"middlebox_end", "the host or link whose middlebox ended the session (`ended_by_middlebox`), else empty",
     write_middlebox_end, NULL, COLUMN_TEXT},
    {"intended_commands", "data commands the workload meant the session to issue (`session.commands`, or its draw)",
     write_intended_commands, NULL, COLUMN_INT},
    {"unissued_commands",
     "of those, the ones never issued because the session ended first (aborted, disconnected, banned, ended by the "
     "server)",
     write_unissued_commands, NULL, COLUMN_INT},
    {"lost_commands", "intended data commands that did not complete: `failed_commands` + `unissued_commands`",
     write_lost_commands, NULL, COLUMN_INT},
    {"start_port", "the first port the client named in a PORT or tried to listen on (empty: none)", write_start_port,
     NULL, COLUMN_INT},
    {"rejection_time", "seconds lost to refused PORTs: from sending each one to its reply (a tarpit's hold included)",
     write_rejection_time, NULL, COLUMN_FLOAT},
};

const ColumnTable sessions_csv = {"sessions.csv", "one row per session, in the order sessions end", session_columns,
                                  G_N_ELEMENTS(session_columns)};

void report_sessions_header(FILE *stream)
{
  columns_write_header(stream, &sessions_csv);
}

void report_session_row(FILE *stream, const SessionRecord *record)
{
  columns_write_row(stream, &sessions_csv, record);
}
