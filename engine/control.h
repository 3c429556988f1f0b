/* The control connection's two models (network.control) and what they share.
 *
 * shared: a session's commands and replies are SimGrid flows between a pair of mailboxes, sharing links
 * with every other flow; the mailboxes come from a pool, as SimGrid 3.32 never frees one.
 * uncongested: a message is no SimGrid flow but a wait of its time alone on its route (ControlRoute), and
 * the client's side plays the server's too, queueing the server's replies (ReplyQueue). Each message
 * starts when a SimGrid communication would have (both sides ready: the other side is always waiting for
 * it), so times equal the shared model's while links are not congested; and a session is one actor, not
 * two. Checked against the shared model in tests/test_control.c. */
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

/* ---- uncongested: routes and replies in waiting ---- */

/* The time one message takes alone on a route: latency + bytes / rate. */
typedef struct ControlRoute {
  double latency;
  double rate;
} ControlRoute;

/* What SimGrid's network model gives one flow alone from one host to the other. Costs more than a
 * session's exchanges: look it up once per (client host, server) pair. */
ControlRoute control_route(sg_host_t from, sg_host_t to);

static inline double travel_time(const ControlRoute *route, long bytes)
{
  return route->latency + (double)bytes / route->rate;
}

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
