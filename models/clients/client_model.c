#include "client_model.h"

#include "registry.h"


G_DEFINE_QUARK(ftpsim-model-error-quark, ftpsim_model_error)

extern const ClientModel client_model_as400;
extern const ClientModel client_model_sequential;
extern const ClientModel client_model_rfc6056_1;
extern const ClientModel client_model_rfc6056_2;
extern const ClientModel client_model_rfc6056_3;
extern const ClientModel client_model_rfc6056_4;
extern const ClientModel client_model_rfc6056_5;
extern const ClientModel client_model_fixed;
extern const ClientModel client_model_filezilla;

/* The registry: a new model is one file and one line here. */
static const ClientModel *const registry[] = {
    &client_model_as400,
    &client_model_sequential,
    &client_model_rfc6056_1,
    &client_model_rfc6056_2,
    &client_model_rfc6056_3,
    &client_model_rfc6056_4,
    &client_model_rfc6056_5,
    &client_model_fixed,
    &client_model_filezilla,
    NULL,
};

const ClientModel *const *client_models(void)
{
  return registry;
}

const char *const *client_model_names(void)
{
  static const char *names[G_N_ELEMENTS(registry)];
  return registry_names((const void *const *)registry, names);
}

const ClientModel *client_model_find(const char *name, GError **error)
{
  return registry_find((const void *const *)registry, "client model", name, error);
}

gboolean port_allocator_init(PortAllocator *allocator, const ClientModel *model, const ParamSet *params,
                             const ClientModelContext *context, GError **error)
{
  allocator->model = model;
  allocator->state = model->create(params, context, error);
  return allocator->state != NULL;
}

void port_allocator_clear(PortAllocator *allocator)
{
  if (allocator->model != NULL && allocator->state != NULL)
    allocator->model->destroy(allocator->state);
  allocator->model = NULL;
  allocator->state = NULL;
}
