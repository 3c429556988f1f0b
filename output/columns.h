/* One table per CSV file: each column's name, its meaning and its writer, side by side, so that the
 * header, the rows and the README's column tables (readme_columns.h) cannot drift apart. */
#ifndef FTPSIM_COLUMNS_H
#define FTPSIM_COLUMNS_H

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

typedef struct Column {
  const char *name;
  const char *doc; /* the README's "meaning" cell (Markdown) */
  /* Writes this column's field of row, unquoted text already quoted (csv_write_field). On the hot path:
   * no allocation, no printf. */
  void (*write)(FILE *stream, const void *row);
  /* A group of columns (one per parameter key) instead of one: writes their names, comma-separated.
   * NULL for a single column, whose header is its name. */
  void (*write_names)(FILE *stream);
} Column;

typedef struct ColumnTable {
  const char *file; /* "sessions.csv" */
  const char *doc;  /* what a row is, for the README: "one row per session, in the order sessions end" */
  const Column *columns;
  guint count;
} ColumnTable;

void columns_write_header(FILE *stream, const ColumnTable *table);
/* One row: the columns' fields, comma-separated, then a line break. */
void columns_write_row(FILE *stream, const ColumnTable *table, const void *row);

G_END_DECLS

#endif
