/* Middleboxes on the route (middlebox_route.h): the run's boxes, each route's found once per (client host,
 * server host), and the hooks the server's and the client's sides of a session call. */
#include "middlebox_route.h"

#include <string.h>

#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/link.h>
#include <xbt/dynar.h>
#include <xbt/log.h>

#include "session.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(ftpsim_middlebox_route, ftpsim_engine, "FTP middleboxes on the route");

static struct {
  Middlebox *boxes;    /* as engine.scenario->middleboxes */
  GHashTable *routes;  /* "client/server" index pair -> MiddleboxRoute*, or the empty route */
  MiddleboxRoute none; /* a pair without middleboxes */
} run;

gboolean middlebox_routes_init(GError **error)
{
  const GPtrArray *specs = engine.scenario->middleboxes;
  run.routes = NULL;
  run.boxes = NULL;
  if (specs->len == 0)
    return TRUE;
  run.boxes = g_new0(Middlebox, specs->len);
  for (guint i = 0; i < specs->len; i++) {
    const MiddleboxSpec *spec = g_ptr_array_index(specs, i);
    if (!middlebox_init(&run.boxes[i], spec->model, spec->params, error))
      return FALSE;
    run.boxes[i].element = spec->element;
  }
  run.routes = g_hash_table_new(g_int64_hash, g_int64_equal);
  return TRUE;
}

static void route_free(gpointer key, gpointer value, gpointer data)
{
  (void)data;
  g_free(key);
  if (value != &run.none) {
    MiddleboxRoute *route = value;
    g_free((gpointer)route->chain.boxes);
    g_free(route);
  }
}

void middlebox_routes_clear(void)
{
  if (run.routes != NULL) {
    g_hash_table_foreach(run.routes, route_free, NULL);
    g_hash_table_unref(run.routes);
  }
  for (guint i = 0; run.boxes != NULL && i < engine.scenario->middleboxes->len; i++)
    middlebox_clear(&run.boxes[i]);
  g_clear_pointer(&run.boxes, g_free);
  run.routes = NULL;
}

static Middlebox *box_on(const char *element, gboolean on_link)
{
  const GPtrArray *specs = engine.scenario->middleboxes;
  for (guint i = 0; i < specs->len; i++) {
    const MiddleboxSpec *spec = g_ptr_array_index(specs, i);
    if (spec->on_link == on_link && strcmp(spec->element, element) == 0)
      return &run.boxes[i];
  }
  return NULL;
}

/* A SPLITDUPLEX link is two links named ID_UP and ID_DOWN: the property is on ID. */
static Middlebox *box_on_link(sg_link_t link)
{
  const char *name = sg_link_get_name(link);
  Middlebox *box = box_on(name, TRUE);
  if (box != NULL)
    return box;
  for (const char *suffix = "_UP"; suffix != NULL; suffix = strcmp(suffix, "_UP") == 0 ? "_DOWN" : NULL)
    if (g_str_has_suffix(name, suffix)) {
      g_autofree gchar *base = g_strndup(name, strlen(name) - strlen(suffix));
      return box_on(base, TRUE);
    }
  return NULL;
}

/* The client's host, the route's links, the server's host: the boxes on them, in that order. */
static const MiddleboxRoute *find_route(ClientHost *client, ServerHost *server)
{
  GPtrArray *boxes = g_ptr_array_new();
  Middlebox *box = box_on(client->spec->host.name, FALSE);
  if (box != NULL)
    g_ptr_array_add(boxes, box);
  xbt_dynar_t links = xbt_dynar_new(sizeof(sg_link_t), NULL);
  sg_host_get_route(client->host, server->host, links);
  for (unsigned long i = 0; i < xbt_dynar_length(links); i++)
    if ((box = box_on_link(xbt_dynar_get_as(links, i, sg_link_t))) != NULL)
      g_ptr_array_add(boxes, box);
  xbt_dynar_free(&links);
  if ((box = box_on(server->spec->host.name, FALSE)) != NULL)
    g_ptr_array_add(boxes, box);
  if (boxes->len == 0) {
    g_ptr_array_free(boxes, TRUE);
    return &run.none;
  }
  MiddleboxRoute *route = g_new0(MiddleboxRoute, 1);
  route->chain.count = boxes->len;
  route->chain.boxes = (Middlebox *const *)g_ptr_array_free(boxes, FALSE);
  route->reply_timeout = param_set_double(client->spec->host.params, KEY_CLIENT_REPLY_TIMEOUT);
  for (guint i = 0; i < route->chain.count; i++)
    XBT_DEBUG("%s -> %s: middlebox %s on %s", client->spec->host.name, server->spec->host.name,
              route->chain.boxes[i]->model->name, route->chain.boxes[i]->element);
  return route;
}

const MiddleboxRoute *middlebox_route_of(ClientHost *client, ServerHost *server)
{
  if (run.routes == NULL)
    return NULL;
  gint64 pair = ((gint64)client->index << 32) | (gint64)(server - engine.servers);
  const MiddleboxRoute *route = g_hash_table_lookup(run.routes, &pair);
  if (route == NULL) {
    route = find_route(client, server);
    g_hash_table_insert(run.routes, g_memdup2(&pair, sizeof pair), (gpointer)route);
  }
  return route == &run.none ? NULL : route;
}

/* Stands for a reset or for silence: the client reads no code from it (session->middlebox.action says). */
static const FtpReply no_reply = {0, ""};

gboolean middlebox_route_port(Session *session, PortRequest *request, FtpReply *reply, gboolean *open)
{
  MiddleboxPass *pass = &session->middlebox;
  MiddleboxPort port = {.request = *request,
                        .server_address = session->server->spec->host.address,
                        .connection = session->id,
                        .now = engine_now()};
  guint acted = 0;
  const MiddleboxVerdict verdict = middlebox_chain_port(&pass->route->chain, &port, &acted);
  pass->action = verdict.action;
  pass->acted = verdict.action == MIDDLEBOX_PASS ? NULL : pass->route->chain.boxes[acted]->element;
  pass->no_expectation = port.no_expectation;
  pass->refused = port.refused;
  pass->destination = port.destination;
  session->stats.nat_port_moves += port.ports_moved;
  if (verdict.action != MIDDLEBOX_PASS)
    session->data_failure = DATA_FAILURE_NONE; /* no connection was tried for this PORT */
  switch (verdict.action) {
    case MIDDLEBOX_PASS:
      *request = port.request;
      return TRUE;
    case MIDDLEBOX_REJECT:
      session->stats.middlebox_rejected++;
      *reply = verdict.reply;
      *open = TRUE;
      return FALSE;
    case MIDDLEBOX_DROP:
    case MIDDLEBOX_CLOSE:
      *reply = no_reply;
      *open = FALSE;
      return FALSE;
  }
  g_assert_not_reached();
}

void middlebox_route_data_path(Session *session, DataPath *path)
{
  const MiddleboxPass *pass = &session->middlebox;
  const gboolean own = pass->destination == session->client->spec->host.address;
  path->listening = !own || session->settings->listen == CLIENT_LISTEN_YES;
  path->reachable = (own || session->settings->third_party == THIRD_PARTY_REACHABLE) && !pass->no_expectation;
  if (pass->refused) { /* the NAT's own address: its kernel answers with a reset */
    path->reachable = TRUE;
    path->listening = FALSE;
  }
  if (pass->no_expectation)
    session->stats.middlebox_data_blocked++;
  /* The SYN reaches the boxes (a fatal data phase never connects, TIME_WAIT fails before a SYN) and matches. */
  const DataPhase *phase = session->data_phase;
  if (!pass->no_expectation && !pass->refused && phase != NULL && phase->fatal.code == 0 &&
      data_phase_connect(phase, path) != DATA_FAILURE_TIME_WAIT)
    middlebox_chain_data_connected(&pass->route->chain, session->id);
}

double middlebox_route_port_unanswered(Session *session)
{
  const MiddleboxPass *pass = &session->middlebox;
  SessionStats *stats = &session->stats;
  stats->commands++;
  session_stats_fail_command(stats);
  time_wait_release(session->client->ports_held, session->port);
  stats->end = SESSION_END_BY_MIDDLEBOX;
  stats->middlebox_end = pass->acted;
  session->result = END_SESSION_CLOSED;
  session->commands_done++;
  session->step = STEP_NEXT_COMMAND;
  if (pass->action != MIDDLEBOX_DROP)
    return engine_now();
  stats->middlebox_dropped++;
  return MAX(engine_now(), pass->port_sent + pass->route->reply_timeout);
}

DataFailure middlebox_route_failure(const Session *session)
{
  return session->middlebox.action == MIDDLEBOX_DROP ? DATA_FAILURE_MIDDLEBOX_DROPPED : DATA_FAILURE_MIDDLEBOX_CLOSED;
}

void middlebox_route_session_ended(Session *session)
{
  if (session->middlebox.route != NULL)
    middlebox_chain_connection_closed(&session->middlebox.route->chain, session->id);
}
