/* A session's making and end (session.h): its stream and draws, its control routes and its port
 * allocator when it is created; its record, mailboxes and memory when it ends. */
#include "session.h"

#include <simgrid/engine.h>
#include <xbt/log.h>

#include "rng.h"
#include "workload.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(ftpsim_session_lifecycle, ftpsim_engine, "FTP sessions' creation and end");

/* What allocators that skip busy ports ask: is the port listening, or held in TIME_WAIT, right now? */
static gboolean client_port_in_use(gpointer host, guint16 port)
{
  const ClientHost *client = host;
  return time_wait_busy(client->ports_held, port, engine_now());
}

/* Has one of the host's ports freed since? For allocators that found every port busy (port_search.h). */
static guint64 client_ports_freed(gpointer host)
{
  const ClientHost *client = host;
  return time_wait_frees(client->ports_held, engine_now());
}

static gboolean session_ports(Session *session, const ParamSet *params, GError **error)
{
  ClientHost *client = session->client;
  ClientModelContext context = {.seed = engine.options->seed,
                                .port_in_use = client_port_in_use,
                                .ports_freed = client_ports_freed,
                                .host = client};
  if (session->model->scope(params) == PORT_SCOPE_HOST) {
    if (client->shared_ports.model == NULL) {
      context.stream_id = client->index;
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

static void session_free(Session *session)
{
  port_allocator_clear(&session->own_ports);
  if (session->rand != NULL)
    g_rand_free(session->rand);
  g_free(session);
}

Session *session_new(guint64 id, ClientHost *client, ServerHost *server, const ClientModel *model,
                     const ClientSettings *settings, const ParamSet *params)
{
  Session *session = g_new0(Session, 1);
  session->id = id;
  session->client = client;
  session->server = server;
  session->model = model;
  session->settings = settings;
  if (settings->needs_rand)
    session->rand = rng_new(engine.options->seed, RNG_STREAM_SESSION, id);
  session->data_commands = draw_data_commands(settings, session->rand);
  session->middlebox.route = middlebox_route_of(client, server);
  session->query = (PortQuery){.local_address = client->spec->advertised_address,
                               .remote_address = server->spec->host.address,
                               .remote_port = FTP_DATA_PORT};
  if (settings->control != NETWORK_CONTROL_SHARED) {
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
  if (!session_ports(session, params, &error)) {
    if (engine.error == NULL)
      g_propagate_prefixed_error(&engine.error, error, "session %" G_GUINT64_FORMAT ": ", id);
    else
      g_error_free(error);
    session_free(session);
    return NULL;
  }
  engine.sessions_alive++;
  engine_memory_take(memory_session_bytes(settings->engine, settings->control));
  return session;
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

void session_finish(Session *session)
{
  middlebox_route_session_ended(session);
  record_session(session);
  if (session->slot != NULL)
    mailbox_pool_release(&engine.mailboxes, session->slot);
  engine.sessions_alive--;
  engine_memory_give(memory_session_bytes(session->settings->engine, session->settings->control));
  session_free(session);
}
