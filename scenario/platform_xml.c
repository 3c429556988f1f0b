/* Reading a SimGrid platform's hosts and their properties with GMarkup, before SimGrid reads anything,
 * so that a mistake in the file is one line naming it. The XML helpers serve the deployment reader too. */
#include "scenario_internal.h"

#include <string.h>

void raw_host_free(gpointer data)
{
  RawHost *host = data;
  g_free(host->name);
  g_ptr_array_unref(host->props);
  g_free(host);
}

const char *xml_attribute(const gchar **names, const gchar **values, const char *wanted)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (strcmp(names[i], wanted) == 0)
      return values[i];
  return NULL;
}

void platform_start(GMarkupParseContext *context, const gchar *element, const gchar **names, const gchar **values,
                    gpointer data, GError **error)
{
  PlatformReader *reader = data;
  int line = 0;
  g_markup_parse_context_get_position(context, &line, NULL);
  if (!reader->saw_root) {
    reader->saw_root = TRUE;
    if (strcmp(element, "platform") != 0)
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "line %d: the root element is <%s>, expected <platform>", line,
                  element);
    return;
  }
  if (strcmp(element, "host") == 0) {
    const char *id = xml_attribute(names, values, "id");
    if (id == NULL) {
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "line %d: <host> without an id", line);
      return;
    }
    if (g_hash_table_contains(reader->names, id)) {
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "line %d: host '%s' is defined twice", line, id);
      return;
    }
    RawHost *host = g_new0(RawHost, 1);
    host->name = g_strdup(id);
    host->props = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(reader->hosts, host);
    g_hash_table_add(reader->names, host->name);
    reader->current = host;
  } else if (strcmp(element, "prop") == 0 && reader->current != NULL) {
    const char *key = xml_attribute(names, values, "id");
    const char *value = xml_attribute(names, values, "value");
    if (key == NULL || value == NULL) {
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "line %d: <prop> needs both id and value", line);
      return;
    }
    g_ptr_array_add(reader->current->props, g_strdup(key));
    g_ptr_array_add(reader->current->props, g_strdup(value));
  }
}

void platform_end(GMarkupParseContext *context, const gchar *element, gpointer data, GError **error)
{
  (void)context;
  (void)error;
  PlatformReader *reader = data;
  if (strcmp(element, "host") == 0)
    reader->current = NULL;
}

/* SimGrid's parser refuses a file without the DOCTYPE line ("Unexpected character in prolog"). */
static gboolean has_simgrid_doctype(const char *text, gsize length, GError **error)
{
  if (g_strstr_len(text, (gssize)length, "<!DOCTYPE platform") != NULL)
    return TRUE;
  g_set_error(
      error, FTPSIM_SCENARIO_ERROR, 0,
      "SimGrid needs the line <!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\"> before <platform>");
  return FALSE;
}

gboolean scenario_parse_xml(const GMarkupParser *parser, gpointer reader, const char *text, gsize length,
                            GError **error)
{
  if (!has_simgrid_doctype(text, length, error))
    return FALSE;
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new(parser, 0, reader, NULL);
  return g_markup_parse_context_parse(context, text, (gssize)length, error) &&
         g_markup_parse_context_end_parse(context, error);
}
