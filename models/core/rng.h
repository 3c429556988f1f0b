/* Reproducible random streams: one GRand per (run seed, stream id), never the global g_random_*, so
 * that adding an entity does not shift the numbers any other entity draws, on every machine. */
#ifndef FTPSIM_RNG_H
#define FTPSIM_RNG_H

#include <glib.h>

G_BEGIN_DECLS

/* Stream kinds keep, say, host 3's port stream apart from host 3's arrival stream. */
typedef enum {
  RNG_STREAM_PORTS = 1,
  RNG_STREAM_WORKLOAD = 2, /* a client host's arrivals */
  RNG_STREAM_SESSION = 3,  /* a session's command count, mix, sizes and think times */
} RngStreamKind;

GRand *rng_new(guint64 run_seed, RngStreamKind kind, guint64 entity_id);

G_END_DECLS

#endif
