#include "schema.h"

#include "readme_columns.h"

ColumnType param_column_type(const ParamSpec *spec)
{
  switch (spec->type) {
    case PARAM_INT:
      return COLUMN_INT;
    case PARAM_DOUBLE:
      return COLUMN_FLOAT;
    default:
      return COLUMN_TEXT;
  }
}

/* Names and docs are ASCII without quotes or backslashes but for Markdown's backquotes; escape anyway. */
static void append_json_string(GString *out, const char *text)
{
  g_string_append_c(out, '"');
  for (const char *p = text; *p; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_c(out, '\\');
    g_string_append_c(out, *p);
  }
  g_string_append_c(out, '"');
}

static void append_column(GString *out, gboolean first, const char *name, ColumnType type)
{
  g_string_append(out, first ? "\n      {\"name\": " : ",\n      {\"name\": ");
  append_json_string(out, name);
  g_string_append_printf(out, ", \"type\": \"%s\"}", column_type_name(type));
}

static void append_table(GString *out, const ColumnTable *table)
{
  g_string_append(out, "    {\"file\": ");
  append_json_string(out, table->file);
  g_string_append(out, ", \"doc\": ");
  append_json_string(out, table->doc);
  g_string_append(out, ", \"columns\": [");
  gboolean first = TRUE;
  for (guint i = 0; i < table->count; i++) {
    const Column *column = &table->columns[i];
    if (column->type != COLUMN_PARAMS) {
      append_column(out, first, column->name, column->type);
      first = FALSE;
      continue;
    }
    const GPtrArray *all = params_all();
    for (guint k = 0; k < all->len; k++, first = FALSE) {
      const ParamSpec *spec = g_ptr_array_index(all, k);
      append_column(out, first, spec->key, param_column_type(spec));
    }
  }
  g_string_append(out, "]}");
}

gchar *column_schema_json(const ColumnTable *const *tables)
{
  GString *out = g_string_new("{\n  \"tables\": [\n");
  for (const ColumnTable *const *table = tables; *table != NULL; table++) {
    if (table != tables)
      g_string_append(out, ",\n");
    append_table(out, *table);
  }
  g_string_append(out, "\n  ],\n  \"params\": {");
  const GPtrArray *all = params_all();
  for (guint k = 0; k < all->len; k++) {
    const ParamSpec *spec = g_ptr_array_index(all, k);
    g_string_append(out, k ? ",\n    " : "\n    ");
    append_json_string(out, spec->key);
    g_string_append_printf(out, ": \"%s\"", column_type_name(param_column_type(spec)));
  }
  g_string_append(out, "\n  }\n}\n");
  return g_string_free(out, FALSE);
}
