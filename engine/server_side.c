/* The server's side of a session (server_side.h): replies, the PORT gate, the reaction to rejections,
 * and the server's TIME_WAIT on data connections it closes. */
#include "server_side.h"

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/mailbox.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(ftpsim_server_side, ftpsim_engine, "FTP server's handling of commands");

static void send_reply(Session *session, FtpReply reply)
{
  FtpReply *buffer = &session->replies[session->next_reply];
  session->next_reply ^= 1;
  *buffer = reply;
  long bytes = (long)ftp_reply_length(reply) + FTP_SEGMENT_HEADER_BYTES;
  if (client_plays_server(session->settings))
    reply_queue_push(&session->pending_replies, buffer, bytes);
  else /* blocking: the client reads every reply at once, and SimGrid 3.32 ends a detached communication
        * by scanning every detached one in flight, quadratic with many sessions at once */
    sg_mailbox_put(session->slot->to_client, buffer, bytes);
}

/* The server takes this long before its next reply (a tarpit, a connect that times out). */
static void server_wait(Session *session, double delay)
{
  if (client_plays_server(session->settings)) /* the client's driver waits it out */
    session->server_delay += delay;
  else
    sg_actor_sleep_for(delay);
}

/* A rejected PORT goes through the server's reaction: maybe a delay, maybe 421 and close. */
static gboolean server_reject(Session *session, FtpReply rejection)
{
  ServerHost *server = session->server;
  session->server_rejections++;
  ServerVerdict verdict = server->settings.reaction->on_rejection(
      server->reaction_state, session->client->spec->host.address, session->server_rejections, engine_now());
  if (verdict.delay > 0) {
    session->stats.tarpit_delay += verdict.delay;
    server_wait(session, verdict.delay);
  }
  if (verdict.action == SERVER_KEEP) {
    send_reply(session, rejection);
    return TRUE;
  }
  session->server_closed = verdict.action == SERVER_BAN ? SESSION_END_BANNED : SESSION_END_DISCONNECTED;
  send_reply(session, reply_closing);
  return FALSE;
}

/* What the server's connection to the address and port the client named meets now. */
static DataPath data_path(Session *session, const PortRequest *request)
{
  const ClientSettings *settings = session->settings;
  const gboolean own = request->address == session->client->spec->host.address;
  DataPath path = {
      .listening = !own || settings->listen == CLIENT_LISTEN_YES, /* a reachable third party listens (FXP) */
      .reachable = own || settings->third_party == THIRD_PARTY_REACHABLE,
      .port20_time_wait =
          settings->closer == TCP_CLOSER_SERVER &&
          time_wait_busy(session->server->time_wait, time_wait_key(request->address, request->port), engine_now()),
  };
  if (session->middlebox.route != NULL) /* a NAT's address, a firewall without an expectation */
    middlebox_route_data_path(session, &path);
  return path;
}

static PortRequest port_request(const Session *session, guint16 port, gboolean extended)
{
  return (PortRequest){.port = port,
                       .address = session->client->spec->advertised_address,
                       .peer_address = session->client->spec->host.address,
                       .extended = extended};
}

typedef enum { TRANSFER_OPEN, TRANSFER_FAILED, TRANSFER_HELD, TRANSFER_SESSION_ENDED } TransferStart;

/* A data command without a usable PORT (client.data_after_reject=yes after a refusal): the policy's no_port
 * reply (vsftpd "425 Use PORT or PASV first."), or a 150 after which the server holds (pyftpdlib). */
static TransferStart server_refuse_transfer(Session *session)
{
  session->data_failure = DATA_FAILURE_NO_PORT;
  if (session->data_phase == NULL) { /* no PORT at all: never with this engine's clients */
    send_reply(session, reply_no_data_port);
    return TRANSFER_FAILED;
  }
  const DataCommandResult result = data_phase_data_command(session->data_phase, (FtpReply){0}, &(DataPath){0});
  if (result.fate == SESSION_HELD) {
    session->data_held = TRUE;
    send_reply(session, result.preliminary);
    return TRANSFER_HELD;
  }
  send_reply(session, result.final);
  return TRANSFER_FAILED;
}

/* RETR, LIST, STOR, first half: the policy's data phase (data_phase.h) says whether the data connection
 * opens (150/125), fails (425) or the server ends the session. */
static TransferStart server_open_transfer(Session *session)
{
  session->data_held = FALSE;
  if (!session->data_ready)
    return server_refuse_transfer(session);
  session->data_ready = FALSE; /* one PORT or PASV per transfer, as RFC 959 clients do */
  session->data_failure = DATA_FAILURE_NONE;
  if (session->data_passive) {
    session->transfer_complete = reply_complete;
    send_reply(session, reply_opening);
    return TRANSFER_OPEN;
  }
  const PortRequest request = port_request(session, session->data_port, FALSE);
  const DataPath path = data_path(session, &request);
  const DataCommandResult result = data_phase_data_command(session->data_phase, session->port_reply, &path);
  session->data_failure = result.failure;
  if (result.failure == DATA_FAILURE_UNREACHABLE) /* its SYNs go unanswered until connect() gives up */
    server_wait(session, data_phase_connect_timeout(session->data_phase, session->server->settings.connect_timeout));
  if (result.fate == SESSION_ENDED_BY_SERVER) {
    session->server_closed = SESSION_END_BY_SERVER;
    send_reply(session, result.final);
    return TRANSFER_SESSION_ENDED;
  }
  if (result.preliminary.code == 0) {
    send_reply(session, result.final);
    return TRANSFER_FAILED;
  }
  session->transfer_complete = result.final;
  send_reply(session, result.preliminary);
  return TRANSFER_OPEN;
}

void server_close_transfer(Session *session)
{
  ServerHost *server = session->server;
  /* Only a connection from port 20 leaves a 4-tuple that the next one to the same client port reuses. */
  if (!session->data_passive && session->settings->closer == TCP_CLOSER_SERVER &&
      session->data_phase->source == DATA_SOURCE_PORT_20)
    time_wait_hold(server->time_wait, time_wait_key(session->client->spec->advertised_address, session->data_port),
                   engine_now() + server->settings.time_wait);
  send_reply(session, session->transfer_complete);
}

gboolean server_handle(Session *session, const FtpCommand *command)
{
  ServerHost *server = session->server;
  const guint32 peer = session->client->spec->host.address;
  const gboolean uncongested = client_plays_server(session->settings);
  switch (command->type) {
    case FTP_CONNECT:
      if (server->settings.reaction->admit != NULL &&
          !server->settings.reaction->admit(server->reaction_state, peer, engine_now())) {
        session->server_closed = SESSION_END_BANNED;
        send_reply(session, reply_closing);
        return FALSE;
      }
      send_reply(session, reply_greeting);
      return TRUE;
    case FTP_USER:
      send_reply(session, reply_user);
      return TRUE;
    case FTP_PASS:
      send_reply(session, reply_pass);
      return TRUE;
    case FTP_PORT:
    case FTP_EPRT: {
      PortRequest request = port_request(session, command->port, command->type == FTP_EPRT);
      FtpReply box_reply;
      gboolean open = TRUE;
      if (session->middlebox.route != NULL && !middlebox_route_port(session, &request, &box_reply, &open)) {
        session->data_ready = FALSE; /* a middlebox answered, dropped or closed: the server never saw it */
        send_reply(session, box_reply);
        return open;
      }
      const FtpReply verdict = port_gate_check(&server->gate, &request);
      session->data_passive = FALSE;
      session->data_port = command->port;
      session->data_failure = DATA_FAILURE_NONE;
      session->data_phase = port_gate_data_phase(&server->gate, &request); /* its no_port answers a refusal too */
      if (!ftp_reply_is_positive(verdict)) {
        session->data_ready = FALSE;
        return server_reject(session, verdict);
      }
      /* Only a server that connects before replying meets the path now (no TIME_WAIT lookup otherwise). */
      const DataPath path =
          session->data_phase->connect == CONNECT_BEFORE_PORT_REPLY ? data_path(session, &request) : (DataPath){0};
      session->port_reply = data_phase_port_reply(session->data_phase, verdict, &path, &session->data_failure);
      if (session->data_failure == DATA_FAILURE_UNREACHABLE)
        server_wait(session, data_phase_connect_timeout(session->data_phase, server->settings.connect_timeout));
      session->data_ready = ftp_reply_is_positive(session->port_reply);
      send_reply(session, session->port_reply);
      return TRUE;
    }
    case FTP_PASV:
      session->data_ready = TRUE;
      session->data_passive = TRUE;
      send_reply(session, reply_passive);
      return TRUE;
    case FTP_RETR:
    case FTP_LIST:
    case FTP_STOR:
      switch (server_open_transfer(session)) {
        case TRANSFER_SESSION_ENDED:
          return FALSE;
        case TRANSFER_FAILED:
        case TRANSFER_HELD: /* nothing more until the client's next command */
          return TRUE;
        case TRANSFER_OPEN:
          break;
      }
      if (!uncongested) {
        if (command->type == FTP_STOR)
          sg_mailbox_get(session->slot->data);
        else
          sg_mailbox_put(session->slot->data, &session->command,
                         (long)(command->type == FTP_LIST ? session->settings->list_size : command->bytes));
        server_close_transfer(session);
      }
      return TRUE;
    case FTP_QUIT:
      send_reply(session, reply_quit);
      return FALSE;
  }
  return TRUE;
}

void server_session_actor(int argc, char *argv[])
{
  (void)argc;
  (void)argv;
  Session *session = sg_actor_self_get_data();
  while (server_handle(session, sg_mailbox_get(session->slot->to_server)))
    ;
}
