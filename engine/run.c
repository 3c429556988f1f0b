/* engine_run (engine.h): the hosts as the run sees them (typed settings, policy gates, reactions, port
 * tables), the sessions started by their driver, SimGrid run, and everything cleared afterwards. */
#include "engine.h"

#include <math.h>
#include <stdio.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <xbt/log.h>

#include "driver_actors.h"
#include "driver_event_loop.h"
#include "engine_internal.h"
#include "middlebox_route.h"

double engine_clock_ahead = -INFINITY;

/* The parent of every engine file's own category (engine_internal.h). */
XBT_LOG_NEW_SUBCATEGORY(ftpsim_engine, ftpsim, "FTP client and server actors");
XBT_LOG_NEW_DEFAULT_SUBCATEGORY(ftpsim_run, ftpsim_engine, "FTP engine run: hosts and drivers");

EngineState engine;

void start_actor(const char *name, sg_host_t host, xbt_main_func_t code, void *data)
{
  sg_actor_t actor = sg_actor_init(name, host);
  sg_actor_set_data(actor, data);
  sg_actor_start(actor, code, 0, NULL);
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
    server_settings_init(&server->settings, params);
    if (server->settings.reaction->create != NULL)
      server->reaction_state = server->settings.reaction->create(params);
    server->time_wait = time_wait_new();
  }
  engine.clients = g_new0(ClientHost, scenario->clients->len);
  for (guint i = 0; i < scenario->clients->len; i++) {
    ClientHost *client = &engine.clients[i];
    client->spec = g_ptr_array_index(scenario->clients, i);
    client->index = i;
    client->host = sg_host_by_name(client->spec->host.name);
    if (client->host == NULL) {
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "host '%s' is not in SimGrid's platform", client->spec->host.name);
      return FALSE;
    }
    client->ports_held = time_wait_new();
    client_settings_init(&client->settings, client->spec->host.params);
  }
  return middlebox_routes_init(error);
}

static void hosts_clear(void)
{
  for (guint i = 0; engine.servers != NULL && i < engine.scenario->servers->len; i++) {
    ServerHost *server = &engine.servers[i];
    port_gate_clear(&server->gate);
    const ServerReaction *reaction = server->settings.reaction;
    if (reaction != NULL && reaction->destroy != NULL && server->reaction_state != NULL)
      reaction->destroy(server->reaction_state);
    time_wait_free(server->time_wait);
  }
  for (guint i = 0; engine.clients != NULL && i < engine.scenario->clients->len; i++) {
    session_loop_free(&engine.clients[i]);
    port_allocator_clear(&engine.clients[i].shared_ports);
    time_wait_free(engine.clients[i].ports_held);
    client_settings_clear(&engine.clients[i].settings);
  }
  for (guint i = 0; engine.deployed_settings != NULL && i < engine.scenario->deployed->len; i++)
    client_settings_clear(&engine.deployed_settings[i]);
  g_clear_pointer(&engine.deployed_settings, g_free);
  middlebox_routes_clear();
  g_clear_pointer(&engine.servers, g_free);
  g_clear_pointer(&engine.clients, g_free);
  mailbox_pool_clear(&engine.mailboxes);
  control_links_clear();
}

/* A deployment's sessions, each with its own settings, started (or queued in its host's loop) now. */
static gboolean start_deployed_sessions(const Scenario *scenario)
{
  engine.deployed_settings = g_new0(ClientSettings, scenario->deployed->len);
  for (guint i = 0; i < scenario->deployed->len; i++) {
    const DeployedSession *deployed = g_ptr_array_index(scenario->deployed, i);
    ClientSettings *settings = &engine.deployed_settings[i];
    client_settings_init(settings, deployed->params);
    Session *session =
        session_new(i + 1, &engine.clients[deployed->client_index], &engine.servers[deployed->server_index],
                    deployed->model, settings, deployed->params);
    if (session == NULL)
      return FALSE;
    session->start_time = deployed->start_time;
    if (settings->engine == SESSION_ENGINE_EVENT_LOOP) /* queued now, started with the host's loop */
      session_loop_queue(session->client, session);
    else
      start_session(session);
  }
  return TRUE;
}

/* Each client host's workload, by its driver: an actor that opens sessions, or the host's loop. */
static void start_client_hosts(const Scenario *scenario)
{
  for (guint i = 0; i < scenario->clients->len; i++) {
    ClientHost *client = &engine.clients[i];
    if (client->settings.engine == SESSION_ENGINE_EVENT_LOOP)
      session_loop_of(client);
    else
      start_actor("ftp-client-host", client->host, client_host_actor, client);
  }
}

/* One loop can run every host's sessions when all are on the event loop and none on the shared control
 * model, whose flows and timers keep SimGrid's order host by host (driver_event_loop.c). */
static gboolean one_loop_for_all(const Scenario *scenario)
{
  const guint n = scenario->deployed != NULL ? scenario->deployed->len : scenario->clients->len;
  for (guint i = 0; i < n; i++) {
    const ParamSet *params = scenario->deployed != NULL
                                 ? ((const DeployedSession *)g_ptr_array_index(scenario->deployed, i))->params
                                 : ((const ClientSpec *)g_ptr_array_index(scenario->clients, i))->host.params;
    if (param_set_choice(params, KEY_ENGINE_SESSIONS) != SESSION_ENGINE_EVENT_LOOP ||
        param_set_choice(params, KEY_NETWORK_CONTROL) == NETWORK_CONTROL_SHARED)
      return FALSE;
  }
  return TRUE;
}

/* Progress is told when a session ends, on its way to the result sink, and every ENGINE_PROGRESS_COMMANDS
 * data commands begun: one clock read per session, none per exchange. Not by running the engine in
 * slices (simgrid_run_until), which was tried: a slice's end cuts the flows in progress, whose remaining bytes the
 * network model then updates in two steps instead of one, and session end times moved by one unit in the last printed
 * digit (3 of 4 runs of 1,500 sessions), at wall-clock-dependent places: results must not depend on whether progress is
 * shown. */
static RecordSink forwarded_sink;
static const EngineProgress *progress_of_run;
static guint64 progress_total_sessions;

static void session_end_with_progress(gpointer data, const SessionRecord *record)
{
  forwarded_sink.session_ended(data, record);
  /* engine.run counts the session right after this */
  progress_of_run->tick(progress_of_run->data, engine_now(), engine.run.sessions + 1, progress_total_sessions,
                        engine.data_commands_begun);
}

void engine_progress_after_commands(void)
{
  engine.progress_at_commands += ENGINE_PROGRESS_COMMANDS;
  progress_of_run->tick(progress_of_run->data, engine_now(), engine.run.sessions, progress_total_sessions,
                        engine.data_commands_begun);
}

void engine_memory_exceeded(void)
{
  engine.memory_allowed = G_MAXUINT64; /* told once */
  engine.options->memory.exceeded(engine.options->memory.data, engine.sessions_alive, engine_now());
  g_error("the memory guard's handler returned"); /* it must end the process */
}

/* network.control=uncongested ignores the load of the links it times messages on: say so when they were
 * in use (one line, after the run, unless --quiet; a run that uses it on none of its hosts says nothing). */
static void warn_uncongested_on_loaded_links(const Scenario *scenario)
{
  gboolean uncongested = FALSE;
  for (guint i = 0; i < scenario->clients->len; i++)
    uncongested |= engine.clients[i].settings.control == NETWORK_CONTROL_UNCONGESTED;
  for (guint i = 0; engine.deployed_settings != NULL && i < scenario->deployed->len; i++)
    uncongested |= engine.deployed_settings[i].control == NETWORK_CONTROL_UNCONGESTED;
  guint64 all = 0;
  const guint64 loaded = control_loaded_sends(&all);
  if (uncongested && loaded > 0 && !engine.options->quiet)
    fprintf(stderr,
            "ftpsim: warning: network.control=uncongested timed %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
            " control messages as if alone on their route, though transfers or other messages were using its links;"
            " network.control=loaded times them from the links' load\n",
            loaded, all);
}

gboolean engine_run(const Scenario *scenario, const EngineOptions *options, RunStats *run, double *simulated_time,
                    GError **error)
{
  EngineOptions with_progress = *options;
  if (options->progress.tick != NULL) {
    forwarded_sink = options->sink;
    progress_of_run = &options->progress;
    progress_total_sessions = scenario->total_sessions;
    with_progress.sink.session_ended = session_end_with_progress;
    options = &with_progress;
  }
  engine.options = options;
  engine.scenario = scenario;
  mailbox_pool_init(&engine.mailboxes);
  engine.error = NULL;
  engine.data_commands_begun = 0;
  engine.progress_at_commands = options->progress.tick != NULL ? ENGINE_PROGRESS_COMMANDS : G_MAXUINT64;
  engine.sessions_alive = engine.memory_alive = 0;
  engine.memory_allowed = options->memory.budget == 0                  ? G_MAXUINT64
                          : options->memory.budget > MEMORY_BASE_BYTES ? options->memory.budget - MEMORY_BASE_BYTES
                                                                       : 0;
  run_stats_init(&engine.run);
  gboolean ok = hosts_init(error);
  if (ok)
    session_loops_init(one_loop_for_all(scenario));

  if (ok && scenario->deployed != NULL)
    ok = start_deployed_sessions(scenario);
  else if (ok)
    start_client_hosts(scenario);
  if (ok)
    session_loops_start();

  if (ok) {
    simgrid_run();
    warn_uncongested_on_loaded_links(scenario);
  }
  *simulated_time = engine_now();
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
