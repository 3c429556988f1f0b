/* One probe session's steps: a PORT/EPRT exchange, then (optionally) a data command over the connection
 * the server opens to us, then NOOP to see whether the session still lives. Every wait is bounded by the
 * connection's timeout; a stall or a close ends the session and is recorded, not reported as an error. */
#ifndef FTPSIM_PROBE_SESSION_H
#define FTPSIM_PROBE_SESSION_H

#include <stdio.h>

#include <glib.h>

#include "probe_net.h"
#include "server_policy.h"
#include "session_stats.h"

G_BEGIN_DECLS

/* What follows each PORT/EPRT, fixed for the whole session. */
typedef struct ProbeFollowUp {
  gboolean data;               /* send the data command after an accepted PORT/EPRT */
  gboolean data_after_refusal; /* ... and after a refused one */
  const char *data_command;    /* "NLST" or "RETR" */
  const char *file;            /* RETR's argument */
  gboolean listen;             /* listen on the named address and port (FALSE: nobody listens there) */
} ProbeFollowUp;

/* The state of one probe run. */
typedef struct Probe {
  const ProbeFollowUp *follow_up;
  ProbeConnection conn;
  FILE *commands_csv;
  gint64 start_us;
  char own_text[16];
  char server_text[32];
  SessionStats stats;
  guint64 compared, matching;
  gboolean ended; /* the server closed the session or stalled: no more commands */
} Probe;

double probe_now(const Probe *probe);
/* Sends LINE and reads the reply. */
gboolean probe_exchange(Probe *probe, const char *line, ProbeReply *reply, GError **error);

/* One step: PORT (or EPRT, extended) naming address:port, its data command, NOOP; a row each in
 * commands.csv. gate: compare the PORT/EPRT reply with that model (NULL: no comparison). FALSE only on
 * a local failure (cannot listen) or a reply that is not FTP; a stall or close sets probe->ended. */
gboolean probe_step(Probe *probe, gboolean extended, guint32 address, guint16 port, const PortGate *gate,
                    GError **error);

G_END_DECLS

#endif
