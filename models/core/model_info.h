/* The header every pluggable kind starts with: client models, server policies, client and server reactions.
 *
 * Each kind's table begins with MODEL_INFO_HEADER, so a table reads its header fields by their own names
 * (policy->name, `.name = "iis4"` in an initializer) and any table read through a `const ModelInfo *`
 * gives its name, summary, source and keys: the catalog (catalog.c) lists and finds every kind that way. */
#ifndef FTPSIM_MODEL_INFO_H
#define FTPSIM_MODEL_INFO_H

#include <glib.h>

#include "params.h"

G_BEGIN_DECLS

#define FTPSIM_MODEL_ERROR (ftpsim_model_error_quark())
GQuark ftpsim_model_error_quark(void);

typedef enum { FTPSIM_MODEL_ERROR_UNKNOWN, FTPSIM_MODEL_ERROR_INVALID } FtpsimModelError;

#define MODEL_INFO_FIELDS                                                                                              \
  const char *name;                                                                                                    \
  const char *summary;            /* one line */                                                                       \
  const char *source;             /* where the behaviour comes from */                                                 \
  const ParamSpec *params;        /* the keys it reads; terminated by an entry with key == NULL; may be NULL */        \
  const char *const *assumptions; /* facts no source documents, one each, NULL-terminated; may be NULL */

typedef struct ModelInfo {
  MODEL_INFO_FIELDS
} ModelInfo;

/* The first member of every kind's table: the header as `.info`, and the same fields by their own names
 * (an anonymous union, so both views are the same bytes). */
#define MODEL_INFO_HEADER                                                                                              \
  union {                                                                                                              \
    ModelInfo info;                                                                                                    \
    struct {                                                                                                           \
      MODEL_INFO_FIELDS                                                                                                \
    };                                                                                                                 \
  }

G_END_DECLS

#endif
