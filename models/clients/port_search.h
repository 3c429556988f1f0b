/* The search every allocator that skips ports in use shares: draw candidates in the model's own order
 * and take the first one the host does not have in use.
 *
 * Hot path (inside next_port()): no allocation; static inline so each model's candidate function can be
 * inlined into its search. */
#ifndef FTPSIM_PORT_SEARCH_H
#define FTPSIM_PORT_SEARCH_H

#include <glib.h>

#include "client_model.h"

G_BEGIN_DECLS

/* The model's next candidate port; attempt counts the candidates drawn in this search, from 0. */
typedef guint32 (*PortCandidateFunc)(gpointer search, guint32 attempt);

/* Whether the host has the port in use; FALSE when the context cannot tell (no callback). */
static inline gboolean port_search_in_use(const ClientModelContext *context, guint32 port)
{
  return context->port_in_use != NULL && context->port_in_use(context->host, (guint16)port);
}

/* Draws up to `tries` candidates and stores the first free one in *port (TRUE). When every one is in use
 * it stores the first candidate (FALSE): the real kernel would fail the bind with EADDRINUSE, and the
 * session then sees whatever the server makes of the port. */
static inline gboolean port_search_first_free(const ClientModelContext *context, guint32 tries,
                                              PortCandidateFunc next_candidate, gpointer search, guint32 *port)
{
  guint32 first = 0;
  for (guint32 attempt = 0; attempt < tries; attempt++) {
    guint32 candidate = next_candidate(search, attempt);
    if (attempt == 0)
      first = candidate;
    if (!port_search_in_use(context, candidate)) {
      *port = candidate;
      return TRUE;
    }
  }
  *port = first;
  return FALSE;
}

/* A search that found every port busy, for the next one. With a host of 10^6 sessions at once every port is
 * listening or in TIME_WAIT, and each allocation would look at a whole lap of ports, in vain, until one frees. */
typedef struct PortSearchMemo {
  gboolean exhausted; /* the last search found no free port */
  guint64 frees;      /* the host's ports_freed() count then */
} PortSearchMemo;

/* TRUE when the last search found every port busy and none of the host's ports has freed since, so a search
 * over the same ports (or some of them) would find every one busy again: the model may name its first
 * candidate and move its state as that whole search would have, without looking at a port. Only for models
 * whose next search draws no port the last one did not. */
static inline gboolean port_search_still_exhausted(const ClientModelContext *context, const PortSearchMemo *memo)
{
  return memo->exhausted && context->ports_freed(context->host) == memo->frees;
}

/* Records a search's outcome (found: TRUE when it found a free port) for port_search_still_exhausted(). */
static inline void port_search_remember(const ClientModelContext *context, PortSearchMemo *memo, gboolean found)
{
  memo->exhausted = !found && context->ports_freed != NULL;
  if (memo->exhausted)
    memo->frees = context->ports_freed(context->host);
}

G_END_DECLS

#endif
