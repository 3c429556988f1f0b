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

void message_enter(Session *session, const ControlRoute *route, long bytes)
{
  gboolean beside_data = FALSE;
  control_message_enter(&session->message, route, bytes, &beside_data);
  if (beside_data)
    session->control_bytes += bytes;
}

/* Uncongested or loaded: a control message of the session on the route; blocks until it arrives. Loaded, it
 * waits out its latency, goes on the links, and waits until it has left them, again as long as messages
 * that entered after it delay it. */
static void send_message(Session *session, const ControlRoute *route, long bytes)
{
  if (session->settings->control != NETWORK_CONTROL_LOADED) {
    sg_actor_sleep_for(control_time(route, bytes));
    return;
  }
  if (route->latency > 0)
    sg_actor_sleep_for(route->latency);
  message_enter(session, route, bytes);
  /* the messages that go on the links at this instant all enter before any asks when it is due, so that
   * they are due together, and wake in the order they entered */
  sg_actor_yield();
  double due = control_message_due(&session->message);
  while (due > engine_now()) {
    sg_actor_sleep_until(due);
    due = control_message_due(&session->message);
  }
}

/* The reply that follows, without a new command: uncongested, it leaves the server now. */
static const FtpReply *next_reply(Session *session)
{
  if (session->settings->control == NETWORK_CONTROL_SHARED)
    return sg_mailbox_get(session->slot->to_client);
  long bytes = 0;
  const FtpReply *reply = reply_queue_pop(&session->pending_replies, &bytes);
  send_message(session, &session->to_client, bytes);
  return reply;
}

static const FtpReply *exchange(Session *session)
{
  if (session->settings->control != NETWORK_CONTROL_SHARED) {
    send_message(session, &session->to_server, session->command_length);
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

const ControlRoute *transfer_route(Session *session, double *bytes)
{
  /* loaded: the session's control bytes sent beside transfers since its last one take their place on the
   * links with this one, so that the links carry as many bytes as with the shared model */
  *bytes = (double)session->bytes + (double)session->control_bytes;
  session->control_bytes = 0;
  return session->command.type == FTP_STOR ? &session->to_server : &session->to_client;
}

/* Uncongested or loaded (or shared on the event loop), the client moves the bytes for both ends, and the route's links
 * count the flow. */
void move_data(Session *session)
{
  const FtpCommandType type = session->command.type;
  if (client_plays_server(session->settings)) {
    double bytes = 0;
    const ControlRoute *route = transfer_route(session, &bytes);
    control_route_flow(route, 1);
    if (type == FTP_STOR)
      sg_host_sendto(session->client->host, session->server->host, bytes);
    else
      sg_host_sendto(session->server->host, session->client->host, bytes);
    control_route_flow(route, -1);
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
    if (time > engine_now())
      sg_actor_sleep_until(time);
    Session *session = arrivals_session(&arrivals, client);
    if (session == NULL)
      break;
    start_session(session);
  }
  arrivals_clear(&arrivals);
}
