/* The real-network side of 'ftpsim probe': an FTP control connection and active-mode data listeners,
 * IPv4 and POSIX sockets, every wait bounded by a timeout so that a server that stalls, closes early
 * or sends garbage gives a GError, never a hang. */
#ifndef FTPSIM_PROBE_NET_H
#define FTPSIM_PROBE_NET_H

#include <glib.h>

G_BEGIN_DECLS

#define FTPSIM_PROBE_ERROR (ftpsim_probe_error_quark())
GQuark ftpsim_probe_error_quark(void);

typedef enum {
  PROBE_ERROR_CONNECT,   /* cannot reach the server */
  PROBE_ERROR_TIMEOUT,   /* the server stalled */
  PROBE_ERROR_CLOSED,    /* the server closed the connection */
  PROBE_ERROR_GARBAGE,   /* not an RFC 959 reply */
  PROBE_ERROR_LISTEN,    /* cannot listen on the data port */
  PROBE_ERROR_PRIVILEGED /* the data port is below 1024 and we are not root */
} ProbeError;

typedef struct ProbeConnection {
  int fd;
  guint32 local_address; /* host order: what the server sees as our address */
  guint32 remote_address;
  guint16 remote_port;
  int timeout_ms;
  char buffer[4096]; /* bytes received and not yet consumed */
  gsize buffered;
} ProbeConnection;

/* An RFC 959 reply: the code and every line's text (code and separator removed) joined with '\n'. */
typedef struct ProbeReply {
  guint16 code;
  gchar *text;      /* all lines */
  gchar *last_line; /* text of the final "NNN text" line: what the models predict */
} ProbeReply;

void probe_reply_clear(ProbeReply *reply);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ProbeReply, probe_reply_clear)

/* "HOST:PORT" with HOST an IPv4 address or a name that resolves to one. */
gboolean probe_parse_server(const char *text, guint32 *address, guint16 *port, GError **error);

gboolean probe_connect(ProbeConnection *conn, guint32 address, guint16 port, int timeout_ms, GError **error);
void probe_close(ProbeConnection *conn);
/* Sends "LINE\r\n". */
gboolean probe_send_line(ProbeConnection *conn, const char *line, GError **error);
/* Reads one whole reply, multi-line ones included ("NNN-" ... "NNN "), within the timeout. */
gboolean probe_read_reply(ProbeConnection *conn, ProbeReply *reply, GError **error);

/* A listening socket for one active-mode data connection. */
gboolean probe_listen(int *fd, guint32 address, guint16 port, GError **error);
/* TRUE if a connection waits in listen_fd's queue now (the server connected before we asked for data). */
gboolean probe_connection_waiting(int listen_fd);
/* Waits, at most conn's timeout, until the server connects to listen_fd (*connected TRUE) or a reply can be
 * read on conn (*connected FALSE); a waiting connection wins. */
gboolean probe_wait_connection_or_reply(int listen_fd, ProbeConnection *conn, gboolean *connected, GError **error);
/* Accepts one connection and reads it to the end; returns the bytes read and the server's end of it. */
gboolean probe_accept_and_drain(int listen_fd, int timeout_ms, guint64 *bytes, guint32 *peer_address,
                                guint16 *peer_port, GError **error);

G_END_DECLS

#endif
