#include "time_wait.h"

#include <string.h>

/* A GHashTable keyed by the 48-bit key itself (it fits in a pointer on the 64-bit machines SimGrid
 * runs on), with the expiry's bits as the value: no per-entry allocation. Entries are never purged:
 * their number is bounded by the distinct (address, port) pairs, at most 65536 per address. */
G_STATIC_ASSERT(sizeof(gpointer) >= sizeof(guint64));

struct TimeWaitTable {
  GHashTable *until;
};

static gpointer time_to_pointer(double time)
{
  guint64 bits;
  memcpy(&bits, &time, sizeof bits);
  return (gpointer)(guintptr)bits;
}

static double pointer_to_time(gpointer pointer)
{
  guint64 bits = (guint64)(guintptr)pointer;
  double time;
  memcpy(&time, &bits, sizeof time);
  return time;
}

TimeWaitTable *time_wait_new(void)
{
  TimeWaitTable *table = g_new(TimeWaitTable, 1);
  table->until = g_hash_table_new(g_direct_hash, g_direct_equal);
  return table;
}

void time_wait_free(TimeWaitTable *table)
{
  if (table == NULL)
    return;
  g_hash_table_destroy(table->until);
  g_free(table);
}

void time_wait_hold(TimeWaitTable *table, guint64 key, double until)
{
  g_hash_table_insert(table->until, (gpointer)(guintptr)key, time_to_pointer(until));
}

void time_wait_release(TimeWaitTable *table, guint64 key)
{
  g_hash_table_remove(table->until, (gpointer)(guintptr)key);
}

gboolean time_wait_busy(const TimeWaitTable *table, guint64 key, double now)
{
  gpointer value = NULL;
  if (!g_hash_table_lookup_extended(table->until, (gpointer)(guintptr)key, NULL, &value))
    return FALSE;
  return now < pointer_to_time(value);
}

guint time_wait_size(const TimeWaitTable *table)
{
  return g_hash_table_size(table->until);
}
