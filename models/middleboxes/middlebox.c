/* What every middlebox shares (middlebox.h): finding a model, binding it to its state, passing a PORT
 * through a route's boxes in order. */
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
