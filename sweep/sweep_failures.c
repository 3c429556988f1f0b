/* DIR/failures.csv: rows of the failed runs, sorted by (point, rep) (sweep_failures.h). */
#include "sweep_failures.h"

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "csv.h"
#include "output.h"

gchar *sweep_failure_row(guint64 point, guint64 rep, guint64 seed, const char *where, const char *reason)
{
  GString *row = g_string_new(NULL);
  g_string_append_printf(row, "%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",", point, rep, seed);
  csv_append_field(row, where);
  g_string_append_c(row, ',');
  csv_append_field(row, reason);
  return g_string_free(row, FALSE);
}

/* Rows start with "point,rep,": compared as numbers. */
static gint compare_failure_rows(gconstpointer a, gconstpointer b)
{
  const char *x = *(const char *const *)a, *y = *(const char *const *)b;
  char *end_x, *end_y;
  guint64 point_x = g_ascii_strtoull(x, &end_x, 10), point_y = g_ascii_strtoull(y, &end_y, 10);
  if (point_x != point_y)
    return point_x < point_y ? -1 : 1;
  guint64 rep_x = g_ascii_strtoull(end_x + 1, NULL, 10), rep_y = g_ascii_strtoull(end_y + 1, NULL, 10);
  return rep_x < rep_y ? -1 : rep_x > rep_y;
}

gboolean sweep_write_failures(const char *out_dir, GPtrArray *rows, GError **error)
{
  g_ptr_array_sort(rows, compare_failure_rows);
  g_autofree gchar *path = g_build_filename(out_dir, "failures.csv", NULL);
  if (rows->len == 0) {
    g_unlink(path);
    return TRUE;
  }
  OutputFile out = {0};
  if (!output_file_open(&out, out_dir, "failures.csv", error))
    return FALSE;
  fputs("point,rep,seed,parameters,error\n", out.stream);
  for (guint i = 0; i < rows->len; i++)
    fprintf(out.stream, "%s\n", (const char *)g_ptr_array_index(rows, i));
  return output_file_commit(&out, error);
}
