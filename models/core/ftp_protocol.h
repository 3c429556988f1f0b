/* FTP protocol facts the models and the simulator share (RFC 959, RFC 2428). */
#ifndef FTPSIM_FTP_PROTOCOL_H
#define FTPSIM_FTP_PROTOCOL_H

#include <glib.h>

G_BEGIN_DECLS

/* A server reply: a three-digit code and a static text (without the code and without CRLF). */
typedef struct FtpReply {
  guint16 code;
  const char *text;
} FtpReply;

/* RFC 959 s4.2: 2yz is a positive completion; 4yz and 5yz are failures. */
static inline gboolean ftp_reply_is_positive(FtpReply reply)
{
  return reply.code >= 200 && reply.code < 300;
}

/* A PORT or EPRT command as the server sees it. */
typedef struct PortRequest {
  guint16 port;         /* the port the client names */
  guint32 address;      /* the address the client names, host byte order */
  guint32 peer_address; /* the control connection's source address */
  gboolean extended;    /* EPRT rather than PORT */
} PortRequest;

/* Why a data command failed, or nothing (commands.csv's failure column, sessions.csv's counters).
 * DATA_FAILURE_CLIENT_PORT_BUSY fails before any PORT: the client cannot listen on its port (EADDRINUSE).
 * DATA_FAILURE_NO_PORT: a data command sent after a refused PORT (client.data_after_reject=yes);
 * DATA_FAILURE_STALLED: after its 150 no data connection came (the server holds) before the client's timeout;
 * DATA_FAILURE_MIDDLEBOX_*: a middlebox on the route dropped the PORT (no reply: the client timed out) or
 * tore the control connection down (no reply); models/middleboxes/. */
#define DATA_FAILURE_CHOICES(X)                                                                                        \
  X(DATA_FAILURE_NONE, "")                                                                                             \
  X(DATA_FAILURE_CLIENT_PORT_BUSY, "client_port_busy")                                                                 \
  X(DATA_FAILURE_TIME_WAIT, "time_wait")                                                                               \
  X(DATA_FAILURE_REFUSED, "refused")                                                                                   \
  X(DATA_FAILURE_UNREACHABLE, "unreachable")                                                                           \
  X(DATA_FAILURE_ENDED_BY_SERVER, "ended_by_server")                                                                   \
  X(DATA_FAILURE_NO_PORT, "no_port")                                                                                   \
  X(DATA_FAILURE_STALLED, "stalled")                                                                                   \
  X(DATA_FAILURE_MIDDLEBOX_DROPPED, "middlebox_dropped")                                                               \
  X(DATA_FAILURE_MIDDLEBOX_CLOSED, "middlebox_closed")
#define DATA_FAILURE_ENUMERATOR(symbol, name) symbol,
typedef enum { DATA_FAILURE_CHOICES(DATA_FAILURE_ENUMERATOR) } DataFailure;
#undef DATA_FAILURE_ENUMERATOR

/* "" for DATA_FAILURE_NONE, else the name above. */
const char *data_failure_name(DataFailure failure);

/* RFC 959: the server's active-mode data connections come from port L-1 = 20. */
#define FTP_DATA_PORT 20

/* Bytes of TCP and IPv4 headers carried by every control segment (20 + 20, no options). */
#define FTP_SEGMENT_HEADER_BYTES 40

/* Length on the wire of "PORT h1,h2,h3,h4,p1,p2\r\n" (RFC 959 s4.1.2), computed without formatting. */
guint ftp_port_command_length(guint32 address, guint16 port);
/* Length on the wire of "EPRT |1|a.b.c.d|port|\r\n" (RFC 2428 s2). */
guint ftp_eprt_command_length(guint32 address, guint16 port);
/* Length on the wire of "CODE TEXT\r\n"; 0 for code 0 (no reply). */
guint ftp_reply_length(FtpReply reply);

/* "h1,h2,h3,h4,p1,p2" -> address and port. FALSE on anything else (RFC 959 syntax, each number 0..255). */
gboolean ftp_parse_port_argument(const char *argument, guint32 *address, guint16 *port);
/* Writes "h1,h2,h3,h4,p1,p2" into buf (at least 24 bytes). */
void ftp_format_port_argument(guint32 address, guint16 port, char *buf, gsize size);

/* Dotted quad <-> host-order address. */
gboolean ftp_parse_ipv4(const char *text, guint32 *address);
void ftp_format_ipv4(guint32 address, char *buf, gsize size);

G_END_DECLS

#endif
