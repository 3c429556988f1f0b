/* Run-id selections: parsed from "3-7,9", formatted back, split into chunks (sweep_select.h). */
#include "sweep_select.h"

#include "sweep_plan.h"

static gboolean parse_id(const char *text, const char *item, guint64 count, guint64 *id, GError **error)
{
  char *end = NULL;
  if (g_ascii_isdigit(item[0]))
    *id = g_ascii_strtoull(item, &end, 10);
  if (end == NULL || *end != '\0' || *id >= count) {
    g_set_error(error, FTPSIM_SWEEP_ERROR, 0,
                "--runs '%s': '%s' is not a run id (accepted: ID, FIRST-LAST or a comma list of them, ids "
                "0..%" G_GUINT64_FORMAT ", see --list)",
                text, item, count - 1);
    return FALSE;
  }
  return TRUE;
}

guint8 *sweep_select_parse(const char *text, guint64 count, GError **error)
{
  if (count == 0 || text[0] == '\0') {
    g_set_error(error, FTPSIM_SWEEP_ERROR, 0, "--runs '%s': empty (accepted: ID, FIRST-LAST or a comma list of them)",
                text);
    return NULL;
  }
  g_autofree guint8 *selected = g_new0(guint8, count);
  g_auto(GStrv) items = g_strsplit(text, ",", -1);
  for (guint i = 0; items[i] != NULL; i++) {
    g_auto(GStrv) ends = g_strsplit(items[i], "-", 2);
    guint64 first = 0, last = 0;
    const char *start = ends[0] ? ends[0] : ""; /* an empty item splits into nothing */
    if (!parse_id(text, start, count, &first, error) || !parse_id(text, ends[1] ? ends[1] : start, count, &last, error))
      return NULL;
    if (first > last) {
      g_set_error(error, FTPSIM_SWEEP_ERROR, 0,
                  "--runs '%s': '%s' ends below its start (accepted: FIRST-LAST with "
                  "FIRST <= LAST)",
                  text, items[i]);
      return NULL;
    }
    for (guint64 id = first; id <= last; id++)
      selected[id] = 1;
  }
  return g_steal_pointer(&selected);
}

static void append_range(GString *text, guint64 first, guint64 last)
{
  if (text->len > 0)
    g_string_append_c(text, ',');
  if (first == last)
    g_string_append_printf(text, "%" G_GUINT64_FORMAT, first);
  else
    g_string_append_printf(text, "%" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT, first, last);
}

gchar *sweep_select_format(const guint64 *ids, gsize n)
{
  GString *text = g_string_new(NULL);
  for (gsize i = 0; i < n;) {
    gsize j = i;
    while (j + 1 < n && ids[j + 1] == ids[j] + 1)
      j++;
    append_range(text, ids[i], ids[j]);
    i = j + 1;
  }
  return g_string_free(text, FALSE);
}

GPtrArray *sweep_select_chunks(const guint64 *ids, gsize n, guint64 chunk)
{
  GPtrArray *chunks = g_ptr_array_new_with_free_func(g_free);
  for (gsize i = 0; i < n; i += chunk)
    g_ptr_array_add(chunks, sweep_select_format(ids + i, MIN((gsize)chunk, n - i)));
  return chunks;
}
