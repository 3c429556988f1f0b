/* What a client does after the server rejects its PORT command.
 *
 * A reaction is a ClientReaction table in its own file, listed by one row in the catalog (catalog.c).
 * on_rejection() is called once per rejected PORT (off the accepted fast path) and must not
 * allocate; the state is read-only there, so one state may serve many sessions. */
#ifndef FTPSIM_CLIENT_REACTION_H
#define FTPSIM_CLIENT_REACTION_H

#include <glib.h>

#include "model_info.h"
#include "params.h"

G_BEGIN_DECLS

typedef enum {
  REACTION_NEXT_COMMAND, /* the data command fails; the next one names the next port (KB Q140424) */
  REACTION_RETRY,        /* send PORT again for the same command, with the next port */
  REACTION_USE_PASV,     /* from now on use PASV: the client's ports no longer matter (RFC 1579) */
  REACTION_GIVE_UP,      /* abort the session */
} ReactionAction;

typedef struct ReactionDecision {
  ReactionAction action;
  double delay; /* seconds to wait before acting (REACTION_RETRY) */
} ReactionDecision;

typedef struct RejectionFacts {
  guint64 attempts;           /* PORTs sent for the current data command, the rejected one included */
  guint64 session_rejections; /* PORTs rejected in this session so far, this one included */
} RejectionFacts;

typedef struct ClientReaction {
  MODEL_INFO_HEADER; /* name, summary, source, params */

  gpointer (*create)(const ParamSet *params); /* may be NULL: no state */
  ReactionDecision (*on_rejection)(gconstpointer state, const RejectionFacts *facts);
  void (*destroy)(gpointer state); /* may be NULL */
  /* its client may go PASV, whose data connections hold no listening port of the client's (the memory
   * estimate bounds transfers in flight by a host's ports otherwise) */
  gboolean may_use_pasv;
} ClientReaction;

G_STATIC_ASSERT(G_STRUCT_OFFSET(ClientReaction, info) == 0); /* the catalog reads every table as a ModelInfo */

/* The reaction called name, from the catalog (catalog.c); an unknown name is reported with the known ones. */
const ClientReaction *client_reaction_find(const char *name, GError **error);

G_END_DECLS

#endif
