#include "registry.h"

#include <string.h>

#include "client_model.h" /* FTPSIM_MODEL_ERROR */

static const char *table_name(gconstpointer table)
{
  return *(const char *const *)table; /* the first member of every registered table */
}

const char *const *registry_names(const void *const *tables, const char **names)
{
  if (names[0] == NULL)
    for (guint i = 0; tables[i] != NULL; i++)
      names[i] = table_name(tables[i]);
  return names;
}

gconstpointer registry_find(const void *const *tables, const char *kind, const char *name, GError **error)
{
  for (guint i = 0; tables[i] != NULL; i++)
    if (strcmp(table_name(tables[i]), name) == 0)
      return tables[i];
  GString *known = g_string_new(NULL);
  for (guint i = 0; tables[i] != NULL; i++)
    g_string_append_printf(known, "%s%s", i ? ", " : "", table_name(tables[i]));
  g_set_error(error, FTPSIM_MODEL_ERROR, FTPSIM_MODEL_ERROR_UNKNOWN, "unknown %s '%s' (known: %s)", kind, name,
              known->str);
  g_string_free(known, TRUE);
  return NULL;
}
