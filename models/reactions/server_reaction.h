/* What a server does about a client whose PORT commands keep being rejected. Wraps any policy.
 *
 * None of the real servers in ../shared/docs/ftp-facts.md does anything by default; these model the
 * knobs that exist (ProFTPD mod_ban, MaxCommandRate) and common hardening (disconnect, tarpit).
 * The state belongs to one server host and is shared by its sessions; calls are single-threaded. */
#ifndef FTPSIM_SERVER_REACTION_H
#define FTPSIM_SERVER_REACTION_H

#include <glib.h>

#include "model_info.h"
#include "params.h"

G_BEGIN_DECLS

typedef enum {
  SERVER_KEEP,       /* answer the rejection and go on */
  SERVER_DISCONNECT, /* answer 421 and close the control connection */
  SERVER_BAN,        /* the same, and the address is now banned */
} ServerAction;

typedef struct ServerVerdict {
  ServerAction action;
  double delay; /* seconds to hold the reply back (tarpit) */
} ServerVerdict;

typedef struct ServerReaction {
  MODEL_INFO_HEADER; /* name, summary, source, params */

  gpointer (*create)(const ParamSet *params); /* may be NULL: no state */
  /* At connect: FALSE refuses the client (421 before the greeting). May be NULL: always admit. */
  gboolean (*admit)(gpointer state, guint32 client_address, double now);
  /* After each rejected PORT. session_rejections counts this session's, this one included. */
  ServerVerdict (*on_rejection)(gpointer state, guint32 client_address, guint64 session_rejections, double now);
  void (*destroy)(gpointer state); /* may be NULL */
} ServerReaction;

G_STATIC_ASSERT(G_STRUCT_OFFSET(ServerReaction, info) == 0); /* the catalog reads every table as a ModelInfo */

/* The reaction called name, from the catalog (catalog.c); an unknown name is reported with the known ones. */
const ServerReaction *server_reaction_find(const char *name, GError **error);

G_END_DECLS

#endif
