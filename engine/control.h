/* The control connection's three models (network.control) and what they share.
 *
 * shared: a session's commands and replies are SimGrid flows between a pair of mailboxes, sharing links
 * with every other flow; the mailboxes come from a pool, as SimGrid 3.32 never frees one.
 * uncongested: a message is no SimGrid flow but a wait of its time alone on its route (ControlRoute), and
 * the client's side plays the server's too, queueing the server's replies (ReplyQueue). Each message
 * starts when a SimGrid communication would have (both sides ready: the other side is always waiting for
 * it), so times equal the shared model's while links are not congested; and a session is one actor, not
 * two. Checked against the shared model in tests/test_control.c.
 * loaded: as uncongested, but a message's time also counts the load of its route's links (the transfers
 * crossing them, the control bytes before it): equal to the shared model while links are idle, within
 * 1% of its times when congested, at a cost that does not grow with the flows (control_time();
 * tests/test_control_loaded.c). */
#ifndef FTPSIM_CONTROL_H
#define FTPSIM_CONTROL_H

#include <glib.h>
#include <simgrid/forward.h>

#include "ftp_protocol.h"

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

/* What the loaded model knows of one link: the data flows crossing it now (ftpsim's own transfers, the
 * only SimGrid flows in this model) and when the control bytes sent over it so far have left it. */
typedef struct LinkLoad {
  double capacity;        /* bytes/s: bandwidth x network/bandwidth-factor / (1 + its cross-traffic) */
  guint data_flows;       /* transfers crossing the link now */
  double control_free_at; /* when the link has sent every control byte handed to it, at full rate */
} LinkLoad;

#define CONTROL_ROUTE_LINKS 8

/* The time one message takes alone on a route: latency + bytes / rate; and the route's links. */
typedef struct ControlRoute {
  double latency;
  double rate;
  guint n_links; /* 0 when the route has more than CONTROL_ROUTE_LINKS: timed as uncongested */
  LinkLoad *links[CONTROL_ROUTE_LINKS];
} ControlRoute;

/* What SimGrid's network model gives one flow alone from one host to the other. Costs more than a
 * session's exchanges: look it up once per (client host, server) pair. */
ControlRoute control_route(sg_host_t from, sg_host_t to);

static inline double travel_time(const ControlRoute *route, long bytes)
{
  return route->latency + (double)bytes / route->rate;
}

/* A control message of `bytes` sent now on the route: how long until it arrives.
 * uncongested: latency + bytes / alone rate, as if alone on the route.
 * loaded: the latency, then the longer of (a) its bytes at its fair share of each link, the alone rate
 * over (data flows crossing the link + 1), and (b) the wait until the link has sent the control bytes
 * handed to it before, at full rate (processor sharing among control messages, made first come first
 * served). Both track the links' control bytes; cost O(links on the route), whatever the flows.
 * *beside_data: whether a transfer was crossing one of the route's links (the message took its share). */
double control_time(const ControlRoute *route, long bytes, gboolean loaded, gboolean *beside_data);
/* A transfer starts or ends on the route: its links' data flow counts follow. */
void control_route_flow(const ControlRoute *route, int delta);
/* Control messages sent over a link in use (by data flows, or by control bytes not yet sent), which
 * network.control=uncongested ignores: the run warns when there are any. *all: every message timed. */
guint64 control_loaded_sends(guint64 *all);
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
