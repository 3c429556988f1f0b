#include "columns.h"

void columns_write_header(FILE *stream, const ColumnTable *table)
{
  for (guint i = 0; i < table->count; i++) {
    if (i > 0)
      fputc(',', stream);
    if (table->columns[i].write_names != NULL)
      table->columns[i].write_names(stream);
    else
      fputs(table->columns[i].name, stream);
  }
  fputc('\n', stream);
}

void columns_write_row(FILE *stream, const ColumnTable *table, const void *row)
{
  const Column *column = table->columns;
  column->write(stream, row);
  for (const Column *end = column + table->count; ++column < end;) {
    fputc(',', stream);
    column->write(stream, row);
  }
  fputc('\n', stream);
}

const char *column_type_name(ColumnType type)
{
  static const char *const names[] = {
      [COLUMN_TEXT] = "text", [COLUMN_INT] = "int", [COLUMN_FLOAT] = "float", [COLUMN_PARAMS] = "params"};
  return names[type];
}
