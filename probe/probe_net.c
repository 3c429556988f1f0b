#define _GNU_SOURCE /* accept4 */
#include "probe_net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ftp_protocol.h"

G_DEFINE_QUARK(ftpsim - probe - error - quark, ftpsim_probe_error)

/* Bounds on what a server may send for one reply, so that garbage cannot make us loop or grow. */
#define MAX_REPLY_LINES 200
#define MAX_LINE_LENGTH 4000
#define FIRST_UNPRIVILEGED_PORT 1024

void probe_reply_clear(ProbeReply *reply)
{
  g_clear_pointer(&reply->text, g_free);
  g_clear_pointer(&reply->last_line, g_free);
  reply->code = 0;
}

static struct sockaddr_in make_sockaddr(guint32 address, guint16 port)
{
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(address);
  sa.sin_port = htons(port);
  return sa;
}

gboolean probe_parse_server(const char *text, guint32 *address, guint16 *port, GError **error)
{
  const char *colon = text ? strrchr(text, ':') : NULL;
  guint64 number = 0;
  if (colon == NULL || colon == text || !g_ascii_string_to_unsigned(colon + 1, 10, 1, 65535, &number, NULL)) {
    g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_CONNECT,
                "--server: '%s' is not HOST:PORT (accepted: an IPv4 address or host name, a port 1..65535)",
                text ? text : "");
    return FALSE;
  }
  g_autofree gchar *host = g_strndup(text, (gsize)(colon - text));
  struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM};
  struct addrinfo *found = NULL;
  int status = getaddrinfo(host, NULL, &hints, &found);
  if (status != 0 || found == NULL) {
    g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_CONNECT, "--server: cannot resolve '%s' to an IPv4 address (%s)",
                host, gai_strerror(status));
    return FALSE;
  }
  *address = ntohl(((struct sockaddr_in *)found->ai_addr)->sin_addr.s_addr);
  *port = (guint16)number;
  freeaddrinfo(found);
  return TRUE;
}

/* Waits until fd is ready for events, at most timeout_ms; an error names the whole budget. */
static gboolean wait_for_within(int fd, short events, int timeout_ms, int budget_ms, const char *what, GError **error)
{
  struct pollfd p = {.fd = fd, .events = events};
  for (;;) {
    int n = poll(&p, 1, timeout_ms);
    if (n > 0)
      return TRUE;
    if (n == 0) {
      g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_TIMEOUT, "timed out after %.3g s waiting for %s",
                  budget_ms / 1000.0, what);
      return FALSE;
    }
    if (errno != EINTR) {
      g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_CONNECT, "poll failed while waiting for %s: %s", what,
                  g_strerror(errno));
      return FALSE;
    }
  }
}

static gboolean wait_for(int fd, short events, int timeout_ms, const char *what, GError **error)
{
  return wait_for_within(fd, events, timeout_ms, timeout_ms, what, error);
}

gboolean probe_connect(ProbeConnection *conn, guint32 address, guint16 port, int timeout_ms, GError **error)
{
  memset(conn, 0, sizeof *conn);
  conn->fd = -1;
  conn->timeout_ms = timeout_ms;
  conn->remote_address = address;
  conn->remote_port = port;
  char where[32];
  ftp_format_ipv4(address, where, sizeof where);
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_CONNECT, "socket: %s", g_strerror(errno));
    return FALSE;
  }
  struct sockaddr_in sa = make_sockaddr(address, port);
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 && errno != EINPROGRESS) {
    g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_CONNECT, "cannot connect to %s:%u: %s", where, (guint)port,
                g_strerror(errno));
    close(fd);
    return FALSE;
  }
  g_autofree gchar *what = g_strdup_printf("the connection to %s:%u", where, (guint)port);
  if (!wait_for(fd, POLLOUT, timeout_ms, what, error)) {
    close(fd);
    return FALSE;
  }
  int so_error = 0;
  socklen_t length = sizeof so_error;
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &length);
  if (so_error != 0) {
    g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_CONNECT, "cannot connect to %s:%u: %s", where, (guint)port,
                g_strerror(so_error));
    close(fd);
    return FALSE;
  }
  struct sockaddr_in local;
  length = sizeof local;
  if (getsockname(fd, (struct sockaddr *)&local, &length) != 0) {
    g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_CONNECT, "getsockname: %s", g_strerror(errno));
    close(fd);
    return FALSE;
  }
  conn->local_address = ntohl(local.sin_addr.s_addr);
  conn->fd = fd;
  return TRUE;
}

void probe_close(ProbeConnection *conn)
{
  if (conn->fd >= 0)
    close(conn->fd);
  conn->fd = -1;
}

gboolean probe_send_line(ProbeConnection *conn, const char *line, GError **error)
{
  g_autofree gchar *wire = g_strconcat(line, "\r\n", NULL);
  gsize length = strlen(wire), sent = 0;
  while (sent < length) {
    if (!wait_for(conn->fd, POLLOUT, conn->timeout_ms, "the server to take our command", error))
      return FALSE;
    ssize_t n = send(conn->fd, wire + sent, length - sent, MSG_NOSIGNAL);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
      continue;
    if (n < 0) {
      g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_CLOSED, "the server closed the connection (send: %s)",
                  g_strerror(errno));
      return FALSE;
    }
    sent += (gsize)n;
  }
  return TRUE;
}

/* Reads one line (without its CR LF) before the deadline (monotonic microseconds). */
static gboolean read_line(ProbeConnection *conn, gint64 deadline, GString *line, GError **error)
{
  g_string_truncate(line, 0);
  for (;;) {
    char *newline = memchr(conn->buffer, '\n', conn->buffered);
    if (newline != NULL) {
      gsize length = (gsize)(newline - conn->buffer);
      g_string_append_len(line, conn->buffer, (gssize)length);
      if (line->len > 0 && line->str[line->len - 1] == '\r')
        g_string_truncate(line, line->len - 1);
      memmove(conn->buffer, newline + 1, conn->buffered - length - 1);
      conn->buffered -= length + 1;
      return TRUE;
    }
    if (conn->buffered == sizeof conn->buffer || line->len > MAX_LINE_LENGTH) {
      g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_GARBAGE,
                  "the server sent a line longer than %d bytes: not an FTP reply", MAX_LINE_LENGTH);
      return FALSE;
    }
    gint64 left_us = deadline - g_get_monotonic_time();
    int left_ms = left_us > 0 ? (int)((left_us + 999) / 1000) : 0;
    if (!wait_for_within(conn->fd, POLLIN, left_ms, conn->timeout_ms, "the server's reply", error))
      return FALSE;
    ssize_t n = recv(conn->fd, conn->buffer + conn->buffered, sizeof conn->buffer - conn->buffered, 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
      continue;
    if (n <= 0) {
      g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_CLOSED, "the server closed the connection%s%s",
                  n < 0 ? ": " : " before replying", n < 0 ? g_strerror(errno) : "");
      return FALSE;
    }
    conn->buffered += (gsize)n;
  }
}

/* Printable ASCII only (and the '\n' we put between lines), so that a hostile reply cannot forge
 * lines in our CSV or terminal. */
static gchar *printable(const char *text)
{
  gchar *copy = g_strdup(text);
  for (gchar *p = copy; *p; p++)
    if (!g_ascii_isprint(*p) && *p != '\n')
      *p = '?';
  return copy;
}

static gboolean starts_with_code(const char *line, guint16 *code)
{
  if (!(g_ascii_isdigit(line[0]) && g_ascii_isdigit(line[1]) && g_ascii_isdigit(line[2])) || line[0] < '1' ||
      line[0] > '5')
    return FALSE;
  *code = (guint16)((line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0'));
  return TRUE;
}

gboolean probe_read_reply(ProbeConnection *conn, ProbeReply *reply, GError **error)
{
  /* One deadline for the whole reply: a server dripping one byte at a time cannot stall us. */
  gint64 deadline = g_get_monotonic_time() + (gint64)conn->timeout_ms * 1000;
  g_autoptr(GString) line = g_string_new(NULL);
  g_autoptr(GString) text = g_string_new(NULL);
  guint16 code = 0;
  if (!read_line(conn, deadline, line, error))
    return FALSE;
  if (!starts_with_code(line->str, &code) || (line->str[3] != ' ' && line->str[3] != '-' && line->str[3] != '\0')) {
    g_autofree gchar *shown = printable(line->str);
    g_strdelimit(shown, "\n", '?');
    g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_GARBAGE,
                "the server sent '%.80s', not an FTP reply (RFC 959: three digits 1xx-5xx, then a space or '-')",
                shown);
    return FALSE;
  }
  gboolean multi_line = line->str[3] == '-';
  g_string_append(text, line->len > 4 ? line->str + 4 : "");
  /* RFC 959 s4.2: a multi-line reply ends with a line starting with the same code and a space. */
  for (guint lines = 1; multi_line; lines++) {
    if (lines >= MAX_REPLY_LINES) {
      g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_GARBAGE, "the server's %u reply did not end within %d lines",
                  (guint)code, MAX_REPLY_LINES);
      return FALSE;
    }
    if (!read_line(conn, deadline, line, error))
      return FALSE;
    guint16 line_code = 0;
    gboolean last =
        starts_with_code(line->str, &line_code) && line_code == code && (line->str[3] == ' ' || line->str[3] == '\0');
    g_string_append_c(text, '\n');
    const char *body = line->str;
    if (last || (starts_with_code(line->str, &line_code) && line_code == code && line->str[3] == '-'))
      body = line->len > 4 ? line->str + 4 : "";
    g_string_append(text, body);
    if (last)
      multi_line = FALSE;
  }
  reply->code = code;
  reply->text = printable(text->str);
  const char *last_newline = strrchr(reply->text, '\n');
  reply->last_line = g_strdup(last_newline ? last_newline + 1 : reply->text);
  return TRUE;
}

gboolean probe_listen(int *fd_out, guint32 address, guint16 port, GError **error)
{
  char where[32];
  ftp_format_ipv4(address, where, sizeof where);
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_LISTEN, "socket: %s", g_strerror(errno));
    return FALSE;
  }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in sa = make_sockaddr(address, port);
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 4) != 0) {
    int saved = errno;
    close(fd);
    if (saved == EACCES && port < FIRST_UNPRIVILEGED_PORT) {
      g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_PRIVILEGED,
                  "cannot listen on %s:%u: ports below 1024 need root (run the probe as root, or name ports >= 1024)",
                  where, (guint)port);
      return FALSE;
    }
    g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_LISTEN, "cannot listen on %s:%u for the data connection: %s",
                where, (guint)port, g_strerror(saved));
    return FALSE;
  }
  *fd_out = fd;
  return TRUE;
}

gboolean probe_connection_waiting(int listen_fd)
{
  struct pollfd p = {.fd = listen_fd, .events = POLLIN};
  return poll(&p, 1, 0) > 0 && (p.revents & POLLIN) != 0;
}

gboolean probe_wait_connection_or_reply(int listen_fd, ProbeConnection *conn, gboolean *connected, GError **error)
{
  *connected = FALSE;
  if (probe_connection_waiting(listen_fd)) {
    *connected = TRUE;
    return TRUE;
  }
  if (conn->buffered > 0) /* a reply already read, not yet consumed */
    return TRUE;
  gint64 deadline = g_get_monotonic_time() + (gint64)conn->timeout_ms * 1000;
  for (;;) {
    struct pollfd p[2] = {{.fd = listen_fd, .events = POLLIN}, {.fd = conn->fd, .events = POLLIN}};
    gint64 left_us = deadline - g_get_monotonic_time();
    int n = poll(p, 2, left_us > 0 ? (int)((left_us + 999) / 1000) : 0);
    if (n > 0) {
      *connected = (p[0].revents & POLLIN) != 0;
      return TRUE;
    }
    if (n == 0) {
      g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_TIMEOUT,
                  "timed out after %.3g s waiting for the server's data connection or reply",
                  conn->timeout_ms / 1000.0);
      return FALSE;
    }
    if (errno != EINTR) {
      g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_CONNECT, "poll failed: %s", g_strerror(errno));
      return FALSE;
    }
  }
}

gboolean probe_accept_and_drain(int listen_fd, int timeout_ms, guint64 *bytes, guint32 *peer_address,
                                guint16 *peer_port, GError **error)
{
  *bytes = 0;
  if (!wait_for(listen_fd, POLLIN, timeout_ms, "the server's data connection", error))
    return FALSE;
  struct sockaddr_in peer;
  socklen_t length = sizeof peer;
  int fd = accept4(listen_fd, (struct sockaddr *)&peer, &length, SOCK_CLOEXEC | SOCK_NONBLOCK);
  if (fd < 0) {
    g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_LISTEN, "accept: %s", g_strerror(errno));
    return FALSE;
  }
  *peer_address = ntohl(peer.sin_addr.s_addr);
  *peer_port = ntohs(peer.sin_port);
  gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
  char chunk[4096];
  /* One deadline for the whole transfer: NLST listings are small; a trickle is a stall. */
  for (;;) {
    gint64 left_us = deadline - g_get_monotonic_time();
    int left_ms = left_us > 0 ? (int)((left_us + 999) / 1000) : 0;
    if (!wait_for_within(fd, POLLIN, left_ms, timeout_ms, "the end of the data transfer", error)) {
      close(fd);
      return FALSE;
    }
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
      continue;
    if (n < 0) {
      g_set_error(error, FTPSIM_PROBE_ERROR, PROBE_ERROR_CLOSED, "the data connection failed: %s", g_strerror(errno));
      close(fd);
      return FALSE;
    }
    if (n == 0)
      break;
    *bytes += (guint64)n;
  }
  close(fd);
  return TRUE;
}
