/* Client port-allocation models: which port a client names in its next PORT command.
 *
 * A model is a ClientModel table in its own file, listed by one row in the catalog (catalog.c).
 * Contract: create() reads the model's parameters from a validated ParamSet and returns its state
 * (or NULL with error set); next_port() is the hot path and must not allocate, format or log;
 * destroy() frees what create() returned. scope() says whether one state serves a whole client
 * host (a counter shared by every session on it) or each session gets its own. */
#ifndef FTPSIM_CLIENT_MODEL_H
#define FTPSIM_CLIENT_MODEL_H

#include <glib.h>

#include "model_info.h"
#include "params.h"

G_BEGIN_DECLS

typedef enum {
  PORT_SCOPE_SESSION, /* each session allocates its own ports */
  PORT_SCOPE_HOST,    /* one allocator shared by every session on the client host */
} PortScope;

/* Where an allocator lives, so that randomized models get their own reproducible stream. */
typedef struct ClientModelContext {
  guint64 seed;      /* the run's seed */
  guint64 stream_id; /* the entity's id: the host's for host scope, the session's otherwise */
  /* Optional: ports the host has in use right now, for models that skip them (may be NULL). */
  gboolean (*port_in_use)(gpointer host, guint16 port);
  /* Optional, with port_in_use: a count that changes whenever one of the host's busy ports may have freed
   * (time_wait_frees()), so that a search that found every port busy is not repeated until one has (NULL:
   * every search looks at every port). */
  guint64 (*ports_freed)(gpointer host);
  gpointer host;
} ClientModelContext;

/* What the allocator may look at for one allocation: the data connection it is for. In active mode
 * the server connects from its port 20 to the port the client names (RFC 959). */
typedef struct PortQuery {
  guint32 local_address;  /* the client's address */
  guint32 remote_address; /* the server's address */
  guint16 remote_port;    /* the server's data port, 20 */
} PortQuery;

typedef struct ClientModel {
  MODEL_INFO_HEADER; /* name, summary, source, params */

  PortScope (*scope)(const ParamSet *params);
  gpointer (*create)(const ParamSet *params, const ClientModelContext *context, GError **error);
  guint16 (*next_port)(gpointer state, const PortQuery *query);
  void (*destroy)(gpointer state);
} ClientModel;

G_STATIC_ASSERT(G_STRUCT_OFFSET(ClientModel, info) == 0); /* the catalog reads every table as a ModelInfo */

/* The model called name, from the catalog (catalog.c); an unknown name is reported with the known ones. */
const ClientModel *client_model_find(const char *name, GError **error);

/* A model bound to its state: what a session or a host draws ports from. */
typedef struct PortAllocator {
  const ClientModel *model;
  gpointer state;
} PortAllocator;

gboolean port_allocator_init(PortAllocator *allocator, const ClientModel *model, const ParamSet *params,
                             const ClientModelContext *context, GError **error);
void port_allocator_clear(PortAllocator *allocator);

static inline guint16 port_allocator_next(PortAllocator *allocator, const PortQuery *query)
{
  return allocator->model->next_port(allocator->state, query);
}

G_END_DECLS

#endif
