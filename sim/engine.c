/* Client and server actors.
 *
 * Each session is a client actor on its client host; on connect it starts its own server actor on
 * the server host, as real FTP servers fork a process per connection (and because one shared server
 * mailbox costs O(N^2) in SimGrid 3.32). The control connection is a pair of mailboxes; every
 * command and reply is a message whose simulated size is its text plus TCP/IP headers, so each one
 * costs the route's latency and bandwidth. An accepted data command moves session.file_size bytes
 * from the server to the client over a third mailbox (active mode: the server sends). */
#include "engine.h"

#include <simgrid/actor.h>
#include <simgrid/comm.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/mailbox.h>
#include <xbt/log.h>

#include <math.h>

#include "../models/rng.h"
#include "report.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(ftpsim_engine, ftpsim, "FTP client and server actors");

typedef enum { FTP_CONNECT, FTP_USER, FTP_PASS, FTP_PORT, FTP_RETR, FTP_QUIT } FtpCommandType;

typedef struct FtpCommand {
  FtpCommandType type;
  guint16 port;
} FtpCommand;

/* Wire lengths of the fixed commands, CRLF included. CONNECT stands for the TCP handshake's SYN. */
static const long command_bytes[] = {
    [FTP_CONNECT] = 0,
    [FTP_USER] = sizeof("USER anonymous\r\n") - 1,
    [FTP_PASS] = sizeof("PASS guest\r\n") - 1,
    [FTP_PORT] = 0, /* depends on address and port: ftp_port_command_length() */
    [FTP_RETR] = sizeof("RETR file\r\n") - 1,
    [FTP_QUIT] = sizeof("QUIT\r\n") - 1,
};

static const FtpReply reply_greeting = {220, "Service ready for new user."};
static const FtpReply reply_user = {331, "User name okay, need password."};
static const FtpReply reply_pass = {230, "User logged in, proceed."};
static const FtpReply reply_opening = {150, "Opening BINARY mode data connection."};
static const FtpReply reply_complete = {226, "Transfer complete."};
static const FtpReply reply_no_port = {503, "Bad sequence of commands."};
static const FtpReply reply_quit = {221, "Goodbye."};

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
} ServerHost;

typedef struct ClientHost {
  const ClientSpec *spec;
  sg_host_t host;
  PortAllocator shared_ports; /* for models whose scope is the host; created on first use */
} ClientHost;

typedef struct Session {
  guint64 id;
  ClientHost *client;
  ServerHost *server;
  const ClientModel *model;
  PortAllocator own_ports;
  PortAllocator *ports; /* own_ports or the host's shared one */
  MailboxSlot *slot;
  guint64 data_commands;
  guint64 file_size;
  double think_time;
  double start_time; /* when the session opens, for deployed sessions */
  gboolean data_port_accepted;
  FtpCommand command;
  FtpReply replies[2]; /* alternate, so a reply in flight is never overwritten by the next */
  guint next_reply;
  SessionStats stats;
} Session;

/* The run: one per process, as SimGrid allows one simulation per process. */
static struct {
  const EngineOptions *options;
  const Scenario *scenario;
  ServerHost *servers;
  ClientHost *clients;
  GPtrArray *free_slots;
  guint slots_created;
  RunStats run;
  GError *error; /* the first failure inside an actor */
} engine;

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

/* ---- server side ---- */

static void send_reply(Session *session, FtpReply reply)
{
  FtpReply *buffer = &session->replies[session->next_reply];
  session->next_reply ^= 1;
  *buffer = reply;
  long bytes = (long)ftp_reply_length(reply) + FTP_SEGMENT_HEADER_BYTES;
  sg_comm_detach(sg_mailbox_put_init(session->slot->to_client, buffer, bytes), NULL);
}

static void server_session_actor(int argc, char *argv[])
{
  (void)argc;
  (void)argv;
  Session *session = sg_actor_self_get_data();
  const ServerHost *server = session->server;
  for (;;) {
    const FtpCommand *command = sg_mailbox_get(session->slot->to_server);
    switch (command->type) {
    case FTP_CONNECT:
      send_reply(session, reply_greeting);
      break;
    case FTP_USER:
      send_reply(session, reply_user);
      break;
    case FTP_PASS:
      send_reply(session, reply_pass);
      break;
    case FTP_PORT: {
      const PortRequest request = {.port = command->port,
                                   .address = session->client->spec->host.address,
                                   .peer_address = session->client->spec->host.address};
      FtpReply reply = port_gate_check(&server->gate, &request);
      session->data_port_accepted = ftp_reply_is_positive(reply);
      send_reply(session, reply);
      break;
    }
    case FTP_RETR:
      if (!session->data_port_accepted) {
        send_reply(session, reply_no_port);
        break;
      }
      send_reply(session, reply_opening);
      sg_mailbox_put(session->slot->data, &session->command, (long)session->file_size);
      send_reply(session, reply_complete);
      session->data_port_accepted = FALSE; /* one PORT per transfer, as RFC 959 clients do */
      break;
    case FTP_QUIT:
      send_reply(session, reply_quit);
      return;
    }
  }
}

/* ---- client side ---- */

static const FtpReply *exchange(Session *session, FtpCommandType type, guint16 port, long bytes)
{
  session->command.type = type;
  session->command.port = port;
  sg_mailbox_put(session->slot->to_server, &session->command, bytes + FTP_SEGMENT_HEADER_BYTES);
  return sg_mailbox_get(session->slot->to_client);
}

static PortAllocator *session_ports(Session *session, const ParamSet *params)
{
  const ClientModel *model = session->model;
  GError *error = NULL;
  if (model->scope(params) == PORT_SCOPE_HOST) {
    ClientHost *client = session->client;
    if (client->shared_ports.model == NULL) {
      const ClientModelContext context = {.seed = engine.options->seed,
                                          .stream_id = (guint64)(client - engine.clients)};
      if (!port_allocator_init(&client->shared_ports, model, params, &context, &error))
        goto failed;
    }
    return &client->shared_ports;
  }
  const ClientModelContext context = {.seed = engine.options->seed,
                                      .stream_id = session->id + engine.scenario->clients->len};
  if (port_allocator_init(&session->own_ports, model, params, &context, &error))
    return &session->own_ports;
failed:
  if (engine.error == NULL)
    g_propagate_prefixed_error(&engine.error, error, "session %" G_GUINT64_FORMAT ": ", session->id);
  else
    g_error_free(error);
  return NULL;
}

static void record_session(Session *session)
{
  const EngineOptions *options = engine.options;
  const SessionRecord record = {.id = session->id,
                                .client_host = session->client->spec->host.name,
                                .server_host = session->server->spec->host.name,
                                .client_model = session->model->name,
                                .server_policy = session->server->spec->policy->name,
                                .stats = &session->stats};
  report_session_row(options->sessions_csv, &record);
  run_stats_add(&engine.run, &session->stats);
}

static void client_session_actor(int argc, char *argv[])
{
  (void)argc;
  (void)argv;
  Session *session = sg_actor_self_get_data();
  if (session->start_time > 0)
    sg_actor_sleep_until(session->start_time);
  session_stats_init(&session->stats, simgrid_get_clock());
  session->slot = slot_take();

  sg_actor_t server = sg_actor_init("ftp-server", session->server->host);
  sg_actor_set_data(server, session);
  sg_actor_start(server, server_session_actor, 0, NULL);

  exchange(session, FTP_CONNECT, 0, command_bytes[FTP_CONNECT]);
  exchange(session, FTP_USER, 0, command_bytes[FTP_USER]);
  exchange(session, FTP_PASS, 0, command_bytes[FTP_PASS]);

  const guint32 address = session->client->spec->host.address;
  const PortQuery query = {.local_address = address,
                           .remote_address = session->server->spec->host.address,
                           .remote_port = FTP_DATA_PORT};
  FILE *trace = engine.options->commands_csv;
  for (guint64 i = 0; i < session->data_commands; i++) {
    if (i > 0 && session->think_time > 0)
      sg_actor_sleep_for(session->think_time);
    guint16 port = port_allocator_next(session->ports, &query);
    const FtpReply *reply = exchange(session, FTP_PORT, port, (long)ftp_port_command_length(address, port));
    gboolean accepted = ftp_reply_is_positive(*reply);
    double now = simgrid_get_clock();
    session_stats_record_port(&session->stats, port, accepted, now);
    if (trace != NULL)
      report_command_row(trace, now, session->id, session->client->spec->host.name,
                         session->server->spec->host.name, port, reply->code, accepted);
    XBT_DEBUG("session %" G_GUINT64_FORMAT ": PORT %u -> %u", session->id, (guint)port, (guint)reply->code);
    if (!accepted)
      continue; /* KB Q140424: the user's command fails; the next command names the next port */
    reply = exchange(session, FTP_RETR, 0, command_bytes[FTP_RETR]);
    if (reply->code != reply_opening.code)
      continue;
    sg_mailbox_get(session->slot->data);
    reply = sg_mailbox_get(session->slot->to_client);
    if (reply->code == reply_complete.code)
      session_stats_record_transfer(&session->stats, session->file_size, simgrid_get_clock());
  }

  exchange(session, FTP_QUIT, 0, command_bytes[FTP_QUIT]);
  session->stats.end_time = simgrid_get_clock();
  record_session(session);
  slot_release(session->slot);
  port_allocator_clear(&session->own_ports);
  g_free(session);
}

static Session *session_new(guint64 id, ClientHost *client, ServerHost *server, const ClientModel *model,
                            const ParamSet *params)
{
  Session *session = g_new0(Session, 1);
  session->id = id;
  session->client = client;
  session->server = server;
  session->model = model;
  session->data_commands = (guint64)param_set_int(params, "session.commands");
  session->file_size = (guint64)param_set_int(params, "session.file_size");
  session->think_time = param_set_double(params, "session.think_time");
  session->ports = session_ports(session, params);
  if (session->ports == NULL) {
    g_free(session);
    return NULL;
  }
  return session;
}

static void start_session(Session *session)
{
  sg_actor_t actor = sg_actor_init("ftp-client", session->client->host);
  sg_actor_set_data(actor, session);
  sg_actor_start(actor, client_session_actor, 0, NULL);
}

/* One per client host: opens the host's sessions as its workload says. Sessions that have not
 * arrived yet cost nothing, so long runs keep only the live ones in memory. */
static void client_host_actor(int argc, char *argv[])
{
  (void)argc;
  (void)argv;
  ClientHost *client = sg_actor_self_get_data();
  const ClientSpec *spec = client->spec;
  const ParamSet *params = spec->host.params;
  ServerHost *server = &engine.servers[spec->server_index];
  const char *arrival = param_set_string(params, "workload.arrival");
  double interval = param_set_double(params, "workload.interval");
  double rate = param_set_double(params, "workload.rate");
  gboolean poisson = g_str_equal(arrival, "poisson");
  gboolean spaced = g_str_equal(arrival, "interval");
  GRand *rand = poisson ? rng_new(engine.options->seed, RNG_STREAM_WORKLOAD, (guint64)(client - engine.clients))
                        : NULL;
  double next_arrival = 0;
  for (guint64 i = 0; i < spec->sessions; i++) {
    if (poisson) /* exponential gaps; 1 - U keeps the logarithm finite */
      next_arrival += -log(1.0 - g_rand_double(rand)) / rate;
    else if (spaced && i > 0)
      next_arrival += interval;
    if (next_arrival > simgrid_get_clock())
      sg_actor_sleep_until(next_arrival);
    Session *session = session_new(spec->first_session_id + i, client, server, spec->model, params);
    if (session == NULL)
      break;
    start_session(session);
  }
  if (rand != NULL)
    g_rand_free(rand);
}

static gboolean hosts_init(GError **error)
{
  const Scenario *scenario = engine.scenario;
  engine.servers = g_new0(ServerHost, scenario->servers->len);
  for (guint i = 0; i < scenario->servers->len; i++) {
    ServerHost *server = &engine.servers[i];
    server->spec = g_ptr_array_index(scenario->servers, i);
    server->host = sg_host_by_name(server->spec->host.name);
    if (server->host == NULL) {
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "host '%s' is not in SimGrid's platform", server->spec->host.name);
      return FALSE;
    }
    if (!port_gate_init(&server->gate, server->spec->policy, server->spec->host.params, error))
      return FALSE;
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
  }
  return TRUE;
}

static void hosts_clear(void)
{
  for (guint i = 0; i < engine.scenario->servers->len; i++)
    port_gate_clear(&engine.servers[i].gate);
  for (guint i = 0; i < engine.scenario->clients->len; i++)
    port_allocator_clear(&engine.clients[i].shared_ports);
  g_clear_pointer(&engine.servers, g_free);
  g_clear_pointer(&engine.clients, g_free);
  g_ptr_array_unref(engine.free_slots);
}

gboolean engine_run(const Scenario *scenario, const EngineOptions *options, RunStats *run, double *simulated_time,
                    GError **error)
{
  engine.options = options;
  engine.scenario = scenario;
  engine.free_slots = g_ptr_array_new_with_free_func(g_free);
  engine.slots_created = 0;
  engine.error = NULL;
  run_stats_init(&engine.run);
  gboolean ok = hosts_init(error);

  if (ok && scenario->deployed != NULL) {
    for (guint i = 0; ok && i < scenario->deployed->len; i++) {
      const DeployedSession *deployed = g_ptr_array_index(scenario->deployed, i);
      Session *session = session_new(i + 1, &engine.clients[deployed->client_index],
                                     &engine.servers[deployed->server_index], deployed->model, deployed->params);
      ok = session != NULL;
      if (ok) {
        session->start_time = deployed->start_time;
        start_session(session);
      }
    }
  } else if (ok) {
    for (guint i = 0; i < scenario->clients->len; i++) {
      sg_actor_t actor = sg_actor_init("ftp-client-host", engine.clients[i].host);
      sg_actor_set_data(actor, &engine.clients[i]);
      sg_actor_start(actor, client_host_actor, 0, NULL);
    }
  }

  if (ok)
    simgrid_run();
  *simulated_time = simgrid_get_clock();
  *run = engine.run;

  if (ok && engine.error != NULL) {
    g_propagate_error(error, engine.error);
    ok = FALSE;
  } else if (engine.error != NULL) {
    g_clear_error(&engine.error);
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
