/* Run ids, how a sweep's runs are addressed from outside: run (point, rep) has id point * reps + rep,
 * as 'ftpsim sweep --list' numbers them. A selection is a text such as "3-7,9" (--runs, a Slurm task's
 * line); a list of ids becomes such texts again, in chunks, for job-array tasks. */
#ifndef FTPSIM_SWEEP_SELECT_H
#define FTPSIM_SWEEP_SELECT_H

#include <glib.h>

G_BEGIN_DECLS

/* Parses "ID", "FIRST-LAST" or a comma list of them (ids 0..count-1, FIRST <= LAST, overlaps allowed)
 * into count flags (1: selected). A bad text is an error that names it and what is accepted. */
guint8 *sweep_select_parse(const char *text, guint64 count, GError **error);

/* The shortest text of ascending ids: runs of consecutive ids as FIRST-LAST, "0-2,5,7-8". */
gchar *sweep_select_format(const guint64 *ids, gsize n);

/* The ascending ids split into chunks of at most chunk ids each, every chunk as its text (gchar*). */
GPtrArray *sweep_select_chunks(const guint64 *ids, gsize n, guint64 chunk);

G_END_DECLS

#endif
