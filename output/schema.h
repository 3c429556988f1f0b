/* The CSV schema for analysis tools: every column table's columns with their types, and every parameter
 * key's type (summary.csv's parameter columns, and the varied keys a sweep's collected files carry), as
 * JSON (tests/gen_columns --schema writes it; tests/csv_types.py checks real files against it). */
#ifndef FTPSIM_SCHEMA_H
#define FTPSIM_SCHEMA_H

#include <glib.h>

#include "columns.h"
#include "params.h"

G_BEGIN_DECLS

/* The column type of a parameter key's values: int, float, or text (choices and strings). */
ColumnType param_column_type(const ParamSpec *spec);

/* {"tables": [{"file": ..., "doc": ..., "columns": [{"name": ..., "type": ...}, ...]}, ...],
 *  "params": {"KEY": "int", ...}}; a parameter group expands into one column per key. Free with g_free. */
gchar *column_schema_json(const ColumnTable *const *tables); /* NULL-terminated */

G_END_DECLS

#endif
