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
  /* Writes this column's field of row, text through csv_write_field. On the hot path (sessions.csv,
   * commands.csv): no allocation, no printf. */
  void (*write)(FILE *stream, const void *row);
  /* NULL for a single column, whose header is its name. Else the column is a group (summary.csv's one
   * column per parameter key): this writes their names and write their fields, comma-separated, and name
   * describes the group for the README. */
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
