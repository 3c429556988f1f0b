#include "event_queue.h"

static gboolean earlier(const QueuedEvent *a, const QueuedEvent *b)
{
  return a->time < b->time || (a->time == b->time && a->order < b->order);
}

void event_queue_init(EventQueue *queue)
{
  *queue = (EventQueue){0};
}

void event_queue_clear(EventQueue *queue)
{
  g_free(queue->events);
  event_queue_init(queue);
}

/* The order's low bits count pushes (2^44, more than a run makes), the high ones hold the lane. */
#define LANE_SHIFT 44

void event_queue_push(EventQueue *queue, double time, gpointer item, guint kind)
{
  event_queue_push_in_lane(queue, time, 0, item, kind);
}

void event_queue_push_in_lane(EventQueue *queue, double time, guint lane, gpointer item, guint kind)
{
  g_assert(lane < EVENT_QUEUE_LANES);
  if (queue->length == queue->capacity) {
    queue->capacity = MAX(64, queue->capacity * 2);
    queue->events = g_renew(QueuedEvent, queue->events, queue->capacity);
  }
  const QueuedEvent event = {
      .time = time, .order = ((guint64)lane << LANE_SHIFT) | queue->pushed++, .item = item, .kind = kind};
  gsize i = queue->length++;
  while (i > 0) { /* sift up */
    gsize parent = (i - 1) / 2;
    if (!earlier(&event, &queue->events[parent]))
      break;
    queue->events[i] = queue->events[parent];
    i = parent;
  }
  queue->events[i] = event;
}

const QueuedEvent *event_queue_peek(const EventQueue *queue)
{
  return queue->length > 0 ? &queue->events[0] : NULL;
}

gboolean event_queue_pop(EventQueue *queue, QueuedEvent *event)
{
  if (queue->length == 0)
    return FALSE;
  *event = queue->events[0];
  const QueuedEvent last = queue->events[--queue->length];
  gsize i = 0;
  for (;;) { /* sift the last event down from the root */
    gsize child = 2 * i + 1;
    if (child >= queue->length)
      break;
    if (child + 1 < queue->length && earlier(&queue->events[child + 1], &queue->events[child]))
      child++;
    if (!earlier(&queue->events[child], &last))
      break;
    queue->events[i] = queue->events[child];
    i = child;
  }
  if (queue->length > 0)
    queue->events[i] = last;
  return TRUE;
}
