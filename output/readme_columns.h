/* The README's "Output files" section, generated from the column tables (tests/gen_columns writes it,
 * and a test fails while README.md differs). */
#ifndef FTPSIM_README_COLUMNS_H
#define FTPSIM_README_COLUMNS_H

#include <glib.h>

#include "columns.h"

G_BEGIN_DECLS

/* Every table ftpsim writes, in the README's order; NULL-terminated. */
const ColumnTable *const *column_tables(void);
/* For each table, a line naming the file and saying what a row is, then a | column | type | meaning | table. */
gchar *column_tables_markdown(void);

G_END_DECLS

#endif
