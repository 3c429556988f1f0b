/* What the engine (and the probe) hand to whoever writes results: one session, one exchange.
 * Plain data, no SimGrid and no CSV, so the engine depends on neither the output code nor its format. */
#ifndef FTPSIM_RECORDS_H
#define FTPSIM_RECORDS_H

#include <glib.h>

#include "session_stats.h"

G_BEGIN_DECLS

/* A finished session. The strings are the scenario's and live for the run. */
typedef struct SessionRecord {
  guint64 id;
  const char *client_host;
  const char *server_host;
  const char *client_model;
  const char *server_policy;
  const SessionStats *stats;
} SessionRecord;

/* One command and its reply: a PORT, EPRT or PASV exchange, or a data command with its final reply. */
typedef struct ExchangeRecord {
  double time; /* when the reply arrived, simulated seconds */
  guint64 session;
  const char *client_host;
  const char *server_host;
  const char *command; /* "PORT", "EPRT", "PASV", "RETR", "LIST", "STOR" */
  guint16 port;
  guint16 reply_code; /* 0: no reply (the command was not sent) */
  gboolean accepted;
  /* The simulator's: the reply's text as the policy returned it (placeholders and all: rendered from
   * request when written, off the run's path), the first line of a two-line reply or NULL, and why a
   * data command failed. The probe leaves them zero. */
  const char *reply_text;
  const char *reply_preamble;
  PortRequest request;
  DataFailure failure;
} ExchangeRecord;

/* Where results go. session_ended is called once per session as it ends; exchange, when not NULL,
 * once per exchange (a trace). Both are on the run's path: they must not keep the record's pointers. */
typedef struct RecordSink {
  gpointer data;
  void (*session_ended)(gpointer data, const SessionRecord *record);
  void (*exchange)(gpointer data, const ExchangeRecord *record); /* NULL: no trace */
} RecordSink;

G_END_DECLS

#endif
