/* The control connection's mailbox pool (shared model), route times (uncongested) and links shared by
 * messages and transfers (loaded); control.h. */
#include "control.h"

#include <math.h>

#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/link.h>
#include <simgrid/mailbox.h>
#include <xbt/config.h>
#include <xbt/dynar.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(ftpsim_control, ftpsim_engine, "FTP control connections: mailboxes and routes");

/* ---- shared: mailboxes ---- */

void mailbox_pool_init(MailboxPool *pool)
{
  pool->free_slots = g_ptr_array_new_with_free_func(g_free);
  pool->slots_created = 0;
}

MailboxSlot *mailbox_pool_take(MailboxPool *pool)
{
  if (pool->free_slots->len > 0)
    return g_ptr_array_steal_index_fast(pool->free_slots, pool->free_slots->len - 1);
  MailboxSlot *slot = g_new(MailboxSlot, 1);
  char name[48];
  guint n = pool->slots_created++;
  g_snprintf(name, sizeof name, "ftp%u.ctl-in", n);
  slot->to_server = sg_mailbox_by_name(name);
  g_snprintf(name, sizeof name, "ftp%u.ctl-out", n);
  slot->to_client = sg_mailbox_by_name(name);
  g_snprintf(name, sizeof name, "ftp%u.data", n);
  slot->data = sg_mailbox_by_name(name);
  return slot;
}

void mailbox_pool_release(MailboxPool *pool, MailboxSlot *slot)
{
  g_ptr_array_add(pool->free_slots, slot);
}

void mailbox_pool_clear(MailboxPool *pool)
{
  g_clear_pointer(&pool->free_slots, g_ptr_array_unref);
}

/* ---- uncongested and loaded: link loads ---- */

static GHashTable *link_loads;   /* sg_link_t -> LinkLoad */
static FluidNetwork *fluid;      /* network.transfers=loaded */
static GHashTable *fluid_routes; /* "from\nto" host names -> FluidRoute */
static guint64 sends_on_loaded_links, sends;

static void link_load_free(gpointer data)
{
  LinkLoad *load = data;
  target_set_free(load->targets);
  g_free(load);
}

/* share: what a flow's bytes cost the link, 1 + its cross-traffic where both directions use the link. */
static LinkLoad *link_load(sg_link_t link, double bandwidth_factor, double share)
{
  if (link_loads == NULL)
    link_loads = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, link_load_free);
  LinkLoad *load = g_hash_table_lookup(link_loads, link);
  if (load == NULL) {
    load = g_new0(LinkLoad, 1);
    load->capacity = sg_link_get_bandwidth(link) * bandwidth_factor / share;
    load->targets = target_set_new();
    load->fluid_link = fluid_network_add_link(control_fluid_network(), load->capacity);
    g_hash_table_insert(link_loads, link, load);
  }
  return load;
}

double control_time(const ControlRoute *route, long bytes)
{
  const double now = engine_now();
  gboolean in_use = FALSE;
  for (guint i = 0; i < route->n_links; i++) {
    LinkLoad *link = route->links[i];
    /* the bytes go on the link once the latency has passed, as in SimGrid's network model */
    const double start = MAX(now + route->latency, link->control_free_at);
    in_use |= link->data_flows > 0 || link->control_free_at > now + route->latency;
    link->control_free_at = start + (double)bytes / link->capacity;
  }
  sends_on_loaded_links += in_use;
  sends++;
  return travel_time(route, bytes);
}

/* ---- loaded: processor sharing on each link ---- */

/* Counts the link's service up to now: each message and transfer on it served capacity / (their number)
 * per second, the messages whose targets are reached leaving it in turn. */
static void link_advance(LinkLoad *link, double now)
{
  TargetSet *targets = link->targets;
  while (target_set_size(targets) > 0) {
    const double rate = link->capacity / (target_set_size(targets) + link->data_flows);
    const double first = target_set_min(targets);
    const double leaves_at = link->served_at + (first - link->served) / rate;
    if (leaves_at > now + instant_tolerance(now)) {
      link->served += (now - link->served_at) * rate;
      break;
    }
    link->served = first;
    link->served_at = leaves_at;
    target_set_remove_min(targets);
  }
  if (target_set_size(targets) == 0 &&
      link->served != 0) { /* idle: count afresh, so that a message alone takes exactly its bytes / capacity */
    link->served = 0;
    link->idle_spells++;
  }
  link->served_at = now;
}

/* When a message with this target leaves the link if no other enters: every other message on it is served
 * as much as it is or until it leaves, and each transfer as much as it is, at the link's capacity in all. */
static double link_leaves_at(const LinkLoad *link, double target, double now)
{
  double below = 0;
  guint count = 0;
  target_set_sum_below(link->targets, target, &below, &count);
  const guint on_link = target_set_size(link->targets);
  const double to_serve = below + (double)(on_link - count) * target - (double)on_link * link->served +
                          link->data_flows * (target - link->served);
  return now + to_serve / link->capacity;
}

double control_message_due(const ControlMessage *message)
{
  const double now = engine_now();
  const ControlRoute *route = message->route;
  double due = message->start + (double)message->bytes / route->rate;
  for (guint i = 0; i < route->n_links; i++) {
    LinkLoad *link = route->links[i];
    link_advance(link, now);
    if (message->idle_spells[i] == link->idle_spells && message->targets[i] > link->served)
      due = MAX(due, link_leaves_at(link, message->targets[i], now));
  }
  return due <= now + instant_tolerance(now) ? MIN(due, now) : due;
}

void control_message_enter(ControlMessage *message, const ControlRoute *route, long bytes, gboolean *beside_data)
{
  const double now = engine_now();
  message->route = route;
  message->start = now;
  message->bytes = bytes;
  *beside_data = FALSE;
  for (guint i = 0; i < route->n_links; i++) {
    LinkLoad *link = route->links[i];
    link_advance(link, now);
    *beside_data |= link->data_flows > 0;
    message->targets[i] = link->served + (double)bytes;
    message->idle_spells[i] = link->idle_spells;
    target_set_add(link->targets, message->targets[i]);
  }
  sends++;
}

void control_route_flow(const ControlRoute *route, int delta)
{
  const double now = engine_now();
  for (guint i = 0; i < route->n_links; i++) {
    link_advance(route->links[i], now); /* the messages on it were served at the old share until now */
    route->links[i]->data_flows += delta;
  }
}

guint64 control_loaded_sends(guint64 *all)
{
  *all = sends;
  return sends_on_loaded_links;
}

FluidNetwork *control_fluid_network(void)
{
  if (fluid == NULL) {
    fluid = fluid_network_new();
    fluid_routes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  }
  return fluid;
}

/* One fluid route per (from, to) pair of hosts, as its messages share one rate. links and uses: its fluid
 * links and the share of a message's rate each carries (fluid_network.h). */
static FluidRoute *fluid_route_of(sg_host_t from, sg_host_t to, const ControlRoute *route, const GArray *links,
                                  const GArray *uses)
{
  FluidNetwork *network = control_fluid_network();
  char *key = g_strconcat(sg_host_get_name(from), "\n", sg_host_get_name(to), NULL);
  FluidRoute *fluid_route = g_hash_table_lookup(fluid_routes, key);
  if (fluid_route != NULL) {
    g_free(key);
    return fluid_route;
  }
  fluid_route = fluid_network_add_route(network, (const guint *)links->data, (const double *)uses->data, links->len,
                                        route->rate, route->penalty);
  g_hash_table_insert(fluid_routes, key, fluid_route);
  return fluid_route;
}

void control_links_clear(void)
{
  g_clear_pointer(&fluid_routes, g_hash_table_unref);
  g_clear_pointer(&fluid, fluid_network_free);
  g_clear_pointer(&link_loads, g_hash_table_unref);
  sends_on_loaded_links = sends = 0;
}

/* ---- uncongested and loaded: routes ---- */

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
 * times the bandwidth factor). */
ControlRoute control_route(sg_host_t from, sg_host_t to)
{
  xbt_dynar_t forward = xbt_dynar_new(sizeof(sg_link_t), NULL);
  xbt_dynar_t backward = xbt_dynar_new(sizeof(sg_link_t), NULL);
  sg_host_get_route(from, to, forward);
  sg_host_get_route(to, from, backward);
  const double crosstraffic = sg_cfg_get_boolean("network/crosstraffic") ? 0.05 : 0;
  const double bandwidth_factor = sg_cfg_get_double("network/bandwidth-factor");
  double latency = 0, rate = INFINITY, weight = 0;
  const double weight_s = sg_cfg_get_double("network/weight-S");
  ControlRoute route = {.n_links = 0};
  /* the fluid model's view: every link (1 of a message's rate on its way, crosstraffic on the way back) */
  g_autoptr(GArray) fluid_links = g_array_new(FALSE, FALSE, sizeof(guint));
  g_autoptr(GArray) fluid_uses = g_array_new(FALSE, FALSE, sizeof(double));
  for (unsigned long i = 0; i < xbt_dynar_length(forward); i++) {
    sg_link_t link = xbt_dynar_get_as(forward, i, sg_link_t);
    latency += sg_link_get_latency(link);
    weight += weight_s > 0 ? weight_s / sg_link_get_bandwidth(link) : 0;
    double share = 1 + (link_in(backward, link) ? crosstraffic : 0);
    LinkLoad *load = link_load(link, bandwidth_factor, share);
    if (i < CONTROL_ROUTE_LINKS)
      route.links[route.n_links++] = load;
    const double use = 1;
    g_array_append_val(fluid_links, load->fluid_link);
    g_array_append_val(fluid_uses, use);
    rate = MIN(rate, sg_link_get_bandwidth(link) * bandwidth_factor / share);
  }
  for (unsigned long i = 0; crosstraffic > 0 && i < xbt_dynar_length(backward); i++) {
    sg_link_t link = xbt_dynar_get_as(backward, i, sg_link_t);
    if (!link_in(forward, link)) {
      rate = MIN(rate, sg_link_get_bandwidth(link) * bandwidth_factor / crosstraffic);
      g_array_append_val(fluid_links, link_load(link, bandwidth_factor, 1)->fluid_link);
      g_array_append_val(fluid_uses, crosstraffic);
    }
  }
  if (latency > 0)
    rate = MIN(rate, sg_cfg_get_double("network/TCP-gamma") / (2 * latency) * bandwidth_factor);
  if (xbt_dynar_length(forward) > CONTROL_ROUTE_LINKS)
    route.n_links = 0;
  xbt_dynar_free(&forward);
  xbt_dynar_free(&backward);
  route.penalty = latency + weight;
  route.latency = latency * sg_cfg_get_double("network/latency-factor");
  route.rate = rate;
  route.fluid = fluid_route_of(from, to, &route, fluid_links, fluid_uses);
  return route;
}
