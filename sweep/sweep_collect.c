/* DIR/sweep.txt and provenance.csv, and runs.csv, sessions.csv, commands.csv collected from the runs (sweep_collect.h).
 */
#include "sweep_collect.h"

#include <string.h>

#include <glib/gstdio.h>

#include "csv.h"
#include "output.h"
#include "provenance.h"
#include "sweep_failures.h"

/* Appends path's rows with prefix (the "point,rep[,varied values]" fields of its run) in front; its header
 * goes once with names_prefix in front, and must equal the first file's. */
static gboolean collect_rows(FILE *stream, const char *path, const char *names_prefix, const char *prefix,
                             gchar **header, GError **error)
{
  g_autofree gchar *text = NULL;
  gsize length = 0;
  if (!g_file_get_contents(path, &text, &length, error))
    return FALSE;
  gchar *body = strchr(text, '\n');
  if (body == NULL) {
    g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "'%s' has no header line", path);
    return FALSE;
  }
  *body++ = '\0';
  if (*header == NULL) {
    *header = g_strdup(text);
    fprintf(stream, "%s,%s\n", names_prefix, text);
  } else if (strcmp(*header, text) != 0) {
    g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "'%s' has other columns than the sweep's first run", path);
    return FALSE;
  }
  for (gchar *line = body; *line != '\0';) {
    gchar *end = strchr(line, '\n');
    gsize line_length = end ? (gsize)(end - line) : strlen(line);
    fprintf(stream, "%s,%.*s\n", prefix, (int)line_length, line);
    line += line_length + (end ? 1 : 0);
  }
  return TRUE;
}

gboolean sweep_collect_csv(FILE *stream, const char *path, guint64 point, guint64 rep, gchar **header, GError **error)
{
  g_autofree gchar *prefix = g_strdup_printf("%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT, point, rep);
  return collect_rows(stream, path, "point,rep", prefix, header, error);
}

gchar *sweep_collect_varied_names(const SweepPlan *plan)
{
  GString *names = g_string_new("point,rep");
  for (guint d = 0; plan != NULL && d < plan->dimensions->len; d++) {
    g_string_append_c(names, ',');
    csv_append_field(names, ((const SweepDimension *)g_ptr_array_index(plan->dimensions, d))->key);
  }
  return g_string_free(names, FALSE);
}

gchar *sweep_collect_varied_fields(const SweepPlan *plan, guint64 point, guint64 rep)
{
  GString *fields = g_string_new(NULL);
  g_string_append_printf(fields, "%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT, point, rep);
  if (plan == NULL || plan->dimensions->len == 0)
    return g_string_free(fields, FALSE);
  guint64 indices[plan->dimensions->len];
  sweep_plan_point_indices(plan, point, indices);
  for (guint d = 0; d < plan->dimensions->len; d++) {
    const SweepDimension *dimension = g_ptr_array_index(plan->dimensions, d);
    g_string_append_c(fields, ',');
    csv_append_field(fields, g_ptr_array_index(dimension->values, indices[d]));
  }
  return g_string_free(fields, FALSE);
}

gboolean sweep_collect_file_varied(const SweepRuns *runs, const SweepPlan *plan, const char *source, const char *target,
                                   GError **error)
{
  OutputFile out = {0};
  if (!output_file_open(&out, runs->out_dir, target, error))
    return FALSE;
  g_autofree gchar *header = NULL;
  g_autofree gchar *names = sweep_collect_varied_names(plan);
  gboolean ok = TRUE;
  for (guint64 point = 0; ok && point < runs->points; point++)
    for (guint64 rep = 0; ok && rep < runs->reps; rep++) {
      if (!sweep_runs_is_done(runs, point, rep))
        continue;
      g_autofree gchar *run_dir = sweep_run_dir(runs, point, rep);
      g_autofree gchar *path = g_build_filename(run_dir, source, NULL);
      g_autofree gchar *prefix = sweep_collect_varied_fields(plan, point, rep);
      ok = collect_rows(out.stream, path, names, prefix, &header, error);
    }
  if (!ok || header == NULL) {
    output_file_discard(&out);
    g_autofree gchar *path = g_build_filename(runs->out_dir, target, NULL);
    g_unlink(path);
    return ok;
  }
  return output_file_commit(&out, error);
}

gboolean sweep_collect_file(const SweepRuns *runs, const char *source, const char *target, GError **error)
{
  return sweep_collect_file_varied(runs, NULL, source, target, error);
}

gboolean sweep_write_definition(const char *out_dir, const SweepPlan *plan, GError **error)
{
  if (!provenance_write(out_dir, plan->seed, error))
    return FALSE;
  OutputFile out = {0};
  if (!output_file_open(&out, out_dir, "sweep.txt", error))
    return FALSE;
  g_autofree gchar *text = sweep_plan_canonical_text(plan);
  fputs(text, out.stream);
  return output_file_commit(&out, error);
}

gboolean sweep_collect_outputs(const SweepRuns *runs, const SweepPlan *plan, GPtrArray *failures, GError **error)
{
  return sweep_collect_file(runs, "summary.csv", "runs.csv", error) &&
         sweep_write_failures(runs->out_dir, failures, error) &&
         (!plan->session_detail || sweep_collect_file_varied(runs, plan, "sessions.csv", "sessions.csv", error)) &&
         (!plan->trace || sweep_collect_file_varied(runs, plan, "commands.csv", "commands.csv", error));
}
