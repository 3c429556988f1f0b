/* The actor driver (driver_actors.h): each wait of a session's state machine done by blocking in SimGrid. */
#include "driver_actors.h"

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/mailbox.h>
#include <xbt/log.h>

#include "server_side.h"
#include "workload.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(ftpsim_driver_actors, ftpsim_engine, "FTP sessions run by an actor each");

/* The reply that follows, without a new command: uncongested, it leaves the server now. */
static const FtpReply *next_reply(Session *session)
{
  if (session->settings->control != NETWORK_CONTROL_UNCONGESTED)
    return sg_mailbox_get(session->slot->to_client);
  long bytes = 0;
  const FtpReply *reply = reply_queue_pop(&session->pending_replies, &bytes);
  sg_actor_sleep_for(travel_time(&session->to_client, bytes));
  return reply;
}

static const FtpReply *exchange(Session *session)
{
  if (session->settings->control == NETWORK_CONTROL_UNCONGESTED) {
    sg_actor_sleep_for(travel_time(&session->to_server, session->command_length));
    server_handle(session, &session->command);
    if (session->server_delay > 0) {
      sg_actor_sleep_for(session->server_delay);
      session->server_delay = 0;
    }
    return next_reply(session);
  }
  if (session->slot == NULL) { /* the connection opens: the server forks its process for it */
    session->slot = mailbox_pool_take(&engine.mailboxes);
    start_actor("ftp-server", session->server->host, server_session_actor, session);
  }
  sg_mailbox_put(session->slot->to_server, &session->command, session->command_length);
  return sg_mailbox_get(session->slot->to_client);
}

/* Uncongested, the client moves the bytes for both ends. */
void move_data(Session *session)
{
  const FtpCommandType type = session->command.type;
  if (session->settings->control == NETWORK_CONTROL_UNCONGESTED) {
    if (type == FTP_STOR)
      sg_host_sendto(session->client->host, session->server->host, (double)session->bytes);
    else
      sg_host_sendto(session->server->host, session->client->host, (double)session->bytes);
  } else if (type == FTP_STOR)
    sg_mailbox_put(session->slot->data, &session->command, (long)session->bytes);
  else
    sg_mailbox_get(session->slot->data);
}

static void session_actor(int argc, char *argv[])
{
  (void)argc;
  (void)argv;
  Session *session = sg_actor_self_get_data();
  for (;;) {
    const Wait wait = session_step(session);
    switch (wait.kind) {
      case WAIT_NONE:
        break;
      case WAIT_FOR:
        sg_actor_sleep_for(wait.time);
        break;
      case WAIT_UNTIL:
        sg_actor_sleep_until(wait.time);
        break;
      case WAIT_EXCHANGE:
        session->reply = exchange(session);
        break;
      case WAIT_REPLY:
        session->reply = next_reply(session);
        break;
      case WAIT_TRANSFER:
        move_data(session);
        break;
      case WAIT_END:
        session_finish(session);
        return;
    }
  }
}

void start_session(Session *session)
{
  start_actor("ftp-client", session->client->host, session_actor, session);
}

/* Sessions that have not arrived yet cost nothing, so long runs keep only the live ones in memory. */
void client_host_actor(int argc, char *argv[])
{
  (void)argc;
  (void)argv;
  ClientHost *client = sg_actor_self_get_data();
  Arrivals arrivals;
  arrivals_init(&arrivals, client);
  double time = 0;
  while (arrivals_next(&arrivals, &time)) {
    if (time > simgrid_get_clock())
      sg_actor_sleep_until(time);
    Session *session = arrivals_session(&arrivals, client);
    if (session == NULL)
      break;
    start_session(session);
  }
  arrivals_clear(&arrivals);
}
