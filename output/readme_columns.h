/* The README's "Output files" section, generated from the column tables (tests/gen_columns writes it,
 * and a test fails while README.md differs). */
#ifndef FTPSIM_README_COLUMNS_H
#define FTPSIM_README_COLUMNS_H

#include <glib.h>

#include "columns.h"

G_BEGIN_DECLS

/* The tables output/ defines, in the README's order; NULL-terminated. The README lists them and the probe's
 * (FTPSIM_README_COLUMN_TABLES, probe/probe_commands_csv.h). */
const ColumnTable *const *column_tables(void);
/* For each of tables (NULL-terminated), a line naming the file and saying what a row is, then a
 * | column | type | meaning | table. */
gchar *column_tables_markdown(const ColumnTable *const *tables);

G_END_DECLS

#endif
