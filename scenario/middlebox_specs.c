/* The platform's middleboxes: every <host> or <link> with the property ftpsim.middlebox=MODEL, its model
 * found in the catalog and its knobs resolved (defaults, the element's middlebox.* properties, --set),
 * checked before SimGrid reads anything, so that a mistake is one line naming the element. */
#include "scenario_internal.h"

#include <string.h>

#include "middlebox.h"

typedef struct MiddleboxReader {
  gboolean saw_root;
  gboolean in_element; /* inside a <host> or <link> */
  gboolean on_link;
  gchar *element;
  GPtrArray *props; /* alternating key, value (owned) */
  int line;
  const char *const *overrides;
  GPtrArray *specs; /* MiddleboxSpec* */
} MiddleboxReader;

void middlebox_spec_free(gpointer data)
{
  MiddleboxSpec *spec = data;
  g_free(spec->element);
  param_set_free(spec->params);
  g_free(spec);
}

static void middlebox_start(GMarkupParseContext *context, const gchar *element, const gchar **names,
                            const gchar **values, gpointer data, GError **error)
{
  (void)error;
  MiddleboxReader *reader = data;
  if (!reader->saw_root) { /* the platform reader has checked the root already */
    reader->saw_root = TRUE;
    return;
  }
  if (strcmp(element, "host") == 0 || strcmp(element, "link") == 0) {
    reader->in_element = TRUE;
    reader->on_link = element[0] == 'l';
    g_free(reader->element);
    const char *id = xml_attribute(names, values, "id");
    reader->element = g_strdup(id ? id : "");
    g_ptr_array_set_size(reader->props, 0);
    g_markup_parse_context_get_position(context, &reader->line, NULL);
  } else if (strcmp(element, "prop") == 0 && reader->in_element) {
    const char *key = xml_attribute(names, values, "id");
    const char *value = xml_attribute(names, values, "value");
    if (key != NULL && value != NULL) {
      g_ptr_array_add(reader->props, g_strdup(key));
      g_ptr_array_add(reader->props, g_strdup(value));
    }
  }
}

/* The element that just ended, as a middlebox if it carries one. */
static gboolean read_middlebox(MiddleboxReader *reader, GError **error)
{
  const char *what = reader->on_link ? "link" : "host";
  const char *model_name = NULL;
  g_autoptr(ParamSet) params = param_set_new();
  for (guint i = 0; i + 1 < reader->props->len; i += 2) {
    const char *key = g_ptr_array_index(reader->props, i);
    const char *value = g_ptr_array_index(reader->props, i + 1);
    if (strcmp(key, MIDDLEBOX_PROPERTY) == 0)
      model_name = value;
    else if (reader->on_link && g_str_has_prefix(key, "ftpsim.")) {
      g_set_error(error, FTPSIM_SCENARIO_ERROR, 0, "line %d: link '%s': unknown property '%s' (known: %s)",
                  reader->line, reader->element, key, MIDDLEBOX_PROPERTY);
      return FALSE;
    } else if (params_in_known_namespace(key) && !param_set_assign(params, key, value, error)) {
      g_prefix_error(error, "line %d: %s '%s': ", reader->line, what, reader->element);
      return FALSE;
    }
  }
  if (model_name == NULL)
    return TRUE;
  const MiddleboxModel *model = middlebox_model_find(model_name, error);
  if (model == NULL || !scenario_apply_overrides(params, reader->overrides, error)) {
    g_prefix_error(error, "line %d: %s '%s': %s: ", reader->line, what, reader->element, MIDDLEBOX_PROPERTY);
    return FALSE;
  }
  Middlebox box; /* made once here, so that a bad combination of knobs is refused before the run */
  if (!middlebox_init(&box, model, params, error)) {
    g_prefix_error(error, "line %d: %s '%s': ", reader->line, what, reader->element);
    return FALSE;
  }
  middlebox_clear(&box);
  MiddleboxSpec *spec = g_new0(MiddleboxSpec, 1);
  spec->element = g_strdup(reader->element);
  spec->on_link = reader->on_link;
  spec->model = model;
  spec->params = g_steal_pointer(&params);
  g_ptr_array_add(reader->specs, spec);
  return TRUE;
}

static void middlebox_end(GMarkupParseContext *context, const gchar *element, gpointer data, GError **error)
{
  (void)context;
  MiddleboxReader *reader = data;
  if (reader->in_element && (strcmp(element, "host") == 0 || strcmp(element, "link") == 0)) {
    reader->in_element = FALSE;
    read_middlebox(reader, error);
  }
}

gboolean scenario_load_middleboxes(Scenario *scenario, const char *platform_xml, gsize length,
                                   const char *const *overrides, GError **error)
{
  MiddleboxReader reader = {
      .props = g_ptr_array_new_with_free_func(g_free), .overrides = overrides, .specs = scenario->middleboxes};
  static const GMarkupParser parser = {.start_element = middlebox_start, .end_element = middlebox_end};
  gboolean ok = scenario_parse_xml(&parser, &reader, platform_xml, length, error);
  g_ptr_array_unref(reader.props);
  g_free(reader.element);
  if (!ok)
    g_prefix_error(error, "%s: ", scenario->platform_label);
  return ok;
}

const MiddleboxSpec *scenario_find_middlebox(const Scenario *scenario, const char *element, gboolean on_link)
{
  for (guint i = 0; i < scenario->middleboxes->len; i++) {
    const MiddleboxSpec *spec = g_ptr_array_index(scenario->middleboxes, i);
    if (spec->on_link == on_link && strcmp(spec->element, element) == 0)
      return spec;
  }
  return NULL;
}
