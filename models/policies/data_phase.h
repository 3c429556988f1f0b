/* The data phase: what a server does after a PORT/EPRT, as each real server does it, and the one pure
 * function that predicts a whole exchange (PORT reply, data command's replies, the session's fate). The
 * engine plays what these functions return, and a test can call them without SimGrid: one source of truth.
 *
 * A policy states its data phase in its own file: ServerPolicy.data_phase returns a static DataPhase
 * (chosen by its knobs and the request); a policy without one gets data_phase_assumed. No allocation. */
#ifndef FTPSIM_DATA_PHASE_H
#define FTPSIM_DATA_PHASE_H

#include <glib.h>

#include "ftp_protocol.h"
#include "param_keys.h"

G_BEGIN_DECLS

#define DATA_FAILURE_ONE(symbol, name) +1
#define DATA_FAILURE_COUNT (0 DATA_FAILURE_CHOICES(DATA_FAILURE_ONE))

/* Which port the server's active data connection comes from. Only a connection from the same port to
 * the same client port reuses a 4-tuple, so only DATA_SOURCE_PORT_20 can be blocked by TIME_WAIT.
 * The names are min-port's server.data_source values (param_set_choice decodes them into the enum). */
#define DATA_SOURCE_CHOICES(X) X(DATA_SOURCE_PORT_20, "port20") X(DATA_SOURCE_EPHEMERAL, "ephemeral")
typedef enum { DATA_SOURCE_CHOICES(CHOICE_ENUMERATOR) } DataSource;

/* When the server connects: at the data command (RFC 959), or before it answers the PORT (pyftpdlib,
 * IIS 7.5: the PORT reply carries the connection's result). min-port's server.connect values. */
#define CONNECT_TIME_CHOICES(X) X(CONNECT_AT_DATA_COMMAND, "data-command") X(CONNECT_BEFORE_PORT_REPLY, "before-reply")
typedef enum { CONNECT_TIME_CHOICES(CHOICE_ENUMERATOR) } ConnectTime;

typedef struct DataPhase {
  DataSource source;
  ConnectTime connect;
  const char *foreign_preamble; /* first line of an accepted PORT naming a foreign address (pure-ftpd FXP), or NULL */
  FtpReply opening;             /* 150: the server connects, then the transfer */
  FtpReply opening_connected;   /* CONNECT_BEFORE_PORT_REPLY: the connection is already open (125) */
  FtpReply complete;            /* 226 */
  FtpReply connect_failed[DATA_FAILURE_COUNT]; /* by cause (REFUSED, UNREACHABLE, TIME_WAIT): the 425 */
  FtpReply no_port;          /* a data command with no usable PORT (refused, or its connection failed) */
  gboolean no_port_holds;    /* no_port is a 1xx after which the server says nothing more */
  FtpReply fatal;            /* code != 0: the data command gets this and the server ends the session */
  guint listing_dot_entries; /* names a listing holds besides the folder's entries ("." and "..": pure-ftpd) */
  double connect_timeout;    /* s: the server's own limit on a data connect (0: none, the kernel's applies) */
} DataPhase;

/* nt351, nt351sp2, iis4, rfc2577, min-port, pasv-only: not measurable here. Port 20 (RFC 959), connect
 * at the data command, RFC 959's texts (assumptions: no capture of these servers' data phase exists). */
extern const DataPhase data_phase_assumed;
/* The same texts from another source port, or connecting before the PORT reply (min-port's knobs). */
const DataPhase *data_phase_assumed_for(DataSource source, ConnectTime connect);

/* What the server's connection attempt meets. */
typedef struct DataPath {
  gboolean listening;        /* something listens on the named address and port */
  gboolean reachable;        /* the named address answers at all (own address, or a reachable third party) */
  gboolean port20_time_wait; /* (server:20, address:port) is still in TIME_WAIT on the server */
} DataPath;

/* The session after the data command. */
typedef enum {
  SESSION_SURVIVES,
  SESSION_ENDED_BY_SERVER, /* the server closed the control connection after its reply */
  SESSION_HELD,            /* the server holds, replying nothing more: the client's timeout ends it */
} SessionFate;

/* How long a connection to an address that does not answer takes to fail: the server's own limit, or the
 * kernel's (kernel_timeout: server.connect_timeout) when that comes first or the server has none. */
double data_phase_connect_timeout(const DataPhase *phase, double kernel_timeout);

/* The server's connection attempt: DATA_FAILURE_NONE when it connects, else why not. */
DataFailure data_phase_connect(const DataPhase *phase, const DataPath *path);

/* The PORT/EPRT reply: verdict is the policy's (check_port); a server that connects before replying
 * answers its connect_failed reply instead of a positive verdict when the connection fails (*failure
 * says why; DATA_FAILURE_NONE otherwise). */
FtpReply data_phase_port_reply(const DataPhase *phase, FtpReply verdict, const DataPath *path, DataFailure *failure);

typedef struct DataCommandResult {
  FtpReply preliminary; /* 150/125; code 0: none */
  FtpReply final;       /* 226, 425, 500 OOPS...; code 0: none (the server holds) */
  DataFailure failure;
  SessionFate fate;
} DataCommandResult;

/* The data command after a PORT whose reply was port_reply; path is what a connection made now meets. */
DataCommandResult data_phase_data_command(const DataPhase *phase, FtpReply port_reply, const DataPath *path);

G_END_DECLS

#endif
