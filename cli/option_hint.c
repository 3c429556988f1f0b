#include "option_hint.h"

#include <string.h>

#include "nearest.h"

gchar *option_hint(const char *arg, const GOptionEntry *entries)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  for (const GOptionEntry *entry = entries; entry->long_name != NULL; entry++)
    g_ptr_array_add(names, g_strconcat("--", entry->long_name, NULL));
  g_ptr_array_add(names, g_strdup("--cfg"));
  g_ptr_array_add(names, g_strdup("--log"));
  g_autofree gchar *name = g_strndup(arg, strcspn(arg, "="));
  g_autofree gchar *hint = nearest_hint(name, (const char *const *)names->pdata, (gint)names->len);
  return hint ? g_strconcat(hint, " ", NULL) : g_strdup("");
}

void option_error_add_hint(GError *error, const GOptionEntry *entries, const char *command)
{
  static const char prefix[] = "Unknown option ";
  if (error == NULL || !g_error_matches(error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION) ||
      !g_str_has_prefix(error->message, prefix))
    return;
  g_autofree gchar *arg = g_strdup(error->message + strlen(prefix));
  g_autofree gchar *hint = option_hint(arg, entries);
  g_free(error->message);
  error->message = g_strdup_printf("unknown option '%s' (%ssee 'ftpsim %s --help')", arg, hint, command);
}
