/* A client model bound to its state: what a session or a host draws ports from. The models are listed in catalog.c. */
#include "client_model.h"

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
