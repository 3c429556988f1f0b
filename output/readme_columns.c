#include "readme_columns.h"

#include "report.h"

const ColumnTable *const *column_tables(void)
{
  static const ColumnTable *const tables[] = {&sessions_csv, &summary_csv, &commands_csv, NULL};
  return tables;
}

/* A group's name is prose ("one column per parameter key") and its type each key's; a single column's name is
 * code. */
static void append_markdown_table(GString *out, const ColumnTable *table)
{
  g_string_append_printf(out, "`%s`, %s:\n\n| column | type | meaning |\n|---|---|---|\n", table->file, table->doc);
  for (guint i = 0; i < table->count; i++) {
    const Column *column = &table->columns[i];
    if (column->write_names != NULL)
      g_string_append_printf(out, "| %s | the key's: int, float or text | %s |\n", column->name, column->doc);
    else
      g_string_append_printf(out, "| `%s` | %s | %s |\n", column->name, column_type_name(column->type), column->doc);
  }
}

gchar *column_tables_markdown(const ColumnTable *const *tables)
{
  GString *out = g_string_new(NULL);
  for (const ColumnTable *const *table = tables; *table != NULL; table++) {
    if (table != tables)
      g_string_append_c(out, '\n');
    append_markdown_table(out, *table);
  }
  return g_string_free(out, FALSE);
}
