/* What every middlebox shares (middlebox.h): finding a model, binding it to its state, passing a PORT
 * through a route's boxes in order, the client's reply timeout and the port-range knobs. */
#include "middlebox.h"

#include <string.h>

#include "catalog.h"
#include "nearest.h"
#include "param_keys.h"

const MiddleboxModel *middlebox_model_find(const char *name, GError **error)
{
  const ModelInfo *info = catalog_find(MODEL_KIND_MIDDLEBOX, name, NULL);
  if (info != NULL)
    return (const MiddleboxModel *)info;
  const char *const *names = catalog_names(MODEL_KIND_MIDDLEBOX);
  g_autofree gchar *hint = nearest_hint(name, names, -1);
  g_autofree gchar *known = g_strjoinv(", ", (gchar **)names);
  g_set_error(error, FTPSIM_MODEL_ERROR, FTPSIM_MODEL_ERROR_UNKNOWN, "unknown middlebox '%s' (%s%sknown: %s)", name,
              hint ? hint : "", hint ? " " : "", known);
  return NULL;
}

gboolean middlebox_init(Middlebox *box, const MiddleboxModel *model, const ParamSet *params, GError **error)
{
  box->model = model;
  box->state = NULL;
  if (model->create == NULL)
    return TRUE;
  GError *local = NULL;
  box->state = model->create(params, &local);
  if (local != NULL) {
    g_propagate_error(error, local);
    return FALSE;
  }
  return TRUE;
}

void middlebox_clear(Middlebox *box)
{
  if (box->model != NULL && box->model->destroy != NULL && box->state != NULL)
    box->model->destroy(box->state);
  box->state = NULL;
}

MiddleboxVerdict middlebox_chain_port(const MiddleboxChain *chain, MiddleboxPort *port, guint *acted)
{
  port->destination = port->request.address;
  for (guint i = 0; i < chain->count; i++) {
    const Middlebox *box = chain->boxes[i];
    const MiddleboxVerdict verdict = box->model->on_port(box->state, port);
    if (verdict.action != MIDDLEBOX_PASS) {
      *acted = i;
      return verdict;
    }
    if (box->model->source_after != NULL)
      port->request.peer_address = box->model->source_after(box->state, port->request.peer_address);
  }
  return (MiddleboxVerdict){.action = MIDDLEBOX_PASS};
}

guint32 middlebox_chain_source(const MiddleboxChain *chain, guint32 source)
{
  for (guint i = 0; i < chain->count; i++)
    if (chain->boxes[i]->model->source_after != NULL)
      source = chain->boxes[i]->model->source_after(chain->boxes[i]->state, source);
  return source;
}

void middlebox_chain_connection_closed(const MiddleboxChain *chain, guint64 connection)
{
  for (guint i = 0; i < chain->count; i++)
    if (chain->boxes[i]->model->connection_closed != NULL)
      chain->boxes[i]->model->connection_closed(chain->boxes[i]->state, connection);
}

void middlebox_chain_data_connected(const MiddleboxChain *chain, guint64 connection)
{
  for (guint i = 0; i < chain->count; i++)
    if (chain->boxes[i]->model->data_connected != NULL)
      chain->boxes[i]->model->data_connected(chain->boxes[i]->state, connection);
}

/* ---- port ranges ---- */

static gboolean parse_port(const char *text, const char *end, guint16 *port)
{
  if (text == end || end - text > 5)
    return FALSE;
  guint value = 0;
  for (const char *p = text; p < end; p++) {
    if (!g_ascii_isdigit(*p))
      return FALSE;
    value = value * 10 + (guint)(*p - '0');
  }
  if (value < 1 || value > 65535)
    return FALSE;
  *port = (guint16)value;
  return TRUE;
}

const char *port_ranges_parse(const char *value, PortRanges *ranges)
{
  ranges->count = 0;
  if (strcmp(value, "none") == 0)
    return NULL;
  const char *item = value;
  for (;;) {
    const char *comma = strchr(item, ',');
    const char *end = comma != NULL ? comma : item + strlen(item);
    if (item == end)
      return "has an empty item";
    if (ranges->count == MIDDLEBOX_MAX_RANGES)
      return "has too many items";
    const char *dash = memchr(item, '-', (gsize)(end - item));
    guint16 low, high;
    if (dash == NULL) {
      if (!parse_port(item, end, &low))
        return "has an item that is not a port 1..65535";
      high = low;
    } else {
      if (!parse_port(item, dash, &low) || !parse_port(dash + 1, end, &high))
        return "has a range whose ends are not ports 1..65535";
      if (low > high)
        return "has a range whose low end is above its high end";
    }
    ranges->ranges[ranges->count].low = low;
    ranges->ranges[ranges->count].high = high;
    ranges->count++;
    if (comma == NULL)
      return NULL;
    item = comma + 1;
  }
}

const char *port_ranges_validate(const char *value, gchar **canonical)
{
  PortRanges ranges;
  const char *problem = port_ranges_parse(value, &ranges);
  if (problem != NULL)
    return problem;
  GString *text = g_string_new(ranges.count == 0 ? "none" : NULL);
  for (guint i = 0; i < ranges.count; i++) {
    g_string_append_printf(text, "%s%u", i ? "," : "", (guint)ranges.ranges[i].low);
    if (ranges.ranges[i].high != ranges.ranges[i].low)
      g_string_append_printf(text, "-%u", (guint)ranges.ranges[i].high);
  }
  *canonical = g_string_free(text, FALSE);
  return NULL;
}

gboolean port_ranges_contain(const PortRanges *ranges, guint16 port)
{
  for (guint i = 0; i < ranges->count; i++)
    if (port >= ranges->ranges[i].low && port <= ranges->ranges[i].high)
      return TRUE;
  return FALSE;
}
