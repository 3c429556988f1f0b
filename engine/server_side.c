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
  if (session->settings->control == NETWORK_CONTROL_UNCONGESTED)
    reply_queue_push(&session->pending_replies, buffer, bytes);
  else /* blocking: the client reads every reply at once, and SimGrid 3.32 ends a detached communication
        * by scanning every detached one in flight, quadratic with many sessions at once */
    sg_mailbox_put(session->slot->to_client, buffer, bytes);
}

/* A rejected PORT goes through the server's reaction: maybe a delay, maybe 421 and close. */
static gboolean server_reject(Session *session, FtpReply rejection)
{
  ServerHost *server = session->server;
  session->server_rejections++;
  ServerVerdict verdict = server->settings.reaction->on_rejection(
      server->reaction_state, session->client->spec->host.address, session->server_rejections, simgrid_get_clock());
  if (verdict.delay > 0) {
    session->stats.tarpit_delay += verdict.delay;
    if (session->settings->control == NETWORK_CONTROL_UNCONGESTED) /* the client's driver waits it out */
      session->server_delay = verdict.delay;
    else
      sg_actor_sleep_for(verdict.delay);
  }
  if (verdict.action == SERVER_KEEP) {
    send_reply(session, rejection);
    return TRUE;
  }
  session->server_closed = verdict.action == SERVER_BAN ? SESSION_END_BANNED : SESSION_END_DISCONNECTED;
  send_reply(session, reply_closing);
  return FALSE;
}

/* RETR, LIST, STOR, first half: may the data connection open? Answers 150 if so (TRUE), or 425. */
static gboolean server_open_transfer(Session *session)
{
  ServerHost *server = session->server;
  if (!session->data_ready) {
    send_reply(session, reply_no_data_port);
    return FALSE;
  }
  session->data_ready = FALSE; /* one PORT or PASV per transfer, as RFC 959 clients do */
  session->time_wait_hit = FALSE;
  if (!session->data_passive) {
    /* Active mode: the server connects from its port 20 to the address and port the client named. */
    const guint32 target = session->client->spec->advertised_address;
    if (target != session->client->spec->host.address) { /* a private address behind NAT: unreachable */
      send_reply(session, reply_cannot_open);
      return FALSE;
    }
    if (session->settings->closer == TCP_CLOSER_SERVER &&
        time_wait_busy(server->time_wait, time_wait_key(target, session->data_port), simgrid_get_clock())) {
      session->time_wait_hit = TRUE;
      send_reply(session, reply_cannot_open);
      return FALSE;
    }
  }
  send_reply(session, reply_opening);
  return TRUE;
}

void server_close_transfer(Session *session)
{
  ServerHost *server = session->server;
  if (!session->data_passive && session->settings->closer == TCP_CLOSER_SERVER)
    time_wait_hold(server->time_wait, time_wait_key(session->client->spec->advertised_address, session->data_port),
                   simgrid_get_clock() + server->settings.time_wait);
  send_reply(session, reply_complete);
}

gboolean server_handle(Session *session, const FtpCommand *command)
{
  ServerHost *server = session->server;
  const guint32 peer = session->client->spec->host.address;
  const gboolean uncongested = session->settings->control == NETWORK_CONTROL_UNCONGESTED;
  switch (command->type) {
    case FTP_CONNECT:
      if (server->settings.reaction->admit != NULL &&
          !server->settings.reaction->admit(server->reaction_state, peer, simgrid_get_clock())) {
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
      const PortRequest request = {.port = command->port,
                                   .address = session->client->spec->advertised_address,
                                   .peer_address = peer,
                                   .extended = command->type == FTP_EPRT};
      FtpReply reply = port_gate_check(&server->gate, &request);
      session->data_ready = ftp_reply_is_positive(reply);
      session->data_passive = FALSE;
      session->data_port = command->port;
      if (session->data_ready) {
        send_reply(session, reply);
        return TRUE;
      }
      return server_reject(session, reply);
    }
    case FTP_PASV:
      session->data_ready = TRUE;
      session->data_passive = TRUE;
      send_reply(session, reply_passive);
      return TRUE;
    case FTP_RETR:
    case FTP_LIST:
    case FTP_STOR:
      if (server_open_transfer(session) && !uncongested) {
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
