/* Timed events in the order they fall due: by time, then by lane, then by the order they were pushed, so
 * that events at equal times run first-in, first-out within a lane, lane after lane, and a run is the same
 * on every machine. A binary heap; a push
 * allocates only when the heap grows past its largest size so far. */
#ifndef FTPSIM_EVENT_QUEUE_H
#define FTPSIM_EVENT_QUEUE_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct QueuedEvent {
  double time;
  guint64 order; /* lane, then pushes so far: for ties */
  gpointer item;
  guint kind; /* the caller's */
} QueuedEvent;

typedef struct EventQueue {
  QueuedEvent *events;
  gsize length, capacity;
  guint64 pushed;
} EventQueue;

void event_queue_init(EventQueue *queue);
void event_queue_clear(EventQueue *queue);
/* In lane 0. */
void event_queue_push(EventQueue *queue, double time, gpointer item, guint kind);
/* Lanes below EVENT_QUEUE_LANES: at equal times a lane's events all run before the next lane's (one loop
 * that runs many hosts' events in the order separate loops, one per host, would). */
#define EVENT_QUEUE_LANES (1u << 20)
void event_queue_push_in_lane(EventQueue *queue, double time, guint lane, gpointer item, guint kind);
/* The earliest event, or NULL when the queue is empty. */
const QueuedEvent *event_queue_peek(const EventQueue *queue);
/* Removes the earliest event into *event; FALSE when the queue is empty. */
gboolean event_queue_pop(EventQueue *queue, QueuedEvent *event);

G_END_DECLS

#endif
