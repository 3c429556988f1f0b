/* A point of the plan as the RunRequest its worker carries out (sweep_run_request.h). */
#include "sweep_run_request.h"

RunRequest *sweep_run_request(const SweepPlan *plan, guint64 point, guint64 seed, const char *out_dir,
                              const char **working_dir)
{
  RunRequest *request = run_request_new();
  g_autoptr(GStrvBuilder) assignments = g_strv_builder_new();
  for (guint i = 0; i < plan->sets->len; i++)
    g_strv_builder_add(assignments, g_ptr_array_index(plan->sets, i));
  guint64 indices[plan->dimensions->len + 1];
  sweep_plan_point_indices(plan, point, indices);
  *working_dir = NULL;
  for (guint d = 0; d < plan->dimensions->len; d++) {
    const SweepDimension *dimension = g_ptr_array_index(plan->dimensions, d);
    const char *value = g_ptr_array_index(dimension->values, indices[d]);
    if (dimension->dirs != NULL) {
      g_free(request->platform_path);
      request->platform_path = g_strdup(value);
      *working_dir = g_ptr_array_index(dimension->dirs, indices[d]);
    } else {
      g_autofree gchar *assignment = g_strdup_printf("%s=%s", dimension->key, value);
      g_strv_builder_add(assignments, assignment);
    }
  }
  request->assignments = g_strv_builder_end(assignments);
  g_autoptr(GStrvBuilder) simgrid_options = g_strv_builder_new();
  for (guint i = 0; i < plan->simgrid_args->len; i++)
    g_strv_builder_add(simgrid_options, g_ptr_array_index(plan->simgrid_args, i));
  request->simgrid_options = g_strv_builder_end(simgrid_options);
  request->seed = seed;
  g_free(request->out_dir);
  request->out_dir = g_strdup(out_dir);
  request->quiet = TRUE;
  request->trace = plan->trace;
  request->simgrid_inputs_checked = TRUE; /* the sweep loaded every platform in SimGrid before any run */
  return request;
}
