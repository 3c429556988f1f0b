/* Client and server actors.
 *
 * Each session is a client actor on its client host; on connect it starts its own server actor on
 * the server host, as real FTP servers fork a process per connection (and because one shared server
 * mailbox costs O(N^2) in SimGrid 3.32). The control connection is a pair of mailboxes; every
 * command and reply is a message whose simulated size is its text plus TCP/IP headers, so each one
 * costs the route's latency and bandwidth. A data transfer moves its bytes over a third mailbox,
 * from the server for RETR and LIST, from the client for STOR.
 *
 * The client's side is one state machine (session_step) with two drivers: an actor per session, or,
 * with engine.sessions=event-loop and uncongested control, one event loop per client host that keeps
 * no actor per session (see SessionLoop). */
#include "engine.h"

#include <math.h>

#include <simgrid/actor.h>
#include <simgrid/comm.h>
#include <simgrid/cond.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/link.h>
#include <simgrid/mailbox.h>
#include <simgrid/mutex.h>
#include <simgrid/semaphore.h>
#include <xbt/config.h>
#include <xbt/dynar.h>
#include <xbt/log.h>

#include "client_reaction.h"
#include "event_queue.h"
#include "rng.h"
#include "server_reaction.h"
#include "time_wait.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(ftpsim_engine, ftpsim, "FTP client and server actors");

typedef enum {
  FTP_CONNECT,
  FTP_USER,
  FTP_PASS,
  FTP_PORT,
  FTP_EPRT,
  FTP_PASV,
  FTP_RETR,
  FTP_LIST,
  FTP_STOR,
  FTP_QUIT,
} FtpCommandType;

static const char *const command_names[] = {
    [FTP_CONNECT] = "CONNECT", [FTP_USER] = "USER", [FTP_PASS] = "PASS", [FTP_PORT] = "PORT", [FTP_EPRT] = "EPRT",
    [FTP_PASV] = "PASV",       [FTP_RETR] = "RETR", [FTP_LIST] = "LIST", [FTP_STOR] = "STOR", [FTP_QUIT] = "QUIT",
};

typedef struct FtpCommand {
  FtpCommandType type;
  guint16 port;
  guint64 bytes; /* STOR: what the client will send */
} FtpCommand;

/* Wire lengths of the fixed commands, CRLF included. CONNECT stands for the TCP handshake's SYN. */
static const long command_bytes[] = {
    [FTP_CONNECT] = 0,
    [FTP_USER] = sizeof("USER anonymous\r\n") - 1,
    [FTP_PASS] = sizeof("PASS guest\r\n") - 1,
    [FTP_PORT] = 0, /* depends on address and port: ftp_port_command_length() */
    [FTP_EPRT] = 0, /* likewise: ftp_eprt_command_length() */
    [FTP_PASV] = sizeof("PASV\r\n") - 1,
    [FTP_RETR] = sizeof("RETR file\r\n") - 1,
    [FTP_LIST] = sizeof("LIST\r\n") - 1,
    [FTP_STOR] = sizeof("STOR file\r\n") - 1,
    [FTP_QUIT] = sizeof("QUIT\r\n") - 1,
};

static const FtpReply reply_greeting = {220, "Service ready for new user."};
static const FtpReply reply_user = {331, "User name okay, need password."};
static const FtpReply reply_pass = {230, "User logged in, proceed."};
/* RFC 959 s4.1.2; the address is a placeholder of typical length, the reply is never parsed here. */
static const FtpReply reply_passive = {227, "Entering Passive Mode (192,0,2,20,195,80)."};
static const FtpReply reply_opening = {150, "Opening BINARY mode data connection."};
static const FtpReply reply_complete = {226, "Transfer complete."};
static const FtpReply reply_cannot_open = {425, "Can't open data connection."};
static const FtpReply reply_no_data_port = {503, "Bad sequence of commands."};
static const FtpReply reply_closing = {421, "Service not available, closing control connection."};
static const FtpReply reply_quit = {221, "Goodbye."};

/* network.control=uncongested: the session's client actor plays the server's side too, and a
 * message is no SimGrid flow but a wait of its uncongested transfer time. The client waits for its
 * command to arrive, runs the server's handling of it (which may wait too: tarpit, data transfer), then
 * waits for each reply to arrive. Each message starts when a SimGrid communication would have (both
 * sides ready: the other side is always waiting for it), so times equal the shared model's while links
 * are not congested; and a session is one actor, not two. The replies to one command wait in this
 * queue (at most two: 150 and 226 around a transfer). */
typedef struct ReplyQueue {
  const FtpReply *replies[2];
  long bytes[2];
  guint head, count;
} ReplyQueue;

/* The time one message takes alone on a route: latency + bytes / rate. */
typedef struct ControlRoute {
  double latency;
  double rate;
} ControlRoute;

/* Mailboxes are never freed in SimGrid 3.32, so finished sessions hand theirs to the next one. */
typedef struct MailboxSlot {
  sg_mailbox_t to_server;
  sg_mailbox_t to_client;
  sg_mailbox_t data;
} MailboxSlot;

typedef struct ServerHost {
  const ServerSpec *spec;
  sg_host_t host;
  PortGate gate;
  const ServerReaction *reaction;
  gpointer reaction_state;
  TimeWaitTable *time_wait; /* (client address, port) pairs this server closed lately */
  double time_wait_duration;
} ServerHost;

typedef enum { COUNT_FIXED, COUNT_UNIFORM, COUNT_GEOMETRIC } CountDistribution;

/* What a session takes from its parameters, read once per client host (or per deployed session)
 * instead of by name for every session: large arrival runs create sessions by the million. */
typedef struct SessionSettings {
  const ParamSet *params; /* still needed to create port allocators */
  const ClientReaction *reaction;
  gpointer reaction_state; /* read-only once made, so the sessions share it */
  CountDistribution count_distribution;
  guint64 mean_commands;
  double mix_list, mix_retr, mix_total;
  gboolean size_exponential, think_exponential;
  gboolean needs_rand; /* some choice above is drawn from the session's own stream */
  guint64 file_size, list_size;
  double think_time;
  FtpCommandType port_command;
  gboolean client_closes;
  double client_time_wait;
  gboolean control_uncongested;
  gboolean event_loop; /* engine.sessions=event-loop */
} SessionSettings;

typedef struct ClientHost {
  SessionSettings settings; /* from the host's parameters */
  const ClientSpec *spec;
  sg_host_t host;
  const void *routes_server; /* network.control=uncongested: the server the two routes below are for */
  ControlRoute to_server, to_client;
  PortAllocator shared_ports; /* for models whose scope is the host; created on first use */
  TimeWaitTable *ports_held;  /* ports listening now, or in TIME_WAIT when the client closes */
  struct SessionLoop *loop;   /* engine.sessions=event-loop: the host's sessions, as events */
} ClientHost;

typedef enum { DATA_LIST, DATA_RETR, DATA_STOR } DataKind;

typedef enum { NEXT_COMMAND, END_SESSION_WITH_QUIT, END_SESSION_CLOSED } CommandResult;

/* Where the client's side of a session resumes (session_step). */
typedef enum {
  STEP_START,
  STEP_CONNECT,
  STEP_GREETED,
  STEP_USER_ANSWERED,
  STEP_NEXT_COMMAND,
  STEP_DATA_COMMAND,
  STEP_ATTEMPT,
  STEP_PASV_ANSWERED,
  STEP_PORT_ANSWERED,
  STEP_TRANSFER_REQUEST,
  STEP_TRANSFER_ANSWERED,
  STEP_TRANSFER_MOVED,
  STEP_TRANSFER_COMPLETED,
  STEP_QUIT,
  STEP_CLOSED,
} SessionStep;

typedef struct Session {
  guint64 id;
  ClientHost *client;
  ServerHost *server;
  const ClientModel *model;
  PortAllocator own_ports;
  PortAllocator *ports; /* own_ports or the host's shared one */
  const SessionSettings *settings; /* the host's or the deployed session's, alive for the run */
  MailboxSlot *slot;
  double start_time; /* when the session opens, for deployed sessions */

  /* Workload, drawn from the session's own stream when a distribution is asked for. */
  GRand *rand;
  guint64 data_commands;

  /* Server side of the control connection. */
  gboolean data_ready;     /* a PORT was accepted, or PASV answered */
  gboolean data_passive;
  guint16 data_port;
  guint64 server_rejections;
  SessionEnd server_closed; /* SESSION_END_QUIT while open */
  gboolean time_wait_hit;   /* the last 425 was for a port in TIME_WAIT */
  double server_delay;      /* network.control=uncongested: the server's tarpit before its reply */

  ControlRoute to_server, to_client;
  ReplyQueue pending_replies; /* network.control=uncongested */

  FtpCommand command;
  long command_length; /* on the wire, headers included */
  FtpReply replies[2]; /* alternate, so a reply in flight is never overwritten by the next */
  guint next_reply;
  SessionStats stats;

  /* Client side: where session_step() resumes, and what its flow carries from one wait to the next. */
  SessionStep step;
  CommandResult result;
  const FtpReply *reply; /* what the last wait brought */
  PortQuery query;
  guint64 commands_done;
  guint64 attempts; /* PORT commands for the data command in progress */
  DataKind kind;
  guint64 bytes;
  gboolean passive; /* the data command in progress went PASV */
  guint16 port;     /* its port, in active mode */
} Session;

/* The run: one per process, as SimGrid allows one simulation per process. */
static struct {
  const EngineOptions *options;
  const Scenario *scenario;
  ServerHost *servers;
  ClientHost *clients;
  SessionSettings *deployed_settings; /* one per deployed session, or NULL */
  GPtrArray *free_slots;
  guint slots_created;
  RunStats run;
  GError *error; /* the first failure inside an actor */
} engine;

/* Starts an actor whose code finds its state in sg_actor_self_get_data(). */
static void start_actor(const char *name, sg_host_t host, xbt_main_func_t code, void *data)
{
  sg_actor_t actor = sg_actor_init(name, host);
  sg_actor_set_data(actor, data);
  sg_actor_start(actor, code, 0, NULL);
}

static MailboxSlot *slot_take(void)
{
  if (engine.free_slots->len > 0)
    return g_ptr_array_steal_index_fast(engine.free_slots, engine.free_slots->len - 1);
  MailboxSlot *slot = g_new(MailboxSlot, 1);
  char name[48];
  guint n = engine.slots_created++;
  g_snprintf(name, sizeof name, "ftp%u.ctl-in", n);
  slot->to_server = sg_mailbox_by_name(name);
  g_snprintf(name, sizeof name, "ftp%u.ctl-out", n);
  slot->to_client = sg_mailbox_by_name(name);
  g_snprintf(name, sizeof name, "ftp%u.data", n);
  slot->data = sg_mailbox_by_name(name);
  return slot;
}

static void slot_release(MailboxSlot *slot)
{
  g_ptr_array_add(engine.free_slots, slot);
}

static void slot_free(gpointer data)
{
  g_free(data);
}

/* ---- control connection ---- */

static gboolean link_in(const xbt_dynar_t links, sg_link_t link)
{
  for (unsigned long i = 0; i < xbt_dynar_length(links); i++)
    if (xbt_dynar_get_as(links, i, sg_link_t) == link)
      return TRUE;
  return FALSE;
}

/* What SimGrid's LV08/CM02 network model gives one flow alone on the route: the latencies times
 * network/latency-factor; the bottleneck's bandwidth times network/bandwidth-factor, shared with the
 * flow's own cross-traffic (0.05 of it on the reverse route, network/crosstraffic) where both
 * directions use one link, and bounded by the TCP window (network/TCP-gamma over twice the latency,
 * times the bandwidth factor).
 * Checked against the shared model in tests/test_control.c. */
static ControlRoute control_route(sg_host_t from, sg_host_t to)
{
  xbt_dynar_t forward = xbt_dynar_new(sizeof(sg_link_t), NULL);
  xbt_dynar_t backward = xbt_dynar_new(sizeof(sg_link_t), NULL);
  sg_host_get_route(from, to, forward);
  sg_host_get_route(to, from, backward);
  const double crosstraffic = sg_cfg_get_boolean("network/crosstraffic") ? 0.05 : 0;
  const double bandwidth_factor = sg_cfg_get_double("network/bandwidth-factor");
  double latency = 0, rate = INFINITY;
  for (unsigned long i = 0; i < xbt_dynar_length(forward); i++) {
    sg_link_t link = xbt_dynar_get_as(forward, i, sg_link_t);
    latency += sg_link_get_latency(link);
    double share = 1 + (link_in(backward, link) ? crosstraffic : 0);
    rate = MIN(rate, sg_link_get_bandwidth(link) * bandwidth_factor / share);
  }
  for (unsigned long i = 0; crosstraffic > 0 && i < xbt_dynar_length(backward); i++) {
    sg_link_t link = xbt_dynar_get_as(backward, i, sg_link_t);
    if (!link_in(forward, link))
      rate = MIN(rate, sg_link_get_bandwidth(link) * bandwidth_factor / crosstraffic);
  }
  if (latency > 0)
    rate = MIN(rate, sg_cfg_get_double("network/TCP-gamma") / (2 * latency) * bandwidth_factor);
  xbt_dynar_free(&forward);
  xbt_dynar_free(&backward);
  return (ControlRoute){.latency = latency * sg_cfg_get_double("network/latency-factor"), .rate = rate};
}

/* network.control=uncongested: a message's time alone on its route. */
static double travel_time(const ControlRoute *route, long bytes)
{
  return route->latency + (double)bytes / route->rate;
}

static void reply_queue_push(ReplyQueue *queue, const FtpReply *reply, long bytes)
{
  guint tail = (queue->head + queue->count) % G_N_ELEMENTS(queue->replies);
  g_assert(queue->count < G_N_ELEMENTS(queue->replies));
  queue->replies[tail] = reply;
  queue->bytes[tail] = bytes;
  queue->count++;
}

static const FtpReply *reply_queue_pop(ReplyQueue *queue, long *bytes)
{
  g_assert(queue->count > 0);
  const FtpReply *reply = queue->replies[queue->head];
  *bytes = queue->bytes[queue->head];
  queue->head = (queue->head + 1) % G_N_ELEMENTS(queue->replies);
  queue->count--;
  return reply;
}

/* ---- server side ---- */

static void send_reply(Session *session, FtpReply reply)
{
  FtpReply *buffer = &session->replies[session->next_reply];
  session->next_reply ^= 1;
  *buffer = reply;
  long bytes = (long)ftp_reply_length(reply) + FTP_SEGMENT_HEADER_BYTES;
  if (session->settings->control_uncongested)
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
  ServerVerdict verdict = server->reaction->on_rejection(server->reaction_state, session->client->spec->host.address,
                                                         session->server_rejections, simgrid_get_clock());
  if (verdict.delay > 0) {
    session->stats.tarpit_delay += verdict.delay;
    if (session->settings->control_uncongested) /* the client's driver waits it out before the reply leaves */
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
    if (!session->settings->client_closes &&
        time_wait_busy(server->time_wait, time_wait_key(target, session->data_port), simgrid_get_clock())) {
      session->time_wait_hit = TRUE;
      send_reply(session, reply_cannot_open);
      return FALSE;
    }
  }
  send_reply(session, reply_opening);
  return TRUE;
}

/* Second half, once the bytes have moved: the server closes the connection (TIME_WAIT) and says 226. */
static void server_close_transfer(Session *session)
{
  ServerHost *server = session->server;
  if (!session->data_passive && !session->settings->client_closes)
    time_wait_hold(server->time_wait,
                   time_wait_key(session->client->spec->advertised_address, session->data_port),
                   simgrid_get_clock() + server->time_wait_duration);
  send_reply(session, reply_complete);
}

/* The server's answer to one command. FALSE when it closes the connection afterwards. In the shared
 * model the server actor runs it, and moves a transfer's bytes itself; in the uncongested one the
 * client actor does (see ReplyQueue). */
static gboolean server_handle(Session *session, const FtpCommand *command)
{
  ServerHost *server = session->server;
  const guint32 peer = session->client->spec->host.address;
  switch (command->type) {
  case FTP_CONNECT:
    if (server->reaction->admit != NULL &&
        !server->reaction->admit(server->reaction_state, peer, simgrid_get_clock())) {
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
    if (server_open_transfer(session) && !session->settings->control_uncongested) {
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

/* network.control=shared: the server's side of a session, on the server host. */
static void server_session_actor(int argc, char *argv[])
{
  (void)argc;
  (void)argv;
  Session *session = sg_actor_self_get_data();
  while (server_handle(session, sg_mailbox_get(session->slot->to_server)))
    ;
}

/* ---- client side ---- */

/* The client's side of a session is one flow, written as a state machine so that two drivers can run
 * it: an actor per session (session_actor), or an actor per client host that runs all the host's
 * sessions as timed events (host_loop_actor, engine.sessions=event-loop). session_step() runs the flow
 * up to its next wait and says what that wait is; the driver carries it out, then steps again. */
typedef enum {
  WAIT_NONE,     /* no wait: step on (inside session_step only) */
  WAIT_FOR,      /* wait.time seconds */
  WAIT_UNTIL,    /* until the time wait.time */
  WAIT_EXCHANGE, /* send session->command, then read its reply into session->reply */
  WAIT_REPLY,    /* read the next reply (226 after a transfer) into session->reply */
  WAIT_TRANSFER, /* move the data command's bytes */
  WAIT_END,      /* the session is over: record and free it */
} WaitKind;

typedef struct Wait {
  WaitKind kind;
  double time;
} Wait;

static const Wait go_on = {.kind = WAIT_NONE};

static void trace(Session *session, FtpCommandType type, guint16 port, FtpReply reply)
{
  const RecordSink *sink = &engine.options->sink;
  if (sink->exchange != NULL) {
    const ExchangeRecord record = {.time = simgrid_get_clock(),
                                   .session = session->id,
                                   .client_host = session->client->spec->host.name,
                                   .server_host = session->server->spec->host.name,
                                   .command = command_names[type],
                                   .port = port,
                                   .reply_code = reply.code,
                                   .accepted = ftp_reply_is_positive(reply)};
    sink->exchange(sink->data, &record);
  }
}

static DataKind draw_kind(Session *session)
{
  if (session->settings->mix_total == session->settings->mix_retr)
    return DATA_RETR;
  double x = g_rand_double(session->rand) * session->settings->mix_total;
  return x < session->settings->mix_list ? DATA_LIST : x < session->settings->mix_list + session->settings->mix_retr ? DATA_RETR : DATA_STOR;
}

static double draw_exponential(GRand *rand, double mean)
{
  return -mean * log(1.0 - g_rand_double(rand)); /* 1 - U keeps the logarithm finite */
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
  session->kind = session->rand ? draw_kind(session) : DATA_RETR;
  session->bytes = session->kind == DATA_LIST ? session->settings->list_size
                   : session->settings->size_exponential
                       ? (guint64)llround(draw_exponential(session->rand, (double)session->settings->file_size))
                       : session->settings->file_size;
  session->attempts = 0;
  session_stats_begin_command(&session->stats);
  session->step = STEP_ATTEMPT;
  return go_on;
}

/* PASV once the client has fallen back to it; otherwise a PORT on the next port, unless the client
 * cannot listen there (EADDRINUSE), which fails the command before any PORT. */
static Wait attempt(Session *session)
{
  ClientHost *client = session->client;
  session->passive = session->stats.fallback_time >= 0;
  if (session->passive)
    return send_command(session, FTP_PASV, 0, command_bytes[FTP_PASV], STEP_PASV_ANSWERED);

  guint16 port = port_allocator_next(session->ports, &session->query);
  session->port = port;
  session->attempts++;
  if (session->attempts > 1)
    session->stats.retries++;
  if (time_wait_busy(client->ports_held, port, simgrid_get_clock())) {
    session->stats.connection_failures++;
    if (session->settings->client_closes)
      session->stats.time_wait_failures++;
    session_stats_fail_command(&session->stats);
    return end_data_command(session, NEXT_COMMAND);
  }
  time_wait_hold(client->ports_held, port, INFINITY); /* listening */
  const guint32 address = session->query.local_address;
  long length = session->settings->port_command == FTP_EPRT ? (long)ftp_eprt_command_length(address, port)
                                                  : (long)ftp_port_command_length(address, port);
  return send_command(session, session->settings->port_command, port, length, STEP_PORT_ANSWERED);
}

/* The server answered PORT: transfer if accepted, otherwise as the client's reaction says. */
static Wait port_answered(Session *session)
{
  const FtpReply *reply = session->reply;
  const guint16 port = session->port;
  gboolean accepted = ftp_reply_is_positive(*reply);
  session_stats_record_port(&session->stats, port, accepted, simgrid_get_clock());
  trace(session, session->settings->port_command, port, *reply);
  XBT_DEBUG("session %" G_GUINT64_FORMAT ": PORT %u -> %u", session->id, (guint)port, (guint)reply->code);
  if (accepted) {
    session->step = STEP_TRANSFER_REQUEST;
    return go_on;
  }

  time_wait_release(session->client->ports_held, port);
  if (reply->code == reply_closing.code) {
    session_stats_fail_command(&session->stats);
    session->stats.end = session->server_closed;
    return end_data_command(session, END_SESSION_CLOSED);
  }
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
    session->stats.fallback_time = simgrid_get_clock();
    session->step = STEP_ATTEMPT;
    return go_on;
  case REACTION_GIVE_UP:
    session_stats_fail_command(&session->stats);
    session->stats.end = SESSION_END_GAVE_UP;
    return end_data_command(session, END_SESSION_WITH_QUIT);
  }
  g_assert_not_reached();
}

/* RETR, LIST or STOR has ended, with 226 (done) or not. */
static Wait transfer_ended(Session *session, gboolean done)
{
  const guint64 moved = session->kind == DATA_LIST ? 0 : session->bytes;
  const double now = simgrid_get_clock();
  if (session->passive) {
    if (done)
      session_stats_record_pasv_transfer(&session->stats, moved, now);
    else
      session_stats_fail_command(&session->stats);
    return end_data_command(session, NEXT_COMMAND);
  }
  if (done && session->settings->client_closes)
    time_wait_hold(session->client->ports_held, session->port, now + session->settings->client_time_wait);
  else
    time_wait_release(session->client->ports_held, session->port);
  if (done)
    session_stats_record_transfer(&session->stats, moved, now);
  else
    session_stats_fail_command(&session->stats);
  return end_data_command(session, NEXT_COMMAND);
}

/* Runs the session's client side up to its next wait. */
static Wait session_step(Session *session)
{
  static const FtpCommandType transfer_types[] = {[DATA_LIST] = FTP_LIST, [DATA_RETR] = FTP_RETR,
                                                  [DATA_STOR] = FTP_STOR};
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
      session_stats_init(&session->stats, simgrid_get_clock());
      wait = send_command(session, FTP_CONNECT, 0, command_bytes[FTP_CONNECT], STEP_GREETED);
      break;
    case STEP_GREETED:
      if (reply->code == reply_closing.code) {
        session->stats.end = session->server_closed;
        session->result = END_SESSION_CLOSED;
        session->step = STEP_QUIT;
      } else
        wait = send_command(session, FTP_USER, 0, command_bytes[FTP_USER], STEP_USER_ANSWERED);
      break;
    case STEP_USER_ANSWERED:
      wait = send_command(session, FTP_PASS, 0, command_bytes[FTP_PASS], STEP_NEXT_COMMAND);
      break;
    case STEP_NEXT_COMMAND:
      if (session->commands_done >= session->data_commands || session->result != NEXT_COMMAND) {
        session->step = STEP_QUIT;
        break;
      }
      session->step = STEP_DATA_COMMAND;
      if (session->commands_done > 0 && session->settings->think_time > 0)
        wait = (Wait){.kind = WAIT_FOR,
                      .time = session->settings->think_exponential ? draw_exponential(session->rand, session->settings->think_time)
                                                         : session->settings->think_time};
      break;
    case STEP_DATA_COMMAND:
      wait = begin_data_command(session);
      break;
    case STEP_ATTEMPT:
      wait = attempt(session);
      break;
    case STEP_PASV_ANSWERED:
      trace(session, FTP_PASV, 0, *reply);
      session->step = STEP_TRANSFER_REQUEST;
      break;
    case STEP_PORT_ANSWERED:
      wait = port_answered(session);
      break;
    case STEP_TRANSFER_REQUEST: {
      FtpCommandType type = transfer_types[session->kind];
      session->command.bytes = session->bytes;
      wait = send_command(session, type, data_port, command_bytes[type], STEP_TRANSFER_ANSWERED);
      break;
    }
    case STEP_TRANSFER_ANSWERED:
      if (reply->code == reply_opening.code) {
        session->step = STEP_TRANSFER_MOVED;
        wait = (Wait){.kind = WAIT_TRANSFER};
        break;
      }
      trace(session, session->command.type, data_port, *reply);
      session->stats.connection_failures++;
      if (session->time_wait_hit)
        session->stats.time_wait_failures++;
      wait = transfer_ended(session, FALSE);
      break;
    case STEP_TRANSFER_MOVED:
      if (session->settings->control_uncongested) /* the server's side of the transfer's end */
        server_close_transfer(session);
      session->step = STEP_TRANSFER_COMPLETED;
      wait = (Wait){.kind = WAIT_REPLY};
      break;
    case STEP_TRANSFER_COMPLETED:
      trace(session, session->command.type, data_port, *reply);
      wait = transfer_ended(session, reply->code == reply_complete.code);
      break;
    case STEP_QUIT:
      if (session->result != END_SESSION_CLOSED)
        wait = send_command(session, FTP_QUIT, 0, command_bytes[FTP_QUIT], STEP_CLOSED);
      else
        session->step = STEP_CLOSED;
      break;
    case STEP_CLOSED:
      session->stats.end_time = simgrid_get_clock();
      wait = (Wait){.kind = WAIT_END};
      break;
    }
  }
  return wait;
}

static void record_session(Session *session)
{
  const SessionRecord record = {.id = session->id,
                                .client_host = session->client->spec->host.name,
                                .server_host = session->server->spec->host.name,
                                .client_model = session->model->name,
                                .server_policy = session->server->spec->policy->name,
                                .stats = &session->stats};
  engine.options->sink.session_ended(engine.options->sink.data, &record);
  run_stats_add(&engine.run, &session->stats);
}

static void session_free(Session *session)
{
  port_allocator_clear(&session->own_ports);
  if (session->rand != NULL)
    g_rand_free(session->rand);
  g_free(session);
}

static void session_finish(Session *session)
{
  record_session(session);
  if (session->slot != NULL)
    slot_release(session->slot);
  session_free(session);
}

/* ---- driver: an actor per session ---- */

/* The reply that follows, without a new command: uncongested, it leaves the server now. */
static const FtpReply *next_reply(Session *session)
{
  if (!session->settings->control_uncongested)
    return sg_mailbox_get(session->slot->to_client);
  long bytes = 0;
  const FtpReply *reply = reply_queue_pop(&session->pending_replies, &bytes);
  sg_actor_sleep_for(travel_time(&session->to_client, bytes));
  return reply;
}

static const FtpReply *exchange(Session *session)
{
  if (session->settings->control_uncongested) {
    sg_actor_sleep_for(travel_time(&session->to_server, session->command_length));
    server_handle(session, &session->command);
    if (session->server_delay > 0) {
      sg_actor_sleep_for(session->server_delay);
      session->server_delay = 0;
    }
    return next_reply(session);
  }
  if (session->slot == NULL) { /* the connection opens: the server forks its process for it */
    session->slot = slot_take();
    start_actor("ftp-server", session->server->host, server_session_actor, session);
  }
  sg_mailbox_put(session->slot->to_server, &session->command, session->command_length);
  return sg_mailbox_get(session->slot->to_client);
}

/* A data connection is a SimGrid flow in both control models; uncongested, the client moves it for
 * both ends. Blocks until the bytes have arrived. */
static void move_data(Session *session)
{
  const FtpCommandType type = session->command.type;
  if (session->settings->control_uncongested) {
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

/* ---- driver: an event loop per client host (engine.sessions=event-loop) ---- */

/* With network.control=uncongested every wait but a data transfer has a known end, so one actor per
 * client host can run all the host's sessions from a queue of timed events. A live session is then a
 * Session and a queue entry, no actor and no stack. A transfer is still a SimGrid flow, moved by an actor
 * of its own that wakes the loop when it ends. Events at equal times run in the order they were queued;
 * the actor driver runs such ties in SimGrid's scheduling order instead, so sessions that touch shared
 * state (a host-wide counter, a server's ban list) at the very same instant may order differently. */
typedef enum { EVENT_ARRIVAL, EVENT_RESUME, EVENT_COMMAND_ARRIVES, EVENT_REPLY_LEAVES } LoopEvent;

typedef struct SessionLoop {
  EventQueue events;
  GPtrArray *moved; /* sessions whose transfer has ended, to resume */
  guint transfers;  /* in flight */
  sg_mutex_t mutex;
  sg_cond_t transfer_ended;
} SessionLoop;

static SessionLoop *session_loop_of(ClientHost *client)
{
  if (client->loop == NULL) {
    SessionLoop *loop = g_new0(SessionLoop, 1);
    event_queue_init(&loop->events);
    loop->moved = g_ptr_array_new();
    loop->mutex = sg_mutex_init();
    loop->transfer_ended = sg_cond_init();
    client->loop = loop;
  }
  return client->loop;
}

static void session_loop_free(SessionLoop *loop)
{
  event_queue_clear(&loop->events);
  g_ptr_array_unref(loop->moved);
  sg_mutex_destroy(loop->mutex);
  sg_cond_destroy(loop->transfer_ended);
  g_free(loop);
}

static void transfer_actor(int argc, char *argv[])
{
  (void)argc;
  (void)argv;
  Session *session = sg_actor_self_get_data();
  move_data(session);
  SessionLoop *loop = session->client->loop;
  g_ptr_array_add(loop->moved, session);
  loop->transfers--;
  sg_cond_notify_one(loop->transfer_ended);
}

static void loop_reply_leaves(SessionLoop *loop, Session *session)
{
  long bytes = 0;
  session->reply = reply_queue_pop(&session->pending_replies, &bytes);
  event_queue_push(&loop->events, simgrid_get_clock() + travel_time(&session->to_client, bytes), session,
                   EVENT_RESUME);
}

static void loop_resume(SessionLoop *loop, Session *session)
{
  const Wait wait = session_step(session);
  const double now = simgrid_get_clock();
  switch (wait.kind) {
  case WAIT_NONE:
    break;
  case WAIT_FOR:
    event_queue_push(&loop->events, now + wait.time, session, EVENT_RESUME);
    break;
  case WAIT_UNTIL:
    event_queue_push(&loop->events, MAX(now, wait.time), session, EVENT_RESUME);
    break;
  case WAIT_EXCHANGE:
    event_queue_push(&loop->events, now + travel_time(&session->to_server, session->command_length), session,
                     EVENT_COMMAND_ARRIVES);
    break;
  case WAIT_REPLY:
    loop_reply_leaves(loop, session);
    break;
  case WAIT_TRANSFER:
    loop->transfers++;
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
    event_queue_push(&loop->events, simgrid_get_clock() + session->server_delay, session, EVENT_REPLY_LEAVES);
    session->server_delay = 0;
  } else
    loop_reply_leaves(loop, session);
}

/* What allocators that skip busy ports ask: is the port listening, or held in TIME_WAIT, right now? */
static gboolean client_port_in_use(gpointer host, guint16 port)
{
  const ClientHost *client = host;
  return time_wait_busy(client->ports_held, port, simgrid_get_clock());
}

static gboolean session_ports(Session *session, const ParamSet *params, GError **error)
{
  ClientHost *client = session->client;
  ClientModelContext context = {.seed = engine.options->seed, .port_in_use = client_port_in_use, .host = client};
  if (session->model->scope(params) == PORT_SCOPE_HOST) {
    if (client->shared_ports.model == NULL) {
      context.stream_id = (guint64)(client - engine.clients);
      if (!port_allocator_init(&client->shared_ports, session->model, params, &context, error))
        return FALSE;
    }
    session->ports = &client->shared_ports;
    return TRUE;
  }
  /* Session streams are numbered after the host streams, so the two never share a seed. */
  context.stream_id = engine.scenario->clients->len + session->id;
  if (!port_allocator_init(&session->own_ports, session->model, params, &context, error))
    return FALSE;
  session->ports = &session->own_ports;
  return TRUE;
}

static void session_settings_init(SessionSettings *settings, const ParamSet *params)
{
  static const char *const count_names[] = {[COUNT_FIXED] = "fixed", [COUNT_UNIFORM] = "uniform",
                                            [COUNT_GEOMETRIC] = "geometric"};
  settings->params = params;
  settings->reaction = client_reaction_find(param_set_string(params, "client.reaction"), NULL);
  settings->reaction_state = settings->reaction->create ? settings->reaction->create(params) : NULL;
  const char *count = param_set_string(params, "session.commands_dist");
  settings->count_distribution = COUNT_FIXED;
  for (guint i = 0; i < G_N_ELEMENTS(count_names); i++)
    if (g_str_equal(count, count_names[i]))
      settings->count_distribution = (CountDistribution)i;
  settings->mean_commands = (guint64)param_set_int(params, "session.commands");
  settings->mix_list = param_set_double(params, "session.mix_list");
  settings->mix_retr = param_set_double(params, "session.mix_retr");
  settings->mix_total = settings->mix_list + settings->mix_retr + param_set_double(params, "session.mix_stor");
  settings->size_exponential = g_str_equal(param_set_string(params, "session.file_size_dist"), "exponential");
  settings->think_exponential = g_str_equal(param_set_string(params, "session.think_dist"), "exponential");
  settings->needs_rand = settings->count_distribution != COUNT_FIXED || settings->mix_total != settings->mix_retr ||
                         settings->size_exponential || settings->think_exponential;
  settings->file_size = (guint64)param_set_int(params, "session.file_size");
  settings->list_size = (guint64)param_set_int(params, "session.list_size");
  settings->think_time = param_set_double(params, "session.think_time");
  settings->port_command = g_str_equal(param_set_string(params, "client.port_command"), "eprt") ? FTP_EPRT : FTP_PORT;
  settings->client_closes = g_str_equal(param_set_string(params, "tcp.closer"), "client");
  settings->client_time_wait = param_set_double(params, "tcp.time_wait");
  settings->control_uncongested = g_str_equal(param_set_string(params, "network.control"), "uncongested");
  settings->event_loop = g_str_equal(param_set_string(params, "engine.sessions"), "event-loop");
}

static void session_settings_clear(SessionSettings *settings)
{
  if (settings->reaction != NULL && settings->reaction->destroy != NULL && settings->reaction_state != NULL)
    settings->reaction->destroy(settings->reaction_state);
  settings->reaction_state = NULL;
}

static Session *session_new(guint64 id, ClientHost *client, ServerHost *server, const ClientModel *model,
                            const SessionSettings *settings)
{
  Session *session = g_new0(Session, 1);
  session->id = id;
  session->client = client;
  session->server = server;
  session->model = model;
  session->settings = settings;
  if (settings->needs_rand)
    session->rand = rng_new(engine.options->seed, RNG_STREAM_SESSION, id);

  const guint64 mean_commands = settings->mean_commands;
  switch (settings->count_distribution) {
  case COUNT_FIXED:
    session->data_commands = mean_commands;
    break;
  case COUNT_UNIFORM:
    session->data_commands = (guint64)g_rand_double_range(session->rand, 0, 2.0 * (double)mean_commands + 1);
    break;
  case COUNT_GEOMETRIC: /* on 0, 1, 2, ... with the given mean: failures before a success of p = 1/(mean+1) */
    session->data_commands = mean_commands == 0 ? 0
                             : (guint64)floor(log(1.0 - g_rand_double(session->rand)) /
                                              log1p(-1.0 / ((double)mean_commands + 1.0)));
    break;
  }
  session->query = (PortQuery){.local_address = client->spec->advertised_address,
                               .remote_address = server->spec->host.address,
                               .remote_port = FTP_DATA_PORT};
  if (settings->control_uncongested) {
    /* Route lookups cost more than a session's exchanges: once per (client host, server) pair. */
    if (client->routes_server != server) {
      client->to_server = control_route(client->host, server->host);
      client->to_client = control_route(server->host, client->host);
      client->routes_server = server;
    }
    session->to_server = client->to_server;
    session->to_client = client->to_client;
  }

  GError *error = NULL;
  if (!session_ports(session, settings->params, &error)) {
    if (engine.error == NULL)
      g_propagate_prefixed_error(&engine.error, error, "session %" G_GUINT64_FORMAT ": ", id);
    else
      g_error_free(error);
    session_free(session);
    return NULL;
  }
  return session;
}

static void start_session(Session *session)
{
  start_actor("ftp-client", session->client->host, session_actor, session);
}

/* When a client host's sessions arrive (workload.arrival). */
typedef struct Arrivals {
  guint64 made, total;
  gboolean poisson, spaced;
  double interval, rate, next;
  GRand *rand;
} Arrivals;

static void arrivals_init(Arrivals *arrivals, const ClientHost *client)
{
  const ParamSet *params = client->spec->host.params;
  const char *arrival = param_set_string(params, "workload.arrival");
  *arrivals = (Arrivals){.total = client->spec->sessions,
                         .poisson = g_str_equal(arrival, "poisson"),
                         .spaced = g_str_equal(arrival, "interval"),
                         .interval = param_set_double(params, "workload.interval"),
                         .rate = param_set_double(params, "workload.rate")};
  if (arrivals->poisson)
    arrivals->rand = rng_new(engine.options->seed, RNG_STREAM_WORKLOAD, (guint64)(client - engine.clients));
}

/* The next session's arrival time; FALSE once all have arrived. */
static gboolean arrivals_next(Arrivals *arrivals, double *time)
{
  if (arrivals->made == arrivals->total)
    return FALSE;
  if (arrivals->poisson)
    arrivals->next += draw_exponential(arrivals->rand, 1.0 / arrivals->rate);
  else if (arrivals->spaced && arrivals->made > 0)
    arrivals->next += arrivals->interval;
  arrivals->made++;
  *time = arrivals->next;
  return TRUE;
}

static Session *arrivals_session(const Arrivals *arrivals, ClientHost *client)
{
  const ClientSpec *spec = client->spec;
  return session_new(spec->first_session_id + arrivals->made - 1, client, &engine.servers[spec->server_index],
                     spec->model, &client->settings);
}

static void arrivals_clear(Arrivals *arrivals)
{
  if (arrivals->rand != NULL)
    g_rand_free(arrivals->rand);
}

/* One per client host: opens the host's sessions as its workload says, an actor each. Sessions that
 * have not arrived yet cost nothing, so long runs keep only the live ones in memory. */
static void client_host_actor(int argc, char *argv[])
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

/* engine.sessions=event-loop: one per client host, runs the host's sessions (those of its workload, or
 * the deployed ones queued beforehand) as events, waiting in SimGrid only for the next event's time. */
static void host_loop_actor(int argc, char *argv[])
{
  (void)argc;
  (void)argv;
  ClientHost *client = sg_actor_self_get_data();
  SessionLoop *loop = client->loop;
  Arrivals arrivals = {0};
  double time = 0;
  if (engine.scenario->deployed == NULL) {
    arrivals_init(&arrivals, client);
    if (arrivals_next(&arrivals, &time))
      event_queue_push(&loop->events, time, NULL, EVENT_ARRIVAL);
  }
  sg_mutex_lock(loop->mutex);
  double reached = -INFINITY; /* the latest time waited for: events up to it are due */
  /* As SimGrid ends together the actions that end within its timing precision of each other, an event
   * closer than that to now is due now (and no wait shorter than SimGrid can time is asked for). */
  const double precision = sg_cfg_get_double("surf/precision");
  for (;;) {
    for (guint i = 0; i < loop->moved->len; i++)
      event_queue_push(&loop->events, simgrid_get_clock(), g_ptr_array_index(loop->moved, i), EVENT_RESUME);
    g_ptr_array_set_size(loop->moved, 0);
    const QueuedEvent *next = event_queue_peek(&loop->events);
    if (next == NULL) {
      if (loop->transfers == 0)
        break;
      sg_cond_wait(loop->transfer_ended, loop->mutex);
      continue;
    }
    const double now = simgrid_get_clock();
    if (next->time >= now + precision && next->time > reached) {
      const double until = next->time;
      if (loop->transfers == 0)
        sg_actor_sleep_until(until);
      else if (!sg_cond_wait_for(loop->transfer_ended, loop->mutex, until - now))
        continue; /* a transfer ended first */
      reached = until;
      continue;
    }
    QueuedEvent event;
    event_queue_pop(&loop->events, &event);
    Session *session = event.item;
    switch ((LoopEvent)event.kind) {
    case EVENT_ARRIVAL:
      session = arrivals_session(&arrivals, client);
      if (session == NULL)
        break; /* engine.error says why; no more arrivals */
      loop_resume(loop, session);
      if (arrivals_next(&arrivals, &time))
        event_queue_push(&loop->events, MAX(time, now), NULL, EVENT_ARRIVAL);
      break;
    case EVENT_RESUME:
      loop_resume(loop, session);
      break;
    case EVENT_COMMAND_ARRIVES:
      loop_command_arrives(loop, session);
      break;
    case EVENT_REPLY_LEAVES:
      loop_reply_leaves(loop, session);
      break;
    }
  }
  sg_mutex_unlock(loop->mutex);
  arrivals_clear(&arrivals);
}

static gboolean hosts_init(GError **error)
{
  const Scenario *scenario = engine.scenario;
  engine.servers = g_new0(ServerHost, scenario->servers->len);
  for (guint i = 0; i < scenario->servers->len; i++) {
    ServerHost *server = &engine.servers[i];
    server->spec = g_ptr_array_index(scenario->servers, i);
    const ParamSet *params = server->spec->host.params;
    server->host = sg_host_by_name(server->spec->host.name);
    if (server->host == NULL) {
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "host '%s' is not in SimGrid's platform", server->spec->host.name);
      return FALSE;
    }
    if (!port_gate_init(&server->gate, server->spec->policy, params, error))
      return FALSE;
    server->reaction = server_reaction_find(param_set_string(params, "server.reaction"), NULL);
    if (server->reaction->create != NULL)
      server->reaction_state = server->reaction->create(params);
    server->time_wait = time_wait_new();
    server->time_wait_duration = param_set_double(params, "tcp.time_wait");
  }
  engine.clients = g_new0(ClientHost, scenario->clients->len);
  for (guint i = 0; i < scenario->clients->len; i++) {
    ClientHost *client = &engine.clients[i];
    client->spec = g_ptr_array_index(scenario->clients, i);
    client->host = sg_host_by_name(client->spec->host.name);
    if (client->host == NULL) {
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "host '%s' is not in SimGrid's platform", client->spec->host.name);
      return FALSE;
    }
    client->ports_held = time_wait_new();
    session_settings_init(&client->settings, client->spec->host.params);
  }
  return TRUE;
}

static void hosts_clear(void)
{
  for (guint i = 0; engine.servers != NULL && i < engine.scenario->servers->len; i++) {
    ServerHost *server = &engine.servers[i];
    port_gate_clear(&server->gate);
    if (server->reaction != NULL && server->reaction->destroy != NULL && server->reaction_state != NULL)
      server->reaction->destroy(server->reaction_state);
    time_wait_free(server->time_wait);
  }
  for (guint i = 0; engine.clients != NULL && i < engine.scenario->clients->len; i++) {
    if (engine.clients[i].loop != NULL)
      session_loop_free(engine.clients[i].loop);
    port_allocator_clear(&engine.clients[i].shared_ports);
    time_wait_free(engine.clients[i].ports_held);
    session_settings_clear(&engine.clients[i].settings);
  }
  for (guint i = 0; engine.deployed_settings != NULL && i < engine.scenario->deployed->len; i++)
    session_settings_clear(&engine.deployed_settings[i]);
  g_clear_pointer(&engine.deployed_settings, g_free);
  g_clear_pointer(&engine.servers, g_free);
  g_clear_pointer(&engine.clients, g_free);
  g_ptr_array_unref(engine.free_slots);
}

gboolean engine_run(const Scenario *scenario, const EngineOptions *options, RunStats *run, double *simulated_time,
                    GError **error)
{
  engine.options = options;
  engine.scenario = scenario;
  engine.free_slots = g_ptr_array_new_with_free_func(slot_free);
  engine.slots_created = 0;
  engine.error = NULL;
  run_stats_init(&engine.run);
  gboolean ok = hosts_init(error);

  if (ok && scenario->deployed != NULL) {
    engine.deployed_settings = g_new0(SessionSettings, scenario->deployed->len);
    for (guint i = 0; ok && i < scenario->deployed->len; i++) {
      const DeployedSession *deployed = g_ptr_array_index(scenario->deployed, i);
      session_settings_init(&engine.deployed_settings[i], deployed->params);
      Session *session = session_new(i + 1, &engine.clients[deployed->client_index],
                                     &engine.servers[deployed->server_index], deployed->model,
                                     &engine.deployed_settings[i]);
      ok = session != NULL;
      if (ok) {
        session->start_time = deployed->start_time;
        if (engine.deployed_settings[i].event_loop) /* queued now, started with the host's loop below */
          event_queue_push(&session_loop_of(session->client)->events, 0, session, EVENT_RESUME);
        else
          start_session(session);
      }
    }
  } else if (ok) {
    for (guint i = 0; i < scenario->clients->len; i++) {
      ClientHost *client = &engine.clients[i];
      if (client->settings.event_loop)
        session_loop_of(client);
      else
        start_actor("ftp-client-host", client->host, client_host_actor, client);
    }
  }
  for (guint i = 0; ok && i < scenario->clients->len; i++)
    if (engine.clients[i].loop != NULL)
      start_actor("ftp-session-loop", engine.clients[i].host, host_loop_actor, &engine.clients[i]);

  if (ok)
    simgrid_run();
  *simulated_time = simgrid_get_clock();
  *run = engine.run;

  if (engine.error != NULL) {
    if (ok)
      g_propagate_error(error, engine.error);
    else
      g_error_free(engine.error);
    engine.error = NULL;
    ok = FALSE;
  }
  if (ok && engine.run.sessions != scenario->total_sessions) {
    g_set_error(error, FTPSIM_SCENARIO_ERROR, 0,
                "only %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " sessions finished (the simulation deadlocked)",
                engine.run.sessions, scenario->total_sessions);
    ok = FALSE;
  }
  hosts_clear();
  return ok;
}
