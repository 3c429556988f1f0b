/* A session: the client's side of one FTP control connection, written as a state machine so that two
 * drivers can run it: an actor per session (driver_actors.c), or a loop that runs the sessions of every
 * host (or of one host) as timed events (driver_event_loop.c, engine.sessions=event-loop).
 * session_step() runs the flow up to its next wait and says what that wait is; the driver carries it
 * out, then steps again. The server's side of the same connection is in server_side.c. */
#ifndef FTPSIM_SESSION_H
#define FTPSIM_SESSION_H

#include <glib.h>

#include "engine_internal.h"
#include "middlebox_route.h"
#include "session_stats.h"
#include "wire.h"

G_BEGIN_DECLS

typedef enum { DATA_LIST, DATA_RETR, DATA_STOR } DataKind;

typedef enum { NEXT_COMMAND, END_SESSION_WITH_QUIT, END_SESSION_CLOSED } CommandResult;

/* Where the client's side of a session resumes (session_step). */
typedef enum {
  STEP_START,
  STEP_CONNECT,
  STEP_GREETED,
  STEP_USER_ANSWERED,
  STEP_NEXT_COMMAND,
  STEP_DATA_COMMAND,
  STEP_ATTEMPT,
  STEP_PASV_ANSWERED,
  STEP_PORT_ANSWERED,
  STEP_TRANSFER_REQUEST,
  STEP_TRANSFER_ANSWERED,
  STEP_TRANSFER_MOVED,
  STEP_TRANSFER_COMPLETED,
  STEP_STALLED,
  STEP_QUIT,
  STEP_CLOSED,
} SessionStep;

typedef struct Session {
  guint64 id;
  ClientHost *client;
  ServerHost *server;
  const ClientModel *model;
  PortAllocator own_ports;
  PortAllocator *ports;           /* own_ports or the host's shared one */
  const ClientSettings *settings; /* the host's or the deployed session's, alive for the run */
  MailboxSlot *slot;              /* network.control=shared, once connected */
  double start_time;              /* when the session opens, for deployed sessions */

  /* Workload, drawn from the session's own stream when a distribution is asked for. */
  GRand *rand;
  guint64 data_commands;

  /* Server side of the control connection. */
  gboolean data_ready; /* a PORT was accepted, or PASV answered */
  gboolean data_passive;
  guint16 data_port;
  const DataPhase *data_phase; /* the policy's, for the last PORT */
  FtpReply port_reply;         /* the server's reply to the last PORT */
  FtpReply transfer_complete;  /* the 226 the open transfer ends with */
  DataFailure data_failure;    /* why the last data connection failed, if it did */
  gboolean data_held;          /* the server answered the data command 150 and will say nothing more */
  guint64 server_rejections;
  SessionEnd server_closed; /* SESSION_END_QUIT while open */
  double server_delay;      /* network.control=uncongested: the server's tarpit before its reply */

  ControlRoute to_server, to_client;
  ReplyQueue pending_replies; /* network.control=uncongested or loaded */
  long control_bytes;         /* loaded: sent beside transfers since its last one, which carries them */
  ControlMessage message;     /* loaded: the control message in flight (or transfer, network.transfers=loaded) */
  int message_then;           /* loaded, event loop: the event its arrival leads to */
  MiddleboxPass middlebox;    /* the middleboxes on the route, and what the last PORT met there */

  FtpCommand command;
  long command_length; /* on the wire, headers included */
  FtpReply replies[2]; /* alternate, so a reply in flight is never overwritten by the next */
  guint next_reply;
  SessionStats stats;

  /* Client side: where session_step() resumes, and what its flow carries from one wait to the next. */
  SessionStep step;
  CommandResult result;
  const FtpReply *reply; /* what the last wait brought */
  PortQuery query;
  guint64 commands_done;
  guint64 attempts; /* PORT commands for the data command in progress */
  DataKind kind;
  guint64 bytes;
  gboolean passive;      /* the data command in progress went PASV */
  gboolean after_reject; /* its data command follows a refused PORT (client.data_after_reject=yes) */
  guint16 port;          /* its port, in active mode */
} Session;

/* Whether the client's driver plays the server's side too: replies queued (ReplyQueue), the server's delays
 * waited out and the transfer moved by the client's driver. Every case but the shared model with an actor per
 * session, where a server actor per connection does it. */
static inline gboolean client_plays_server(const ClientSettings *settings)
{
  return settings->control != NETWORK_CONTROL_SHARED || settings->engine == SESSION_ENGINE_EVENT_LOOP;
}

/* What a driver does before it steps the session again. */
typedef enum {
  WAIT_NONE,     /* no wait: step on (inside session_step only) */
  WAIT_FOR,      /* wait.time seconds */
  WAIT_UNTIL,    /* until the time wait.time */
  WAIT_EXCHANGE, /* send session->command, then read its reply into session->reply */
  WAIT_REPLY,    /* read the next reply (226 after a transfer) into session->reply */
  WAIT_TRANSFER, /* move the data command's bytes */
  WAIT_END,      /* the session is over: session_finish() it */
} WaitKind;

typedef struct Wait {
  WaitKind kind;
  double time;
} Wait;

/* Runs the session's client side up to its next wait. */
Wait session_step(Session *session);

/* A session as its settings and the workload's draws say; params are those the settings were decoded
 * from, for the port allocator. NULL after storing the reason in engine.error. */
Session *session_new(guint64 id, ClientHost *client, ServerHost *server, const ClientModel *model,
                     const ClientSettings *settings, const ParamSet *params);
/* Records the ended session, returns its mailboxes and frees it. */
void session_finish(Session *session);

G_END_DECLS

#endif
