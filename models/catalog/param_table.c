/* The table of every key: params.c's core keys, then the catalog's (the keys that choose a model, and each
 * model's own), sorted by key. Built here, above both, so that params.c knows no model and the catalog
 * needs no ParamSet; every reader of the table goes through params.h. */
#include <string.h>

#include "catalog.h"
#include "params.h"

static GPtrArray *all_specs;
static GHashTable *specs_by_key;

static void add_spec(const ParamSpec *spec, gpointer data)
{
  (void)data;
  const ParamSpec *previous = g_hash_table_lookup(specs_by_key, spec->key);
  if (previous != NULL) {
    /* Models may share a key (client.start_port); they must then agree on what it is. */
    g_assert(previous->type == spec->type);
    return;
  }
  g_hash_table_insert(specs_by_key, (gpointer)spec->key, (gpointer)spec);
  g_ptr_array_add(all_specs, (gpointer)spec);
}

static gint compare_specs(gconstpointer a, gconstpointer b)
{
  const ParamSpec *x = *(const ParamSpec *const *)a;
  const ParamSpec *y = *(const ParamSpec *const *)b;
  return strcmp(x->key, y->key);
}

static void build_tables(void)
{
  if (all_specs != NULL)
    return;
  all_specs = g_ptr_array_new();
  specs_by_key = g_hash_table_new(g_str_hash, g_str_equal);
  for (const ParamSpec *spec = params_core(); spec->key != NULL; spec++)
    add_spec(spec, NULL);
  catalog_foreach_param_spec(add_spec, NULL);
  g_ptr_array_sort(all_specs, compare_specs);
}

const GPtrArray *params_all(void)
{
  build_tables();
  return all_specs;
}

const ParamSpec *params_find(const char *key)
{
  build_tables();
  return key == NULL ? NULL : g_hash_table_lookup(specs_by_key, key);
}
