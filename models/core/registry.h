/* Lookup by name, shared by every registry (client models, server policies, reactions).
 *
 * Each registry is a NULL-terminated array of pointers to static tables whose first member is
 * `const char *name`, so the tables can be read as names without knowing their type. */
#ifndef FTPSIM_REGISTRY_H
#define FTPSIM_REGISTRY_H

#include <glib.h>

G_BEGIN_DECLS

/* The table called name, or NULL with "unknown KIND 'name' (known: a, b, c)" in error. */
gconstpointer registry_find(const void *const *tables, const char *kind, const char *name, GError **error);
/* Fills names (as long as tables, NULL included) once, and returns it. */
const char *const *registry_names(const void *const *tables, const char **names);

G_END_DECLS

#endif
