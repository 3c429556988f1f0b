/* The experiment file reader: GKeyFile groups [sweep], [set], [vary] into the plan (sweep_experiment.h). */
#include "sweep_experiment.h"

#include <string.h>

gboolean sweep_experiment_load(const char *path, SweepPlan *plan, SweepSettings *settings, gboolean force,
                               GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new();
  g_autoptr(GError) problem = NULL;
  if (!g_key_file_load_from_file(file, path, G_KEY_FILE_NONE, &problem)) {
    g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "cannot read the experiment '%s': %s", path, problem->message);
    return FALSE;
  }
  g_auto(GStrv) groups = g_key_file_get_groups(file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    if (strcmp(groups[i], "sweep") != 0 && strcmp(groups[i], "set") != 0 && strcmp(groups[i], "vary") != 0) {
      g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "%s: unknown group [%s] (accepted: [sweep], [set], [vary])", path,
                  groups[i]);
      return FALSE;
    }
  g_autofree gchar *relative_dir = g_path_get_dirname(path);
  g_autofree gchar *dir = g_canonicalize_filename(relative_dir, NULL); /* platforms resolve against it */
  g_auto(GStrv) keys = g_key_file_get_keys(file, "sweep", NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
    const char *key = keys[i];
    g_autofree gchar *value = g_key_file_get_value(file, "sweep", key, NULL);
    g_autofree gchar *what = g_strdup_printf("%s: [sweep] %s", path, key);
    if (strcmp(key, "seed") == 0) {
      if (!sweep_parse_count(what, value, 0, G_MAXUINT64, &plan->seed, error))
        return FALSE;
    } else if (strcmp(key, "reps") == 0) {
      if (!sweep_parse_count(what, value, 1, 1000000, &plan->reps, error))
        return FALSE;
    } else if (strcmp(key, "jobs") == 0) {
      if (!sweep_parse_count(what, value, 1, 1024, &settings->jobs, error))
        return FALSE;
    } else if (strcmp(key, "out") == 0) {
      g_free(settings->out_dir);
      settings->out_dir = g_strdup(value);
    } else if (strcmp(key, "platforms") == 0) {
      g_auto(GStrv) paths = g_key_file_get_string_list(file, "sweep", key, NULL, NULL);
      if (paths == NULL || paths[0] == NULL) {
        g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "%s: no platform files", what);
        return FALSE;
      }
      sweep_plan_vary(plan, sweep_dimension_platforms((const char *const *)paths, dir));
    } else if (strcmp(key, "trace") == 0 || strcmp(key, "sessions") == 0 || strcmp(key, "force") == 0) {
      gboolean flag = g_key_file_get_boolean(file, "sweep", key, &problem);
      if (problem != NULL) {
        g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "%s: '%s' is not true or false", what, value);
        return FALSE;
      }
      if (key[0] == 't')
        plan->trace = flag;
      else if (key[0] == 's')
        plan->session_detail = flag;
      else
        settings->force = flag;
    } else {
      g_set_error(error, FTPSIM_SWEEP_ERROR, 0,
                  "%s: unknown key in [sweep] (accepted: seed, reps, jobs, out, platforms, trace, sessions, force)",
                  what);
      return FALSE;
    }
  }
  g_auto(GStrv) set_keys = g_key_file_get_keys(file, "set", NULL, NULL);
  for (guint i = 0; set_keys != NULL && set_keys[i] != NULL; i++) {
    g_autofree gchar *value = g_key_file_get_value(file, "set", set_keys[i], NULL);
    g_autofree gchar *assignment = g_strdup_printf("%s=%s", set_keys[i], value);
    if (!sweep_plan_set(plan, assignment, error)) {
      g_prefix_error(error, "%s: ", path);
      return FALSE;
    }
  }
  g_auto(GStrv) vary_keys = g_key_file_get_keys(file, "vary", NULL, NULL);
  for (guint i = 0; vary_keys != NULL && vary_keys[i] != NULL; i++) {
    g_autofree gchar *value = g_key_file_get_value(file, "vary", vary_keys[i], NULL);
    g_autofree gchar *text = g_strdup_printf("%s=%s", vary_keys[i], value);
    SweepDimension *dimension = sweep_dimension_parse(text, force || settings->force, error);
    if (dimension == NULL) {
      g_prefix_error(error, "%s: ", path);
      return FALSE;
    }
    sweep_plan_vary(plan, dimension);
  }
  return TRUE;
}
