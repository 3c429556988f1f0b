/* Typed settings: what a client host (or a deployed session) and a server host take from their
 * parameters, decoded once when the run starts into fields and enums, so that the engine reads no
 * parameter by name and compares no choice string, however many sessions it creates. Pure C. */
#ifndef FTPSIM_SETTINGS_H
#define FTPSIM_SETTINGS_H

#include <glib.h>

#include "client_reaction.h"
#include "param_keys.h"
#include "params.h"
#include "server_reaction.h"

G_BEGIN_DECLS

/* A client's sessions: their workload, their reaction to a rejected PORT, the wire and the engine. */
typedef struct ClientSettings {
  const ClientReaction *reaction; /* client.reaction */
  gpointer reaction_state;        /* made from the same parameters; read-only, so sessions share it */

  CountDistribution commands_dist; /* data commands per session, of mean mean_commands */
  guint64 mean_commands;
  double mix_list, mix_retr, mix_total; /* weights of LIST and RETR among data commands, and with STOR */
  ValueDistribution file_size_dist;     /* RETR and STOR sizes, of mean file_size */
  guint64 file_size, list_size;
  ValueDistribution think_dist; /* pauses between data commands, of mean think_time */
  double think_time;
  gboolean needs_rand; /* something above is drawn from the session's own stream */

  PortCommand port_command;
  ClientListen listen;               /* whether the client listens on the port it names */
  ThirdParty third_party;            /* whether an address other than the client's own answers */
  DataAfterReject data_after_reject; /* whether a refused PORT is still followed by its data command */
  double accept_timeout;             /* how long the client waits for a data connection after a 150 */
  TcpCloser closer;
  double time_wait; /* tcp.time_wait: how long the closer's port stays unusable */
  NetworkControl control;
  NetworkTransfers transfers;
  SessionEngine engine;

  ArrivalKind arrival; /* a client host's sessions; a deployed session has its own start time */
  double arrival_interval, arrival_rate;
} ClientSettings;

/* params: validated, so decoding cannot fail. Pair with client_settings_clear(). */
void client_settings_init(ClientSettings *settings, const ParamSet *params);
void client_settings_clear(ClientSettings *settings);

/* A server host's side beyond its PORT policy (which the scenario resolves and a PortGate runs). */
typedef struct ServerSettings {
  const ServerReaction *reaction; /* server.reaction; its state is the server's, it changes with rejections */
  double time_wait;               /* tcp.time_wait: how long a data connection the server closed holds its port */
  double connect_timeout;         /* how long a data connection to an address that does not answer takes to fail */
} ServerSettings;

void server_settings_init(ServerSettings *settings, const ParamSet *params);

G_END_DECLS

#endif
