/* A multiset of doubles that answers "how many are below x, and what is their sum" in O(log n): the
 * targets of the messages a link serves in turn (network.control=loaded, engine/control.c), where a
 * message's departure depends on every message due to leave before it. A treap of distinct values with
 * their copies, each node holding its subtree's count and sum; priorities from a fixed generator, so
 * runs are the same everywhere. Adding allocates only when the set grows past its largest size so far. */
#ifndef FTPSIM_TARGET_SET_H
#define FTPSIM_TARGET_SET_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct TargetSet TargetSet;

TargetSet *target_set_new(void);
void target_set_free(TargetSet *set);
/* Values held, copies counted. */
guint target_set_size(const TargetSet *set);
/* The smallest value; the set must not be empty. */
double target_set_min(const TargetSet *set);
void target_set_add(TargetSet *set, double value);
/* Removes every copy of the smallest value. */
void target_set_remove_min(TargetSet *set);
/* The values strictly below `below`: their sum (copies counted) and how many. */
void target_set_sum_below(const TargetSet *set, double below, double *sum, guint *count);

G_END_DECLS

#endif
