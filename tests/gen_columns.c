/* Writes README.md's output-column tables (section "Output files") from the column tables in output/ and the probe's:
 *   gen_columns --markdown           prints them
 *   gen_columns --update README.md   replaces the text between the columns markers
 *   gen_columns --schema             prints every CSV's columns and types as JSON (output/schema.h)
 * test_output fails, naming this command, while README.md differs. */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "probe_commands_csv.h"
#include "readme_columns.h"
#include "schema.h"
#include "report.h"

#define BEGIN_MARKER "<!-- columns:begin -->\n"
#define END_MARKER "<!-- columns:end -->"

static const ColumnTable *const readme_tables[] = FTPSIM_README_COLUMN_TABLES;

static gboolean update_readme(const char *path, GError **error)
{
  g_autofree gchar *readme = NULL;
  if (!g_file_get_contents(path, &readme, NULL, error))
    return FALSE;
  const char *begin = strstr(readme, BEGIN_MARKER);
  const char *end = begin ? strstr(begin, END_MARKER) : NULL;
  if (end == NULL) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: no '%.*s' ... '%s' pair", path,
                (int)strlen(BEGIN_MARKER) - 1, BEGIN_MARKER, END_MARKER);
    return FALSE;
  }
  begin += strlen(BEGIN_MARKER);
  g_autofree gchar *tables = column_tables_markdown(readme_tables);
  g_autofree gchar *updated = g_strdup_printf("%.*s%s%s", (int)(begin - readme), readme, tables, end);
  return g_file_set_contents(path, updated, -1, error); /* atomic: whole or unchanged */
}

int main(int argc, char **argv)
{
  if (argc == 2 && strcmp(argv[1], "--markdown") == 0) {
    g_autofree gchar *tables = column_tables_markdown(readme_tables);
    fputs(tables, stdout);
    return 0;
  }
  if (argc == 2 && strcmp(argv[1], "--schema") == 0) {
    g_autofree gchar *schema = column_schema_json(readme_tables);
    fputs(schema, stdout);
    return 0;
  }
  if (argc == 3 && strcmp(argv[1], "--update") == 0) {
    g_autoptr(GError) error = NULL;
    if (!update_readme(argv[2], &error)) {
      fprintf(stderr, "gen_columns: %s\n", error->message);
      return 1;
    }
    return 0;
  }
  fprintf(stderr, "usage: gen_columns --markdown | --schema | --update README.md\n");
  return 2;
}
