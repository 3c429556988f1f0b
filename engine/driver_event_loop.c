/* The event-loop driver (driver_event_loop.h).
 *
 * With network.control=uncongested or loaded every wait but a data transfer has a known end, so one actor
 * can run the sessions of every client host from a queue of timed events: a live session is then a Session
 * and a queue entry, no actor and no stack. At equal times the queue runs a host's events before the next
 * host's (its lane), as separate loops per host did. A transfer is still a SimGrid flow, moved by an actor
 * of its own that wakes the loop when it ends, unless network.transfers=loaded: then transfers and messages
 * alike are timed by the fluid model of the links (fluid_network.h), whose next departure is one event of
 * the queue. While no flow is in flight, nothing but the loop can act in SimGrid, so the loop moves time
 * itself instead of a SimGrid wait per event time (5x faster; the same bytes, tests/test_control.c).
 * With network.control=shared each control message is such a flow too (client to server host for a command,
 * back for a reply), and each host has a loop of its own: a session's flows run back to back in an actor that
 * lives while they do (run_flows), and what follows a flow's end runs in its actor's turn, so that sessions go
 * on in SimGrid's order, as with the actor driver (tests/test_drivers_equal.c). Events at equal times run in
 * the order they were queued; the actor driver runs such ties in SimGrid's scheduling order instead, so
 * sessions that touch shared state (a host-wide counter, a server's ban list) at the very same instant may
 * order differently. */
#include "driver_event_loop.h"

#include <math.h>

#include <simgrid/actor.h>
#include <simgrid/cond.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/mutex.h>
#include <xbt/config.h>
#include <xbt/log.h>

#include "driver_actors.h"
#include "event_queue.h"
#include "server_side.h"
#include "workload.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(ftpsim_driver_event_loop, ftpsim_engine, "FTP sessions run by an event loop");

typedef enum {
  EVENT_ARRIVAL,
  EVENT_RESUME,
  EVENT_COMMAND_ARRIVES,
  EVENT_REPLY_LEAVES,
  EVENT_MESSAGE_ENTERS, /* loaded: a message's latency has passed, its bytes go on the links */
  EVENT_MESSAGE_DUE,    /* loaded: a message may have left the links (unless others entered since) */
  EVENT_FLUID_ENTERS,   /* network.transfers=loaded: a message's or transfer's latency has passed */
  EVENT_FLUID_LEAVES    /* network.transfers=loaded: the next message leaves the links, unless changed since */
} LoopEvent;

/* A client host the loop runs, with its workload's arrivals. */
typedef struct LoopHost {
  ClientHost *client;
  Arrivals arrivals;
} LoopHost;

struct SessionLoop {
  GArray *hosts; /* LoopHost: one, or every client host of the run (session_loops_init); complete before
                  * the loop starts, as its arrival events point into it. The first one starts and frees it. */
  EventQueue events;
  guint transfers; /* flows in flight: transfers, and shared control's messages */
  sg_mutex_t mutex;
  sg_cond_t transfer_ended;
  double waiting_until; /* the loop waits for its next event's time (INFINITY: for a flow's end only) */
  double fluid_leaves;  /* network.transfers=loaded: the one EVENT_FLUID_LEAVES that counts (others are stale) */
};

static void host_loop_actor(int argc, char *argv[]);

/* A session's event, in its host's lane: at equal times a loop for many hosts runs them host after host, as
 * loops of their own would. */
static inline void loop_push(SessionLoop *loop, double time, Session *session, LoopEvent kind)
{
  event_queue_push_in_lane(&loop->events, time, session->client->index, session, kind);
}

/* The run's one loop for every host (session_loops_init), once made; NULL: a loop per host. */
static SessionLoop *loop_of_all;
static gboolean one_loop;
/* The run's one loop, with no actor driver beside it: while it has no flow in flight nothing else can happen
 * in SimGrid, so it moves time itself (engine_clock_ahead) instead of a SimGrid wait per event. */
static gboolean loop_moves_time;

void session_loops_init(gboolean one_for_all)
{
  one_loop = one_for_all;
  loop_of_all = NULL;
  loop_moves_time = FALSE;
  engine_clock_ahead = -INFINITY;
}

SessionLoop *session_loop_of(ClientHost *client)
{
  if (client->loop != NULL)
    return client->loop;
  SessionLoop *loop = one_loop ? loop_of_all : NULL;
  if (loop == NULL) {
    loop = g_new0(SessionLoop, 1);
    loop->hosts = g_array_new(FALSE, TRUE, sizeof(LoopHost));
    event_queue_init(&loop->events);
    loop->mutex = sg_mutex_init();
    loop->transfer_ended = sg_cond_init();
    loop->waiting_until = -INFINITY;
    loop->fluid_leaves = INFINITY;
    if (one_loop)
      loop_of_all = loop;
  }
  const LoopHost host = {.client = client};
  g_array_append_val(loop->hosts, host);
  client->loop = loop;
  return loop;
}

/* The host that starts its loop and frees it: the loop's first. */
static gboolean owns_loop(const ClientHost *client)
{
  return client->loop != NULL && g_array_index(client->loop->hosts, LoopHost, 0).client == client;
}

void session_loop_free(ClientHost *client)
{
  if (!owns_loop(client))
    return;
  SessionLoop *loop = client->loop;
  for (guint i = 0; i < loop->hosts->len; i++) /* the other hosts let go of it too */
    g_array_index(loop->hosts, LoopHost, i).client->loop = NULL;
  g_array_free(loop->hosts, TRUE);
  event_queue_clear(&loop->events);
  sg_mutex_destroy(loop->mutex);
  sg_cond_destroy(loop->transfer_ended);
  g_free(loop);
}

void session_loops_start(void)
{
  guint loops = 0;
  for (guint i = 0; i < engine.scenario->clients->len; i++) {
    if (owns_loop(&engine.clients[i])) {
      start_actor("ftp-session-loop", engine.clients[i].host, host_loop_actor, engine.clients[i].loop);
      loops++;
    }
  }
  /* FTPSIM_LOOP_WAITS_IN_SIMGRID=1: a SimGrid wait per event time anyway, to check that the times are the
   * same (tests/test_control.c) */
  loop_moves_time = one_loop && loops == 1 && g_getenv("FTPSIM_LOOP_WAITS_IN_SIMGRID") == NULL;
}

void session_loop_queue(ClientHost *client, Session *session)
{
  loop_push(session_loop_of(client), 0, session, EVENT_RESUME);
}

static void loop_wait(SessionLoop *loop, Session *session, Wait wait);
static void loop_command_arrives(SessionLoop *loop, Session *session);

/* Brings SimGrid's clock to the loop's before SimGrid is asked to do something at that time. */
static void loop_sync_clock(void)
{
  if (engine_clock_ahead > simgrid_get_clock())
    sg_actor_sleep_until(engine_clock_ahead);
}

/* Wakes the loop when a flow's end has changed what it waits for: an event before the time it waits until,
 * or nothing left to run. Not on every flow's end: each wake-up would leave a timed wait behind in SimGrid,
 * a cost that grows with the flows. */
static void wake_loop(SessionLoop *loop)
{
  const QueuedEvent *next = event_queue_peek(&loop->events);
  if (next != NULL ? next->time < loop->waiting_until : loop->transfers == 0)
    sg_cond_notify_one(loop->transfer_ended);
}

static void loop_resume(SessionLoop *loop, Session *session)
{
  loop_wait(loop, session, session_step(session));
}

/* A flow of the session has ended: what follows runs now, in this actor's turn, so that sessions whose
 * flows end at one instant go on in the order SimGrid ends them, as their actors would with the actor
 * driver (and not host by host). The loop is told, as its next event may have changed. */
static void flow_ended(Session *session, LoopEvent then)
{
  SessionLoop *loop = session->client->loop;
  loop->transfers--;
  if (then == EVENT_COMMAND_ARRIVES)
    loop_command_arrives(loop, session);
  else
    loop_resume(loop, session);
  wake_loop(loop);
}

/* uncongested or loaded: the transfer, the one SimGrid flow of these models. */
static void transfer_actor(int argc, char *argv[])
{
  (void)argc;
  (void)argv;
  Session *session = sg_actor_self_get_data();
  move_data(session);
  engine_memory_give(MEMORY_LOOP_TRANSFER_BYTES);
  flow_ended(session, EVENT_RESUME);
}

static gboolean is_flow(WaitKind kind)
{
  return kind == WAIT_EXCHANGE || kind == WAIT_REPLY || kind == WAIT_TRANSFER;
}

/* network.control=shared: the session's flows back to back in one actor, as long as they follow each
 * other, each started and ended in the turns where the actor driver's client and server actors would:
 * a command (client to server host), the server's side and its delay, the reply (back); a transfer; the
 * reply after it. Then the session's next wait goes to the loop (a timer, or its end) and the actor ends:
 * a session has an actor only while it has bytes in flight, and never a server actor. */
static void run_flows(Session *session, WaitKind kind)
{
  SessionLoop *loop = session->client->loop;
  sg_host_t client = session->client->host, server = session->server->host;
  Wait wait = {.kind = kind};
  while (is_flow(wait.kind)) {
    if (wait.kind == WAIT_EXCHANGE) {
      sg_host_sendto(client, server, (double)session->command_length);
      server_handle(session, &session->command);
      if (session->server_delay > 0) {
        sg_actor_sleep_for(session->server_delay);
        session->server_delay = 0;
      }
    } else if (wait.kind == WAIT_TRANSFER)
      move_data(session);
    if (wait.kind != WAIT_TRANSFER) {
      long bytes = 0;
      session->reply = reply_queue_pop(&session->pending_replies, &bytes);
      sg_host_sendto(server, client, (double)bytes);
    }
    wait = session_step(session);
  }
  loop->transfers--;
  loop_wait(loop, session, wait);
  wake_loop(loop);
}

static void exchange_actor(int argc, char *argv[])
{
  (void)argc;
  (void)argv;
  run_flows(sg_actor_self_get_data(), WAIT_EXCHANGE);
}

static void reply_actor(int argc, char *argv[])
{
  (void)argc;
  (void)argv;
  run_flows(sg_actor_self_get_data(), WAIT_REPLY);
}

static void shared_transfer_actor(int argc, char *argv[])
{
  (void)argc;
  (void)argv;
  run_flows(sg_actor_self_get_data(), WAIT_TRANSFER);
}

/* network.transfers=loaded: the links' next change is when the first message leaves them; an event at that
 * time, unless one is queued for it already (the queued ones at other times are stale, and skipped). */
static void loop_fluid_schedule(SessionLoop *loop)
{
  const double next = fluid_network_next(control_fluid_network());
  if (next == loop->fluid_leaves || next == INFINITY)
    return;
  loop->fluid_leaves = next;
  event_queue_push_in_lane(&loop->events, next, 0, NULL, EVENT_FLUID_LEAVES);
}

static void loop_fluid_enter(SessionLoop *loop, Session *session)
{
  const ControlMessage *message = &session->message;
  fluid_network_enter(control_fluid_network(), message->route->fluid, engine_now(), (double)message->bytes, session);
  loop_fluid_schedule(loop);
}

static void loop_message_arrived(SessionLoop *loop, Session *session);

/* The messages that have left the links by now arrive, each going on with its session in turn. */
static void loop_fluid_leave(SessionLoop *loop, double time)
{
  if (time != loop->fluid_leaves)
    return; /* stale: the links changed after it was queued */
  loop->fluid_leaves = INFINITY;
  const double now = engine_now();
  Session *session;
  while ((session = fluid_network_leave(control_fluid_network(), now, instant_tolerance(now))) != NULL)
    loop_message_arrived(loop, session);
  loop_fluid_schedule(loop);
}

/* Uncongested or loaded: a control message of the session on the route, that leads to the event `then` when it
 * arrives. Loaded, it goes on the links once its latency has passed, then is due when it has left them. */
static void loop_send(SessionLoop *loop, Session *session, const ControlRoute *route, long bytes, LoopEvent then)
{
  const double now = engine_now();
  if (session->settings->control != NETWORK_CONTROL_LOADED) {
    loop_push(loop, now + control_time(route, bytes), session, then);
    return;
  }
  session->message.route = route;
  session->message.bytes = bytes;
  session->message_then = then;
  if (session->settings->transfers == NETWORK_TRANSFERS_LOADED) {
    if (route->latency > 0)
      loop_push(loop, now + route->latency, session, EVENT_FLUID_ENTERS);
    else
      loop_fluid_enter(loop, session);
    return;
  }
  if (route->latency > 0)
    loop_push(loop, now + route->latency, session, EVENT_MESSAGE_ENTERS);
  else {
    message_enter(session, route, bytes);
    loop_push(loop, now, session, EVENT_MESSAGE_DUE);
  }
}

/* network.transfers=loaded: the transfer's bytes on its route, as a message that resumes the session when it
 * arrives. */
static void loop_send_transfer(SessionLoop *loop, Session *session)
{
  double bytes = 0;
  const ControlRoute *route = transfer_route(session, &bytes);
  loop_send(loop, session, route, (long)bytes, EVENT_RESUME);
}

static void loop_reply_leaves(SessionLoop *loop, Session *session)
{
  long bytes = 0;
  session->reply = reply_queue_pop(&session->pending_replies, &bytes);
  loop_send(loop, session, &session->to_client, bytes, EVENT_RESUME);
}

static void loop_wait(SessionLoop *loop, Session *session, Wait wait)
{
  const double now = engine_now();
  if (session->settings->control == NETWORK_CONTROL_SHARED && is_flow(wait.kind)) {
    static const xbt_main_func_t flows[] = {
        [WAIT_EXCHANGE] = exchange_actor, [WAIT_REPLY] = reply_actor, [WAIT_TRANSFER] = shared_transfer_actor};
    loop->transfers++;
    loop_sync_clock();
    start_actor("ftp-flows", session->client->host, flows[wait.kind], session);
    return;
  }
  switch (wait.kind) {
    case WAIT_NONE:
      break;
    case WAIT_FOR:
      loop_push(loop, now + wait.time, session, EVENT_RESUME);
      break;
    case WAIT_UNTIL:
      loop_push(loop, MAX(now, wait.time), session, EVENT_RESUME);
      break;
    case WAIT_EXCHANGE:
      loop_send(loop, session, &session->to_server, session->command_length, EVENT_COMMAND_ARRIVES);
      break;
    case WAIT_REPLY:
      loop_reply_leaves(loop, session);
      break;
    case WAIT_TRANSFER:
      if (session->settings->transfers == NETWORK_TRANSFERS_LOADED) { /* timed as a message: no actor, no flow */
        loop_send_transfer(loop, session);
        break;
      }
      loop->transfers++;
      engine_memory_take(MEMORY_LOOP_TRANSFER_BYTES); /* the actor below */
      loop_sync_clock();
      start_actor("ftp-data", session->client->host, transfer_actor, session);
      break;
    case WAIT_END:
      session_finish(session);
      break;
  }
}

/* The server's side of a command, when it arrives. */
static void loop_command_arrives(SessionLoop *loop, Session *session)
{
  server_handle(session, &session->command);
  if (session->server_delay > 0) {
    loop_push(loop, engine_now() + session->server_delay, session, EVENT_REPLY_LEAVES);
    session->server_delay = 0;
  } else
    loop_reply_leaves(loop, session);
}

/* A control message (or a loaded transfer) has arrived: the event it leads to. */
static void loop_message_arrived(SessionLoop *loop, Session *session)
{
  if (session->message_then == EVENT_COMMAND_ARRIVES)
    loop_command_arrives(loop, session);
  else
    loop_resume(loop, session);
}

static void host_loop_actor(int argc, char *argv[])
{
  (void)argc;
  (void)argv;
  SessionLoop *loop = sg_actor_self_get_data();
  double time = 0;
  for (guint i = 0; engine.scenario->deployed == NULL && i < loop->hosts->len; i++) {
    LoopHost *host = &g_array_index(loop->hosts, LoopHost, i);
    arrivals_init(&host->arrivals, host->client);
    if (arrivals_next(&host->arrivals, &time))
      event_queue_push_in_lane(&loop->events, time, host->client->index, host, EVENT_ARRIVAL);
  }
  sg_mutex_lock(loop->mutex);
  double reached = -INFINITY; /* the latest time waited for: events up to it are due */
  /* As SimGrid ends together the actions that end within its timing precision of each other, an event
   * closer than that to now is due now (and no wait shorter than SimGrid can time is asked for). */
  const double precision = sg_cfg_get_double("surf/precision");
  for (;;) {
    const QueuedEvent *next = event_queue_peek(&loop->events);
    if (next == NULL) {
      if (loop->transfers == 0)
        break;
      loop->waiting_until = INFINITY;
      sg_cond_wait(loop->transfer_ended, loop->mutex);
      loop->waiting_until = -INFINITY;
      continue;
    }
    const double now = engine_now();
    if (next->time >= now + precision && next->time > reached) {
      const double until = next->time;
      if (loop->transfers == 0 && loop_moves_time) {
        /* the sum by which SimGrid's clock would have reached `until` after a wait: the same times */
        engine_clock_ahead = now + ((now + (until - now)) - now);
        reached = until;
        continue;
      }
      if (loop->transfers == 0)
        sg_actor_sleep_until(until);
      else {
        loop->waiting_until = until;
        const int woken = sg_cond_wait_for(loop->transfer_ended, loop->mutex, until - now);
        loop->waiting_until = -INFINITY;
        if (!woken)
          continue; /* a transfer ended first */
      }
      reached = until;
      continue;
    }
    QueuedEvent event;
    event_queue_pop(&loop->events, &event);
    Session *session = event.item;
    switch ((LoopEvent)event.kind) {
      case EVENT_ARRIVAL: {
        LoopHost *host = event.item;
        session = arrivals_session(&host->arrivals, host->client);
        if (session == NULL)
          break; /* engine.error says why; no more arrivals */
        loop_resume(loop, session);
        if (arrivals_next(&host->arrivals, &time))
          event_queue_push_in_lane(&loop->events, MAX(time, now), host->client->index, host, EVENT_ARRIVAL);
        break;
      }
      case EVENT_RESUME:
        loop_resume(loop, session);
        break;
      case EVENT_COMMAND_ARRIVES:
        loop_command_arrives(loop, session);
        break;
      case EVENT_REPLY_LEAVES:
        loop_reply_leaves(loop, session);
        break;
      case EVENT_MESSAGE_ENTERS:
        /* asked when due once the messages of this instant have all entered (as the actor driver's yield) */
        message_enter(session, session->message.route, session->message.bytes);
        loop_push(loop, now, session, EVENT_MESSAGE_DUE);
        break;
      case EVENT_MESSAGE_DUE: {
        const double due = control_message_due(&session->message);
        if (due > now) /* another message entered after it: it is due later */
          loop_push(loop, due, session, EVENT_MESSAGE_DUE);
        else
          loop_message_arrived(loop, session);
        break;
      }
      case EVENT_FLUID_ENTERS:
        loop_fluid_enter(loop, session);
        break;
      case EVENT_FLUID_LEAVES:
        loop_fluid_leave(loop, event.time);
        break;
    }
  }
  loop_sync_clock(); /* the run ends at the loop's last event */
  sg_mutex_unlock(loop->mutex);
  for (guint i = 0; engine.scenario->deployed == NULL && i < loop->hosts->len; i++)
    arrivals_clear(&g_array_index(loop->hosts, LoopHost, i).arrivals);
}
