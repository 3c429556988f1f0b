/* "Did you mean ...?": the one or two known names nearest to a mistyped one, for the errors about unknown
 * keys, values, options and commands. */
#ifndef FTPSIM_NEAREST_H
#define FTPSIM_NEAREST_H

#include <glib.h>

G_BEGIN_DECLS

/* Edits (insert, delete, substitute, swap two neighbours) that turn a into b, ASCII case ignored. */
guint nearest_distance(const char *a, const char *b);

/* "did you mean 'client.start_port'?" or "did you mean 'nt351' or 'nt351sp2'?": the one or two names (count of them,
 * or NULL-terminated when count < 0) at the smallest distance from word, if that distance is at most a third of
 * word's length (at least 2) and no third name is as near ('502' among 500|501|504 gets no guess). A name of which word
 * is the last dot-separated part ("start_port" for "client.start_port") or the beginning (4 characters or more) is at
 * distance 1. NULL when no name is near. Free with g_free. */
gchar *nearest_hint(const char *word, const char *const *names, gint count);

G_END_DECLS

#endif
