/* Max-min fair sharing of links among routes of messages (fluid_network.h). */
#include "fluid_network.h"

#include <math.h>

#include "event_queue.h"

struct FluidRoute {
  guint *links;
  double *uses; /* of a message's rate, on each link */
  guint n_links;
  double cap;        /* a message's rate alone on the route */
  double penalty;    /* a message's share of a link is level / penalty */
  EventQueue leaves; /* time = the message's target, item = the caller's */
  guint messages;
  double served;    /* bytes served to each message of the route since it was last idle */
  double served_at; /* the time served is counted to */
  double rate;      /* each message's, since the last change */
  gboolean frozen;  /* progressive filling: its rate is set */
  guint busy_index; /* in network->busy, while it has messages */
};

struct FluidNetwork {
  GArray *capacity;  /* double, bytes/s, per link */
  GArray *remaining; /* double: progressive filling's capacity left, per link */
  GArray *weight;    /* double: messages of routes not yet frozen over their penalties, per link */
  GArray *unfrozen;  /* guint: routes not yet frozen, per link (the weight's sum leaves rounding behind) */
  GPtrArray *routes; /* every FluidRoute, owned */
  GPtrArray *busy;   /* the routes with messages on the links */
  guint32 entered;   /* messages entered so far (mod 2^32): at equal times they leave in this order */
};

FluidNetwork *fluid_network_new(void)
{
  FluidNetwork *network = g_new0(FluidNetwork, 1);
  network->capacity = g_array_new(FALSE, TRUE, sizeof(double));
  network->remaining = g_array_new(FALSE, TRUE, sizeof(double));
  network->weight = g_array_new(FALSE, TRUE, sizeof(double));
  network->unfrozen = g_array_new(FALSE, TRUE, sizeof(guint));
  network->routes = g_ptr_array_new();
  network->busy = g_ptr_array_new();
  return network;
}

void fluid_network_free(FluidNetwork *network)
{
  if (network == NULL)
    return;
  for (guint i = 0; i < network->routes->len; i++) {
    FluidRoute *route = g_ptr_array_index(network->routes, i);
    event_queue_clear(&route->leaves);
    g_free(route->links);
    g_free(route->uses);
    g_free(route);
  }
  g_ptr_array_free(network->routes, TRUE);
  g_ptr_array_free(network->busy, TRUE);
  g_array_free(network->capacity, TRUE);
  g_array_free(network->remaining, TRUE);
  g_array_free(network->weight, TRUE);
  g_array_free(network->unfrozen, TRUE);
  g_free(network);
}

guint fluid_network_add_link(FluidNetwork *network, double capacity)
{
  g_array_append_val(network->capacity, capacity);
  g_array_set_size(network->remaining, network->capacity->len);
  g_array_set_size(network->weight, network->capacity->len);
  g_array_set_size(network->unfrozen, network->capacity->len);
  return network->capacity->len - 1;
}

FluidRoute *fluid_network_add_route(FluidNetwork *network, const guint *links, const double *uses, guint n_links,
                                    double rate, double penalty)
{
  FluidRoute *route = g_new0(FluidRoute, 1);
  route->links = g_new(guint, n_links);
  route->uses = g_new(double, n_links);
  for (guint i = 0; i < n_links; i++) {
    g_assert(links[i] < network->capacity->len);
    route->links[i] = links[i];
    route->uses[i] = uses != NULL ? uses[i] : 1;
  }
  route->n_links = n_links;
  route->cap = rate;
  route->penalty = penalty > 0 ? penalty : 1;
  event_queue_init(&route->leaves);
  g_ptr_array_add(network->routes, route);
  return route;
}

/* Counts each busy route's service up to now at its rate. */
static void advance(FluidNetwork *network, double now)
{
  for (guint i = 0; i < network->busy->len; i++) {
    FluidRoute *route = g_ptr_array_index(network->busy, i);
    if (now > route->served_at) {
      route->served += (now - route->served_at) * route->rate;
      route->served_at = now;
    }
  }
}

/* The route's messages get level / penalty each. */
static void freeze(FluidNetwork *network, FluidRoute *route, double level)
{
  const double rate = level / route->penalty;
  route->rate = rate;
  route->frozen = TRUE;
  for (guint i = 0; i < route->n_links; i++) {
    double *remaining = &g_array_index(network->remaining, double, route->links[i]);
    *remaining = MAX(0.0, *remaining - route->messages * rate * route->uses[i]);
    g_array_index(network->weight, double, route->links[i]) -= route->messages * route->uses[i] / route->penalty;
    if (--g_array_index(network->unfrozen, guint, route->links[i]) == 0)
      g_array_index(network->weight, double, route->links[i]) = 0;
  }
}

/* Progressive filling: the link whose capacity left over the messages not yet given a rate (each weighted by
 * 1 / its penalty) is the smallest sets the level of every such message crossing it (rate = level / penalty);
 * a route whose rate alone is smaller gets that. Then again with what is left, until every message has a
 * rate: weighted max-min fairness, as SimGrid's solver. */
static void share_links(FluidNetwork *network)
{
  for (guint l = 0; l < network->capacity->len; l++) {
    g_array_index(network->remaining, double, l) = g_array_index(network->capacity, double, l);
    g_array_index(network->weight, double, l) = 0;
    g_array_index(network->unfrozen, guint, l) = 0;
  }
  for (guint i = 0; i < network->busy->len; i++) {
    FluidRoute *route = g_ptr_array_index(network->busy, i);
    route->frozen = FALSE;
    for (guint j = 0; j < route->n_links; j++) {
      g_array_index(network->weight, double, route->links[j]) += route->messages * route->uses[j] / route->penalty;
      g_array_index(network->unfrozen, guint, route->links[j])++;
    }
  }
  for (guint left = network->busy->len; left > 0;) {
    double level = INFINITY;
    guint bottleneck = G_MAXUINT;
    for (guint l = 0; l < network->capacity->len; l++) {
      const double weight = g_array_index(network->weight, double, l);
      if (g_array_index(network->unfrozen, guint, l) > 0 &&
          g_array_index(network->remaining, double, l) / weight < level) {
        level = g_array_index(network->remaining, double, l) / weight;
        bottleneck = l;
      }
    }
    FluidRoute *capped = NULL;
    for (guint i = 0; i < network->busy->len; i++) {
      FluidRoute *route = g_ptr_array_index(network->busy, i);
      if (!route->frozen && route->cap * route->penalty < level) {
        level = route->cap * route->penalty;
        capped = route;
      }
    }
    if (capped != NULL) {
      freeze(network, capped, level);
      left--;
      continue;
    }
    if (bottleneck == G_MAXUINT) { /* routes crossing no link: each message at its rate alone */
      for (guint i = 0; i < network->busy->len; i++) {
        FluidRoute *route = g_ptr_array_index(network->busy, i);
        if (!route->frozen) {
          freeze(network, route, route->cap * route->penalty);
          left--;
        }
      }
      break;
    }
    for (guint i = 0; i < network->busy->len; i++) {
      FluidRoute *route = g_ptr_array_index(network->busy, i);
      for (guint j = 0; !route->frozen && j < route->n_links; j++) {
        if (route->links[j] == bottleneck) {
          freeze(network, route, level);
          left--;
        }
      }
    }
  }
}

void fluid_network_enter(FluidNetwork *network, FluidRoute *route, double now, double bytes, gpointer item)
{
  advance(network, now);
  if (route->messages == 0) {
    route->busy_index = network->busy->len;
    g_ptr_array_add(network->busy, route);
    route->served = 0; /* counted afresh, so that a message alone takes exactly its bytes / rate */
    route->served_at = now;
  }
  event_queue_push(&route->leaves, route->served + bytes, item, network->entered++);
  route->messages++;
  share_links(network);
}

static double leaves_at(const FluidRoute *route)
{
  const QueuedEvent *first = event_queue_peek(&route->leaves);
  return route->served_at + (first->time - route->served) / route->rate;
}

double fluid_network_next(const FluidNetwork *network)
{
  double next = INFINITY;
  for (guint i = 0; i < network->busy->len; i++)
    next = MIN(next, leaves_at(g_ptr_array_index(network->busy, i)));
  return next;
}

/* Of the routes whose first message has left by now, the one whose message entered first: messages of
 * several routes that leave at one instant do so in the order they entered, as SimGrid ends its flows. The
 * order of entry is compared modulo 2^32, as messages in flight are far fewer. */
static FluidRoute *first_to_leave(const FluidNetwork *network, double now, double tolerance)
{
  FluidRoute *first = NULL;
  guint32 first_entered = 0;
  for (guint i = 0; i < network->busy->len; i++) {
    FluidRoute *route = g_ptr_array_index(network->busy, i);
    if (leaves_at(route) > now + tolerance)
      continue;
    const guint32 entered = event_queue_peek(&route->leaves)->kind;
    if (first == NULL || (gint32)(entered - first_entered) < 0) {
      first = route;
      first_entered = entered;
    }
  }
  return first;
}

gpointer fluid_network_leave(FluidNetwork *network, double now, double tolerance)
{
  FluidRoute *route = first_to_leave(network, now, tolerance);
  if (route != NULL) {
    advance(network, now);
    QueuedEvent left;
    event_queue_pop(&route->leaves, &left);
    if (--route->messages == 0) {
      FluidRoute *last = g_ptr_array_index(network->busy, network->busy->len - 1);
      last->busy_index = route->busy_index;
      g_ptr_array_index(network->busy, route->busy_index) = last;
      g_ptr_array_set_size(network->busy, network->busy->len - 1);
      route->rate = 0;
    }
    share_links(network);
    return left.item;
  }
  return NULL;
}

double fluid_route_rate(const FluidRoute *route)
{
  return route->messages > 0 ? route->rate : 0;
}

guint fluid_route_messages(const FluidRoute *route)
{
  return route->messages;
}
