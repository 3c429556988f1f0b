/* DIR/sweep.txt, and runs.csv, sessions.csv, commands.csv collected from the runs (sweep_collect.h). */
#include "sweep_collect.h"

#include <string.h>

#include <glib/gstdio.h>

#include "output.h"

gboolean sweep_collect_csv(FILE *stream, const char *path, guint64 point, guint64 rep, gchar **header, GError **error)
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
    fprintf(stream, "point,rep,%s\n", text);
  } else if (strcmp(*header, text) != 0) {
    g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "'%s' has other columns than the sweep's first run", path);
    return FALSE;
  }
  for (gchar *line = body; *line != '\0';) {
    gchar *end = strchr(line, '\n');
    gsize line_length = end ? (gsize)(end - line) : strlen(line);
    fprintf(stream, "%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%.*s\n", point, rep, (int)line_length, line);
    line += line_length + (end ? 1 : 0);
  }
  return TRUE;
}

gboolean sweep_collect_file(const SweepRuns *runs, const char *source, const char *target, GError **error)
{
  OutputFile out = {0};
  if (!output_file_open(&out, runs->out_dir, target, error))
    return FALSE;
  g_autofree gchar *header = NULL;
  gboolean ok = TRUE;
  for (guint64 point = 0; ok && point < runs->points; point++)
    for (guint64 rep = 0; ok && rep < runs->reps; rep++) {
      if (!sweep_runs_is_done(runs, point, rep))
        continue;
      g_autofree gchar *run_dir = sweep_run_dir(runs, point, rep);
      g_autofree gchar *path = g_build_filename(run_dir, source, NULL);
      ok = sweep_collect_csv(out.stream, path, point, rep, &header, error);
    }
  if (!ok || header == NULL) {
    output_file_discard(&out);
    g_autofree gchar *path = g_build_filename(runs->out_dir, target, NULL);
    g_unlink(path);
    return ok;
  }
  return output_file_commit(&out, error);
}

gboolean sweep_write_definition(const char *out_dir, const SweepPlan *plan, GError **error)
{
  OutputFile out = {0};
  if (!output_file_open(&out, out_dir, "sweep.txt", error))
    return FALSE;
  g_autofree gchar *text = sweep_plan_canonical_text(plan);
  fputs(text, out.stream);
  return output_file_commit(&out, error);
}
