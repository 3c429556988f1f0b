/* RunRequest: its defaults, its cleanup, and the arguments that ask for it again (run_request.h). */
#include "run_request.h"

RunRequest *run_request_new(void)
{
  RunRequest *request = g_new0(RunRequest, 1);
  request->seed = 1;
  request->out_dir = g_strdup(RUN_DEFAULT_OUT_DIR);
  return request;
}

void run_request_free(RunRequest *request)
{
  if (request == NULL)
    return;
  g_free(request->platform_path);
  g_free(request->deployment_path);
  g_free(request->out_dir);
  g_strfreev(request->assignments);
  g_strfreev(request->simgrid_options);
  g_strfreev(request->restart_arguments);
  g_free(request);
}

GStrv run_request_arguments(const RunRequest *request)
{
  g_autoptr(GStrvBuilder) args = g_strv_builder_new();
  g_strv_builder_add(args, "run");
  if (request->platform_path != NULL) {
    g_strv_builder_add(args, request->platform_path);
    if (request->deployment_path != NULL)
      g_strv_builder_add(args, request->deployment_path);
  }
  for (guint i = 0; request->assignments && request->assignments[i]; i++) {
    g_strv_builder_add(args, "--set");
    g_strv_builder_add(args, request->assignments[i]);
  }
  g_autofree gchar *seed = g_strdup_printf("--seed=%" G_GUINT64_FORMAT, request->seed);
  g_autofree gchar *out = g_strdup_printf("--out=%s", request->out_dir);
  g_strv_builder_add(args, seed);
  g_strv_builder_add(args, out);
  if (request->quiet)
    g_strv_builder_add(args, "--quiet");
  if (request->trace)
    g_strv_builder_add(args, "--trace");
  for (guint i = 0; request->simgrid_options && request->simgrid_options[i]; i++)
    g_strv_builder_add(args, request->simgrid_options[i]);
  return g_strv_builder_end(args);
}
