/* A run's weight for the sweep's ETA (sweep_weight.h). */
#include "sweep_weight.h"

#include <string.h>

#include "param_keys.h"
#include "params.h"

/* The key's value at the point: varied, else set, else its default. */
static double point_value(const SweepPlan *plan, const guint64 *indices, const char *key)
{
  for (guint d = 0; d < plan->dimensions->len; d++) {
    const SweepDimension *dimension = g_ptr_array_index(plan->dimensions, d);
    if (strcmp(dimension->key, key) == 0)
      return g_ascii_strtod(g_ptr_array_index(dimension->values, indices[d]), NULL);
  }
  gsize length = strlen(key);
  for (guint i = 0; i < plan->sets->len; i++) {
    const char *assignment = g_ptr_array_index(plan->sets, i);
    if (strncmp(assignment, key, length) == 0 && assignment[length] == '=')
      return g_ascii_strtod(assignment + length + 1, NULL);
  }
  const ParamSpec *spec = params_find(key);
  return spec ? g_ascii_strtod(spec->default_value, NULL) : 1;
}

double sweep_point_weight(const SweepPlan *plan, guint64 point)
{
  guint64 indices[plan->dimensions->len + 1];
  sweep_plan_point_indices(plan, point, indices);
  double weight = point_value(plan, indices, KEY_CLIENT_SESSIONS) * point_value(plan, indices, KEY_SESSION_COMMANDS);
  return MAX(weight, 1);
}
