/* One table per CSV file: each column's name, its meaning and its writer, side by side, so that the
 * header, the rows and the README's column tables (readme_columns.h) cannot drift apart. */
#ifndef FTPSIM_COLUMNS_H
#define FTPSIM_COLUMNS_H

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

/* What a column's fields hold, for analysis tools (gen_columns --schema) and the README. Every type allows
 * an empty field ("did not happen", or a parameter that differs between hosts). */
typedef enum {
  COLUMN_TEXT = 0, /* the default, so that a row without a type is text */
  COLUMN_INT,      /* a whole number, digits only */
  COLUMN_FLOAT,    /* a decimal number that strtod reads */
  COLUMN_PARAMS,   /* a group: one column per parameter key, each of its key's type (int, float or text) */
} ColumnType;

/* "text", "int", "float", "params": the schema's names of the types. */
const char *column_type_name(ColumnType type);

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
  /* Last, so that a row that leaves it out is text. */
  ColumnType type;
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
