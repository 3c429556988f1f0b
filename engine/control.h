/* The control connection's three models (network.control) and what they share.
 *
 * shared: a session's commands and replies are SimGrid flows between a pair of mailboxes, sharing links
 * with every other flow; the mailboxes come from a pool, as SimGrid 3.32 never frees one.
 * uncongested: a message is no SimGrid flow but a wait of its time alone on its route (ControlRoute), and
 * the client's side plays the server's too, queueing the server's replies (ReplyQueue). Each message
 * starts when a SimGrid communication would have (both sides ready: the other side is always waiting for
 * it), so times equal the shared model's while links are not congested; and a session is one actor, not
 * two. Checked against the shared model in tests/test_control.c.
 * loaded: as uncongested, but a message shares each link of its route equally with the transfers and the
 * other messages on it (processor sharing, ControlMessage): equal to the shared model while links are
 * idle, within 1% of its times when congested, at a cost that does not grow with the transfers
 * (tests/test_control_loaded.c). With network.transfers=loaded too, messages and transfers are timed by the
 * fluid model of the links instead (control_fluid_network(), fluid_network.h): SimGrid's weighted max-min
 * sharing, and no SimGrid flow at all. */
#ifndef FTPSIM_CONTROL_H
#define FTPSIM_CONTROL_H

#include <glib.h>
#include <simgrid/forward.h>

#include "clock.h"
#include "fluid_network.h"
#include "ftp_protocol.h"
#include "target_set.h"

G_BEGIN_DECLS

/* ---- shared: mailboxes ---- */

/* A session's control connection (both directions) and data connection. */
typedef struct MailboxSlot {
  sg_mailbox_t to_server;
  sg_mailbox_t to_client;
  sg_mailbox_t data;
} MailboxSlot;

/* Finished sessions hand their slot to the next one, so mailboxes grow with sessions at once, not in all. */
typedef struct MailboxPool {
  GPtrArray *free_slots;
  guint slots_created;
} MailboxPool;

void mailbox_pool_init(MailboxPool *pool);
MailboxSlot *mailbox_pool_take(MailboxPool *pool);
void mailbox_pool_release(MailboxPool *pool, MailboxSlot *slot);
void mailbox_pool_clear(MailboxPool *pool);

/* ---- uncongested and loaded: routes, link loads and replies in waiting ---- */

/* What the loaded and uncongested models know of one link. Loaded: the link shares its capacity equally
 * among the transfers crossing it (ftpsim's own, the only SimGrid flows in this model) and the control
 * messages whose bytes are on it (processor sharing). A message's progress is tracked as the bytes each
 * of them has been served since the link was last idle (served), so that a message that enters with
 * served = s leaves when served reaches s + its bytes: the link keeps those targets in a min-heap. */
typedef struct LinkLoad {
  double capacity;        /* bytes/s: bandwidth x network/bandwidth-factor / (1 + its cross-traffic) */
  guint data_flows;       /* transfers crossing the link now */
  double control_free_at; /* uncongested: when the link has sent every control byte handed to it, at full rate */
  double served;          /* loaded: bytes served to each message on the link since it was last idle */
  double served_at;       /* the time served is counted to */
  TargetSet *targets;     /* loaded: the served values at which the messages on the link leave it */
  guint64 idle_spells;    /* loaded: how many times the link has gone idle (and served counted afresh) */
  guint fluid_link;       /* network.transfers=loaded: the link in control_fluid_network() */
} LinkLoad;

#define CONTROL_ROUTE_LINKS 8

/* The time one message takes alone on a route: latency + bytes / rate; and the route's links. */
typedef struct ControlRoute {
  double latency;
  double rate;
  guint n_links; /* 0 when the route has more than CONTROL_ROUTE_LINKS: timed as uncongested */
  LinkLoad *links[CONTROL_ROUTE_LINKS];
  double penalty;    /* SimGrid's sharing penalty of a flow on the route: latency + network/weight-S / each bandwidth */
  FluidRoute *fluid; /* network.transfers=loaded: the route in control_fluid_network(), one per pair of hosts */
} ControlRoute;

/* What SimGrid's network model gives one flow alone from one host to the other. Costs more than a
 * session's exchanges: look it up once per (client host, server) pair. */
ControlRoute control_route(sg_host_t from, sg_host_t to);

static inline double travel_time(const ControlRoute *route, long bytes)
{
  return route->latency + (double)bytes / route->rate;
}

/* network.control=uncongested: how long a control message of `bytes` sent now on the route takes: latency +
 * bytes / alone rate, as if alone on the route. It tracks the links' control bytes (first come first served)
 * only to tell the run whether the links were in use (control_loaded_sends()). O(links on the route). */
double control_time(const ControlRoute *route, long bytes);

/* network.control=loaded: a control message on the route, once its latency has passed (its bytes go on the
 * links then, as in SimGrid's network model). It shares each link equally with the transfers and the other
 * messages on it, and arrives when its bytes have left every link, and no sooner than its bytes at the route's
 * alone rate (TCP window, cross-traffic). A message that enters later slows the ones on the link: the time
 * control_message_due() gives is when the message arrives if no other enters before; the sender asks once
 * every message of the instant has entered, waits until then, and asks again. Cost O(links x the messages on a link
 * that leave before it), whatever the transfers; no allocation but a heap's growth. */
typedef struct ControlMessage {
  const ControlRoute *route;
  double start; /* when its bytes went on the links */
  long bytes;
  double targets[CONTROL_ROUTE_LINKS];      /* the link's served value at which the message leaves it */
  guint64 idle_spells[CONTROL_ROUTE_LINKS]; /* the link's, when it entered: the message has left once it moves */
} ControlMessage;

/* The message's bytes go on the route's links now. *beside_data: whether a transfer was crossing one of
 * them (the message took part of its share). */
void control_message_enter(ControlMessage *message, const ControlRoute *route, long bytes, gboolean *beside_data);
/* When the message arrives if no other enters before: now or earlier once it has. */
double control_message_due(const ControlMessage *message);
/* A transfer starts or ends on the route: its links' data flow counts follow. */
void control_route_flow(const ControlRoute *route, int delta);
/* Control messages sent over a link in use (by data flows, or by control bytes not yet sent), which
 * network.control=uncongested ignores: the run warns when there are any. *all: every message timed. */
guint64 control_loaded_sends(guint64 *all);
/* network.transfers=loaded: every message and transfer on the links, max-min fair (fluid_network.h). */
FluidNetwork *control_fluid_network(void);
/* Times within this of each other are one instant (SimGrid's default surf/precision, or the last bits of a
 * long run's clock): a message due now is not waited for again because the sum that found its end rounded
 * the other way, and no wait shorter than SimGrid times is asked for. */
static inline double instant_tolerance(double now)
{
  return MAX(1e-9, 1e-12 * now);
}
/* Frees the link table at the run's end. */
void control_links_clear(void);

/* The replies to one command, in order (at most two: 150 and 226 around a transfer). */
typedef struct ReplyQueue {
  const FtpReply *replies[2];
  long bytes[2];
  guint head, count;
} ReplyQueue;

static inline void reply_queue_push(ReplyQueue *queue, const FtpReply *reply, long bytes)
{
  guint tail = (queue->head + queue->count) % G_N_ELEMENTS(queue->replies);
  g_assert(queue->count < G_N_ELEMENTS(queue->replies));
  queue->replies[tail] = reply;
  queue->bytes[tail] = bytes;
  queue->count++;
}

static inline const FtpReply *reply_queue_pop(ReplyQueue *queue, long *bytes)
{
  g_assert(queue->count > 0);
  const FtpReply *reply = queue->replies[queue->head];
  *bytes = queue->bytes[queue->head];
  queue->head = (queue->head + 1) % G_N_ELEMENTS(queue->replies);
  queue->count--;
  return reply;
}

G_END_DECLS

#endif
