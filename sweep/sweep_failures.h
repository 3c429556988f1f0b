/* DIR/failures.csv: the runs that failed in this invocation, with their parameters and error, one row
 * each, sorted by (point, rep) so that the file does not depend on --jobs. Absent when none failed. */
#ifndef FTPSIM_SWEEP_FAILURES_H
#define FTPSIM_SWEEP_FAILURES_H

#include <glib.h>

G_BEGIN_DECLS

/* The failures.csv row (without its line end) of run (point, rep); where and reason are quoted as CSV
 * needs. */
gchar *sweep_failure_row(guint64 point, guint64 rep, guint64 seed, const char *where, const char *reason);

/* Writes DIR/failures.csv from rows (gchar*, sorted here), or removes it when rows is empty. */
gboolean sweep_write_failures(const char *out_dir, GPtrArray *rows, GError **error);

G_END_DECLS

#endif
