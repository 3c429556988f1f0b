/* A fluid model of the network's links: messages (control messages and transfers alike) on routes of links,
 * their rates the weighted max-min fair share SimGrid's network model gives its flows (progressive filling,
 * each flow bounded by its route's rate alone), recomputed when a message enters or leaves. Messages on one route have
 * equal rates, so a route is a class: its messages leave in the order of their targets (the bytes served to
 * each message of the route since it was last idle), and the cost of a change is O(routes x links), not
 * O(messages): what keeps a congested fleet's cost per transfer flat (network.transfers=loaded, engine/). */
#ifndef FTPSIM_FLUID_NETWORK_H
#define FTPSIM_FLUID_NETWORK_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct FluidNetwork FluidNetwork;
typedef struct FluidRoute FluidRoute;

FluidNetwork *fluid_network_new(void);
void fluid_network_free(FluidNetwork *network);

/* A link of `capacity` bytes/s; returns its index. */
guint fluid_network_add_link(FluidNetwork *network, double capacity);
/* A route over these links (any number; copied), a message alone on it served at `rate` at most; a
 * message's rate x uses[i] counts on links[i] (1 on its way; SimGrid's network/crosstraffic puts 0.05 on the
 * links only the way back crosses; NULL: 1 on each). Its
 * messages' shares of a link are inversely proportional to `penalty` (SimGrid's sharing penalty: the route's
 * latency plus network/weight-S over each link's bandwidth, which favours short routes as TCP favours short
 * round trips); a penalty <= 0 counts as 1. */
FluidRoute *fluid_network_add_route(FluidNetwork *network, const guint *links, const double *uses, guint n_links,
                                    double rate, double penalty);

/* A message of `bytes` goes on the route's links at `now` (no earlier than the last change); `item` is
 * given back when it has left them. */
void fluid_network_enter(FluidNetwork *network, FluidRoute *route, double now, double bytes, gpointer item);
/* When the next message leaves, if nothing enters before; INFINITY when none is on the links. */
double fluid_network_next(const FluidNetwork *network);
/* A message that has left by `now` (within `tolerance` s), removed, or NULL. Call until NULL. */
gpointer fluid_network_leave(FluidNetwork *network, double now, double tolerance);
/* The rate a message on the route gets now (bytes/s; 0 when the route is empty). */
double fluid_route_rate(const FluidRoute *route);
guint fluid_route_messages(const FluidRoute *route);

G_END_DECLS

#endif
