/* Ports held after a TCP connection closes (TIME_WAIT, 2MSL), or held open by a listener.
 *
 * A key is a 48-bit (IPv4 address, port) pair. In active mode the server connects from its port 20
 * to the client's port, so the four-tuple (server:20, client:port) is fixed by the client's port
 * alone: reusing it inside 2MSL makes the new data connection fail (RFC 793, RFC 1579). Lookups do
 * not allocate; an insert allocates only when the table grows. */
#ifndef FTPSIM_TIME_WAIT_H
#define FTPSIM_TIME_WAIT_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct TimeWaitTable TimeWaitTable;

static inline guint64 time_wait_key(guint32 address, guint16 port)
{
  return ((guint64)address << 16) | port;
}

TimeWaitTable *time_wait_new(void);
void time_wait_free(TimeWaitTable *table);
/* Hold key until the given time (G_MAXDOUBLE or INFINITY: until released). Replaces an earlier hold. */
void time_wait_hold(TimeWaitTable *table, guint64 key, double until);
void time_wait_release(TimeWaitTable *table, guint64 key);
/* TRUE while the key is held at time now. */
gboolean time_wait_busy(const TimeWaitTable *table, guint64 key, double now);
guint time_wait_size(const TimeWaitTable *table);

/* How many times, up to time now, a held key has stopped being held: released, or its hold over. A caller
 * that found every key of a set busy at a time when this count was n knows, while it stays n, that they all
 * still are, whatever was held since (an allocator that found no free port need not search again until one
 * frees). It may count more than happened (a release of a key whose hold was over), never less.
 * The first call starts the bookkeeping (a heap of the finite holds' ends, O(log n) per hold from then on,
 * no allocation but its growth); now must not go back between calls, nor a hold end before the last now. */
guint64 time_wait_frees(TimeWaitTable *table, double now);

G_END_DECLS

#endif
