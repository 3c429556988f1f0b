/* The client's side of a session as a state machine (session.h): connect, log in, then each data
 * command's PORT (or PASV) attempts and transfer, then QUIT. Runs until the next wait; never blocks. */
#include "session.h"

#include <math.h>

#include <simgrid/engine.h>
#include <xbt/log.h>

#include "server_side.h"
#include "workload.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(ftpsim_session, ftpsim_engine, "FTP client sessions' state machine");

static const Wait go_on = {.kind = WAIT_NONE};

static PortRequest traced_request(const Session *session, FtpCommandType type, guint16 port)
{
  return (PortRequest){.port = port,
                       .address = session->client->spec->advertised_address,
                       .peer_address = session->client->spec->host.address,
                       .extended = type == FTP_EPRT};
}

/* One row of the trace; the reply's text is kept as the policy's static string, rendered when written. */
static void trace(Session *session, FtpCommandType type, guint16 port, FtpReply reply, const char *preamble,
                  DataFailure failure)
{
  const RecordSink *sink = &engine.options->sink;
  if (sink->exchange != NULL) {
    const ExchangeRecord record = {.time = engine_now(),
                                   .session = session->id,
                                   .client_host = session->client->spec->host.name,
                                   .server_host = session->server->spec->host.name,
                                   .command = ftp_command_names[type],
                                   .port = port,
                                   .reply_code = reply.code,
                                   .accepted = ftp_reply_is_positive(reply),
                                   .reply_text = reply.text,
                                   .reply_preamble = preamble,
                                   .request = traced_request(session, type, port),
                                   .failure = failure};
    sink->exchange(sink->data, &record);
  }
}

/* A data command that failed before its PORT: the client could not listen on its port. */
static void trace_unsent(Session *session, guint16 port)
{
  static const FtpCommandType transfer_types[] = {
      [DATA_LIST] = FTP_LIST, [DATA_RETR] = FTP_RETR, [DATA_STOR] = FTP_STOR};
  trace(session, transfer_types[session->kind], port, (FtpReply){0, NULL}, NULL, DATA_FAILURE_CLIENT_PORT_BUSY);
}

/* The next wait is for this command's reply; `then` is where the flow resumes with it. */
static Wait send_command(Session *session, FtpCommandType type, guint16 port, long length, SessionStep then)
{
  session->command.type = type;
  session->command.port = port;
  session->command_length = length + FTP_SEGMENT_HEADER_BYTES;
  session->step = then;
  return (Wait){.kind = WAIT_EXCHANGE};
}

static Wait end_data_command(Session *session, CommandResult result)
{
  session->result = result;
  session->commands_done++;
  session->step = STEP_NEXT_COMMAND;
  return go_on;
}

static Wait begin_data_command(Session *session)
{
  const ClientSettings *settings = session->settings;
  session->kind = session->rand ? draw_data_kind(settings, session->rand) : DATA_RETR;
  session->bytes = session->kind == DATA_LIST ? settings->list_size
                   : settings->file_size_dist == VALUE_EXPONENTIAL
                       ? (guint64)llround(draw_exponential(session->rand, (double)settings->file_size))
                       : settings->file_size;
  session->attempts = 0;
  session_stats_begin_command(&session->stats);
  engine_count_data_command();
  session->step = STEP_ATTEMPT;
  return go_on;
}

static FtpCommandType port_command_type(const ClientSettings *settings)
{
  return settings->port_command == PORT_COMMAND_EPRT ? FTP_EPRT : FTP_PORT;
}

/* PASV once the client has fallen back to it; otherwise a PORT on the next port, unless the client
 * cannot listen there (EADDRINUSE), which fails the command before any PORT. */
static Wait attempt(Session *session)
{
  ClientHost *client = session->client;
  session->passive = session->stats.fallback_time >= 0;
  if (session->passive)
    return send_command(session, FTP_PASV, 0, ftp_command_bytes[FTP_PASV], STEP_PASV_ANSWERED);

  guint16 port = port_allocator_next(session->ports, &session->query);
  session->port = port;
  session->attempts++;
  if (session->attempts > 1)
    session->stats.retries++;
  session_stats_port_sent(&session->stats, port, engine_now());
  if (time_wait_busy(client->ports_held, port, engine_now())) {
    session_stats_record_connection_failure(&session->stats, DATA_FAILURE_CLIENT_PORT_BUSY);
    if (session->settings->closer == TCP_CLOSER_CLIENT)
      session->stats.time_wait_failures++;
    session_stats_fail_command(&session->stats);
    trace_unsent(session, port);
    return end_data_command(session, NEXT_COMMAND);
  }
  if (session->settings->listen == CLIENT_LISTEN_YES)
    time_wait_hold(client->ports_held, port, INFINITY); /* listening */
  const guint32 address = session->query.local_address;
  const FtpCommandType type = port_command_type(session->settings);
  long length =
      type == FTP_EPRT ? (long)ftp_eprt_command_length(address, port) : (long)ftp_port_command_length(address, port);
  session->middlebox.port_sent = engine_now();
  return send_command(session, type, port, length, STEP_PORT_ANSWERED);
}

/* A refused PORT (its data command, if sent, has failed): as the client's reaction says. */
static Wait react_to_rejection(Session *session)
{
  const RejectionFacts facts = {.attempts = session->attempts, .session_rejections = session->stats.rejected};
  ReactionDecision decision = session->settings->reaction->on_rejection(session->settings->reaction_state, &facts);
  switch (decision.action) {
    case REACTION_NEXT_COMMAND:
      session_stats_fail_command(&session->stats);
      return end_data_command(session, NEXT_COMMAND);
    case REACTION_RETRY:
      session->step = STEP_ATTEMPT;
      return decision.delay > 0 ? (Wait){.kind = WAIT_FOR, .time = decision.delay} : go_on;
    case REACTION_USE_PASV:
      session->stats.fallback_time = engine_now();
      session->step = STEP_ATTEMPT;
      return go_on;
    case REACTION_GIVE_UP:
      session_stats_fail_command(&session->stats);
      session->stats.end = SESSION_END_GAVE_UP;
      return end_data_command(session, END_SESSION_WITH_QUIT);
  }
  g_assert_not_reached();
}

/* The server answered PORT: transfer if accepted; otherwise the data command anyway (client.data_after_reject)
 * or the client's reaction. */
static Wait port_answered(Session *session)
{
  const FtpReply *reply = session->reply;
  const guint16 port = session->port;
  if (session->middlebox.action >= MIDDLEBOX_DROP) { /* no reply: a middlebox dropped the PORT or closed */
    trace(session, port_command_type(session->settings), port, (FtpReply){0, NULL}, NULL,
          middlebox_route_failure(session));
    return (Wait){.kind = WAIT_UNTIL, .time = middlebox_route_port_unanswered(session)};
  }
  gboolean accepted = ftp_reply_is_positive(*reply);
  session_stats_record_port(&session->stats, port, accepted, engine_now());
  const PortRequest request = traced_request(session, FTP_PORT, port);
  trace(session, port_command_type(session->settings), port, *reply,
        accepted ? data_phase_port_preamble(session->data_phase, &request, *reply) : NULL, session->data_failure);
  XBT_DEBUG("session %" G_GUINT64_FORMAT ": PORT %u -> %u", session->id, (guint)port, (guint)reply->code);
  if (accepted) {
    session->step = STEP_TRANSFER_REQUEST;
    return go_on;
  }

  time_wait_release(session->client->ports_held, port);
  if (session->data_failure != DATA_FAILURE_NONE) /* a server that connects before it replies (pyftpdlib) */
    session_stats_record_connection_failure(&session->stats, session->data_failure);
  if (session->server_closed != SESSION_END_QUIT) { /* a 421 that closes (pyftpdlib's connect timeout does not) */
    session_stats_fail_command(&session->stats);
    session->stats.end = session->server_closed;
    return end_data_command(session, END_SESSION_CLOSED);
  }
  session->after_reject = session->settings->data_after_reject == DATA_AFTER_REJECT_YES;
  if (session->after_reject) {
    session->step = STEP_TRANSFER_REQUEST;
    return go_on;
  }
  return react_to_rejection(session);
}

/* A 150 after which the server holds (pyftpdlib after a refused PORT): the client waits for a data connection
 * that never comes, until its accept timeout; then it ends the session (QUIT). */
static Wait transfer_held(Session *session, guint16 data_port)
{
  trace(session, session->command.type, data_port, *session->reply, NULL, DATA_FAILURE_STALLED);
  session->step = STEP_STALLED;
  return (Wait){.kind = WAIT_FOR, .time = session->settings->accept_timeout};
}

/* RETR, LIST or STOR has ended, with 226 (done) or not. */
static Wait transfer_ended(Session *session, gboolean done)
{
  const guint64 moved = session->kind == DATA_LIST ? 0 : session->bytes;
  const double now = engine_now();
  if (session->passive) {
    if (done)
      session_stats_record_pasv_transfer(&session->stats, moved, now);
    else
      session_stats_fail_command(&session->stats);
    return end_data_command(session, NEXT_COMMAND);
  }
  if (done && session->settings->closer == TCP_CLOSER_CLIENT)
    time_wait_hold(session->client->ports_held, session->port, now + session->settings->time_wait);
  else
    time_wait_release(session->client->ports_held, session->port);
  if (done)
    session_stats_record_transfer(&session->stats, moved, now);
  else
    session_stats_fail_command(&session->stats);
  return end_data_command(session, NEXT_COMMAND);
}

/* The pause before a data command other than the first. */
static Wait think(Session *session)
{
  const ClientSettings *settings = session->settings;
  const double pause = settings->think_dist == VALUE_EXPONENTIAL ? draw_exponential(session->rand, settings->think_time)
                                                                 : settings->think_time;
  return (Wait){.kind = WAIT_FOR, .time = pause};
}

Wait session_step(Session *session)
{
  static const FtpCommandType transfer_types[] = {
      [DATA_LIST] = FTP_LIST, [DATA_RETR] = FTP_RETR, [DATA_STOR] = FTP_STOR};
  Wait wait = go_on;
  while (wait.kind == WAIT_NONE) {
    const FtpReply *reply = session->reply;
    const guint16 data_port = session->passive ? 0 : session->port;
    switch (session->step) {
      case STEP_START:
        session->step = STEP_CONNECT;
        if (session->start_time > 0)
          wait = (Wait){.kind = WAIT_UNTIL, .time = session->start_time};
        break;
      case STEP_CONNECT:
        session_stats_init(&session->stats, engine_now());
        session->stats.intended_commands = session->data_commands;
        wait = send_command(session, FTP_CONNECT, 0, ftp_command_bytes[FTP_CONNECT], STEP_GREETED);
        break;
      case STEP_GREETED:
        if (reply->code == reply_closing.code) {
          session->stats.end = session->server_closed;
          session->result = END_SESSION_CLOSED;
          session->step = STEP_QUIT;
        } else
          wait = send_command(session, FTP_USER, 0, ftp_command_bytes[FTP_USER], STEP_USER_ANSWERED);
        break;
      case STEP_USER_ANSWERED:
        wait = send_command(session, FTP_PASS, 0, ftp_command_bytes[FTP_PASS], STEP_NEXT_COMMAND);
        break;
      case STEP_NEXT_COMMAND:
        if (session->commands_done >= session->data_commands || session->result != NEXT_COMMAND) {
          session->step = STEP_QUIT;
          break;
        }
        session->step = STEP_DATA_COMMAND;
        if (session->commands_done > 0 && session->settings->think_time > 0)
          wait = think(session);
        break;
      case STEP_DATA_COMMAND:
        wait = begin_data_command(session);
        break;
      case STEP_ATTEMPT:
        wait = attempt(session);
        break;
      case STEP_PASV_ANSWERED:
        trace(session, FTP_PASV, 0, *reply, NULL, DATA_FAILURE_NONE);
        session->step = STEP_TRANSFER_REQUEST;
        break;
      case STEP_PORT_ANSWERED:
        wait = port_answered(session);
        break;
      case STEP_TRANSFER_REQUEST: {
        FtpCommandType type = transfer_types[session->kind];
        session->command.bytes = session->bytes;
        wait = send_command(session, type, data_port, ftp_command_bytes[type], STEP_TRANSFER_ANSWERED);
        break;
      }
      case STEP_TRANSFER_ANSWERED:
        if (session->data_held) {
          wait = transfer_held(session, data_port);
          break;
        }
        if (session->after_reject) { /* the refused PORT's data command failed: now the reaction */
          trace(session, session->command.type, data_port, *reply, NULL, session->data_failure);
          session->after_reject = FALSE;
          wait = react_to_rejection(session);
          break;
        }
        if (reply->code >= 100 && reply->code < 200) { /* 150 or 125: the data connection is open */
          session->step = STEP_TRANSFER_MOVED;
          wait = (Wait){.kind = WAIT_TRANSFER};
          break;
        }
        trace(session, session->command.type, data_port, *reply, NULL, session->data_failure);
        if (session->server_closed != SESSION_END_QUIT) { /* the server ended the session (500 OOPS) */
          transfer_ended(session, FALSE);
          session->stats.end = session->server_closed;
          session->result = END_SESSION_CLOSED;
          break;
        }
        if (session->data_failure != DATA_FAILURE_NONE)
          session_stats_record_connection_failure(&session->stats, session->data_failure);
        wait = transfer_ended(session, FALSE);
        break;
      case STEP_TRANSFER_MOVED:
        if (client_plays_server(session->settings)) /* the server's side of the transfer's end */
          server_close_transfer(session);
        session->step = STEP_TRANSFER_COMPLETED;
        wait = (Wait){.kind = WAIT_REPLY};
        break;
      case STEP_TRANSFER_COMPLETED:
        trace(session, session->command.type, data_port, *reply, NULL, DATA_FAILURE_NONE);
        wait = transfer_ended(session, reply->code == reply_complete.code);
        break;
      case STEP_STALLED:
        time_wait_release(session->client->ports_held, session->port);
        session_stats_fail_command(&session->stats);
        session->stats.end = SESSION_END_STALLED;
        wait = end_data_command(session, END_SESSION_WITH_QUIT);
        break;
      case STEP_QUIT:
        if (session->result != END_SESSION_CLOSED)
          wait = send_command(session, FTP_QUIT, 0, ftp_command_bytes[FTP_QUIT], STEP_CLOSED);
        else
          session->step = STEP_CLOSED;
        break;
      case STEP_CLOSED:
        session->stats.end_time = engine_now();
        wait = (Wait){.kind = WAIT_END};
        break;
    }
  }
  return wait;
}
