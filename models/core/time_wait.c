#include "time_wait.h"

#include <math.h>
#include <string.h>

/* A GHashTable keyed by the 48-bit key itself (it fits in a pointer on the 64-bit machines SimGrid
 * runs on), with the expiry's bits as the value: no per-entry allocation. Entries are never purged:
 * their number is bounded by the distinct (address, port) pairs, at most 65536 per address.
 *
 * time_wait_frees() adds a min-heap of (end, key) for the finite holds, popped up to now: an entry whose
 * end is still the key's in the table is a hold that ended. Entries a later hold or a release made stale
 * are skipped when they surface, and the heap is rebuilt from the table when stale ones outnumber live. */
G_STATIC_ASSERT(sizeof(gpointer) >= sizeof(guint64));

typedef struct {
  double until;
  guint64 key;
} HoldEnd;

struct TimeWaitTable {
  GHashTable *until;
  GArray *ends;     /* HoldEnd, a min-heap on until; NULL until time_wait_frees() is first called */
  double popped_to; /* the latest now the heap was popped to */
  guint64 frees;    /* releases and holds ended, up to popped_to */
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
  TimeWaitTable *table = g_new0(TimeWaitTable, 1);
  table->until = g_hash_table_new(g_direct_hash, g_direct_equal);
  table->popped_to = -INFINITY;
  return table;
}

void time_wait_free(TimeWaitTable *table)
{
  if (table == NULL)
    return;
  g_hash_table_destroy(table->until);
  if (table->ends != NULL)
    g_array_free(table->ends, TRUE);
  g_free(table);
}

static void heap_push(GArray *heap, HoldEnd end)
{
  g_array_append_val(heap, end);
  HoldEnd *at = (HoldEnd *)(gpointer)heap->data;
  guint i = heap->len - 1;
  while (i > 0 && at[(i - 1) / 2].until > end.until) {
    at[i] = at[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  at[i] = end;
}

static void heap_pop(GArray *heap)
{
  HoldEnd *at = (HoldEnd *)(gpointer)heap->data;
  const HoldEnd last = at[heap->len - 1];
  g_array_set_size(heap, heap->len - 1);
  const guint n = heap->len;
  guint i = 0;
  while (n > 0) {
    guint child = 2 * i + 1;
    if (child >= n)
      break;
    if (child + 1 < n && at[child + 1].until < at[child].until)
      child++;
    if (last.until <= at[child].until)
      break;
    at[i] = at[child];
    i = child;
  }
  if (n > 0)
    at[i] = last;
}

/* The heap from the table alone: every finite hold that has not ended before popped_to (one that ends at
 * popped_to may have been counted already: counting it again errs on the safe side). */
static void heap_rebuild(TimeWaitTable *table)
{
  g_array_set_size(table->ends, 0);
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init(&iter, table->until);
  while (g_hash_table_iter_next(&iter, &key, &value)) {
    const double until = pointer_to_time(value);
    if (isfinite(until) && until >= table->popped_to)
      heap_push(table->ends, (HoldEnd){.until = until, .key = (guint64)(guintptr)key});
  }
}

void time_wait_hold(TimeWaitTable *table, guint64 key, double until)
{
  g_hash_table_insert(table->until, (gpointer)(guintptr)key, time_to_pointer(until));
  if (table->ends == NULL || !isfinite(until))
    return;
  if (table->ends->len >= 2 * g_hash_table_size(table->until) + 64)
    heap_rebuild(table);
  heap_push(table->ends, (HoldEnd){.until = until, .key = key});
}

void time_wait_release(TimeWaitTable *table, guint64 key)
{
  if (g_hash_table_remove(table->until, (gpointer)(guintptr)key))
    table->frees++;
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

guint64 time_wait_frees(TimeWaitTable *table, double now)
{
  if (table->ends == NULL) {
    table->ends = g_array_new(FALSE, FALSE, sizeof(HoldEnd));
    heap_rebuild(table);
  }
  GArray *heap = table->ends;
  while (heap->len > 0) {
    const HoldEnd top = g_array_index(heap, HoldEnd, 0);
    if (top.until > now)
      break;
    heap_pop(heap);
    gpointer value = NULL;
    if (g_hash_table_lookup_extended(table->until, (gpointer)(guintptr)top.key, NULL, &value) &&
        pointer_to_time(value) == top.until)
      table->frees++;
  }
  table->popped_to = now;
  return table->frees;
}
