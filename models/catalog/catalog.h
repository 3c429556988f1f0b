/* The catalog: every pluggable model of every kind, one row each, in the order users see them.
 *
 * It owns the four registries (client models, server policies, client and server reactions), finds a
 * model by name, lists names (the choices of client.model, server.policy, ...) and iterates a kind's
 * tables through their common header. It also supplies the models' keys to the parameter table
 * (param_table.c), so that params.c knows only the core keys. A new model: its file, its row, its tests. */
#ifndef FTPSIM_CATALOG_H
#define FTPSIM_CATALOG_H

#include <glib.h>

#include "model_info.h"
#include "params.h"

G_BEGIN_DECLS

typedef enum {
  MODEL_KIND_CLIENT_MODEL,
  MODEL_KIND_SERVER_POLICY,
  MODEL_KIND_CLIENT_REACTION,
  MODEL_KIND_SERVER_REACTION,
  MODEL_KIND_MIDDLEBOX,
  MODEL_KIND_COUNT,
} ModelKind;

/* What a kind is called and which key chooses one of its models. */
typedef struct ModelKindInfo {
  const char *noun;         /* "server policy", as in "unknown server policy 'x' (known: ...)" */
  const char *title;        /* "Server policies", the heading of its listing */
  const ParamSpec *chooser; /* "server.policy": a PARAM_CHOICE of the kind's names; NULL for middleboxes */
  const char *chosen_by;    /* what names one: the chooser's key, or the platform property ftpsim.middlebox */
} ModelKindInfo;

const ModelKindInfo *catalog_kind(ModelKind kind);
/* The kind's tables, in catalog order, NULL-terminated, each read through its header. */
const ModelInfo *const *catalog_models(ModelKind kind);
/* Their names, in the same order, NULL-terminated. */
const char *const *catalog_names(ModelKind kind);
/* The table called name, or NULL with "unknown NOUN 'name' (known: a, b, c)" in error. The result points
 * at the whole table (ClientModel, ServerPolicy, ...), whose header is its first member. */
const ModelInfo *catalog_find(ModelKind kind, const char *name, GError **error);

/* Calls add() for every key the catalog brings: each kind's chooser, then its models' keys, in catalog
 * order (a key shared by two models comes twice). param_table.c builds the table of every key with it. */
void catalog_foreach_param_spec(void (*add)(const ParamSpec *spec, gpointer data), gpointer data);

G_END_DECLS

#endif
