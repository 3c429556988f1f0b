#include "rng.h"

GRand *rng_new(guint64 run_seed, RngStreamKind kind, guint64 entity_id)
{
  /* GRand (Mersenne Twister) seeded from the whole tuple: init_by_array mixes every word. */
  const guint32 seed[5] = {(guint32)run_seed, (guint32)(run_seed >> 32), (guint32)kind, (guint32)entity_id,
                           (guint32)(entity_id >> 32)};
  return g_rand_new_with_seed_array(seed, G_N_ELEMENTS(seed));
}
