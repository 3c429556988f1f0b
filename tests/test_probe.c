/* ftpsim probe against a tiny fake FTP server run in this test (loopback, one thread): well-behaved ones
 * that refuse ports below 1024 like vsftpd (or, like pyftpdlib, connect before replying), serve NLST and
 * RETR and answer NOOP, ones that close or hold the session after a data command, and misbehaving ones -
 * garbage, early close, a stall - that must give a one-line error within the timeout, never a hang. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "check_main.h"

static const char *ftpsim_path; /* argv[1]: the ftpsim binary */

typedef enum {
  FAKE_GOOD,          /* vsftpd-like: connects at the data command */
  FAKE_CONNECT_FIRST, /* pyftpdlib-like: connects before answering PORT/EPRT */
  FAKE_OOPS,          /* accepts every PORT, then answers the data command with 500 OOPS and closes */
  FAKE_HOLD,          /* after a refused PORT, answers the data command with 150 and then nothing */
  FAKE_GARBAGE,
  FAKE_CLOSE_AFTER_USER,
  FAKE_STALL,
  FAKE_DRIP
} FakeMode;

typedef struct {
  FakeMode mode;
  int listen_fd;
  guint16 port;
  GThread *thread;
  guint16 data_source_port; /* the local port of the last data connection the server opened */
} FakeServer;

static void send_text(int fd, const char *text)
{
  (void)!send(fd, text, strlen(text), MSG_NOSIGNAL);
}

/* One line without CR LF; FALSE on EOF or after the 5 s receive timeout. */
static gboolean read_line(int fd, char *line, gsize size)
{
  gsize n = 0;
  char c;
  while (n + 1 < size) {
    if (recv(fd, &c, 1, 0) != 1)
      return FALSE;
    if (c == '\n')
      break;
    if (c != '\r')
      line[n++] = c;
  }
  line[n] = '\0';
  return TRUE;
}

/* A data connection to address:port from an ephemeral port; -1 if nobody listens. */
static int open_data(FakeServer *server, guint32 address, guint16 port)
{
  int data = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(address), .sin_port = htons(port)};
  if (connect(data, (struct sockaddr *)&sa, sizeof sa) != 0) {
    close(data);
    return -1;
  }
  socklen_t length = sizeof sa;
  getsockname(data, (struct sockaddr *)&sa, &length);
  server->data_source_port = ntohs(sa.sin_port);
  return data;
}

#define LISTING "a.txt\r\nb.txt\r\n"     /* 14 bytes */
#define FILE_TEXT "ftpsim conformance\n" /* 19 bytes */

static void serve_data(FakeServer *server, int control, int data, guint32 address, guint16 port, const char *line)
{
  const char *content = g_str_has_prefix(line, "RETR") ? FILE_TEXT : LISTING;
  if (data >= 0) /* connected at PORT time */
    send_text(control, "125 Data connection already open. Transfer starting.\r\n");
  else if ((data = open_data(server, address, port)) < 0) {
    send_text(control, "425 Failed to establish connection.\r\n");
    return;
  } else
    send_text(control, "150 Here comes the directory listing.\r\n");
  send_text(data, content);
  close(data);
  send_text(control, "226 Directory send OK.\r\n");
}

/* Parses PORT or EPRT; FALSE for another command. */
static gboolean parse_port(const char *line, guint32 *address, guint16 *port, gboolean *extended)
{
  guint a, b, c, d, p1, p2, eport;
  char dotted[64];
  if (sscanf(line, "PORT %u,%u,%u,%u,%u,%u", &a, &b, &c, &d, &p1, &p2) == 6) {
    *address = (a << 24) | (b << 16) | (c << 8) | d;
    *port = (guint16)(p1 * 256 + p2);
    *extended = FALSE;
    return TRUE;
  }
  if (sscanf(line, "EPRT |1|%63[0-9.]|%u|", dotted, &eport) == 2) {
    inet_pton(AF_INET, dotted, address);
    *address = ntohl(*address);
    *port = (guint16)eport;
    *extended = TRUE;
    return TRUE;
  }
  return FALSE;
}

/* A vsftpd look-alike: PORT/EPRT to a port below 1024 or a foreign address gets 500 (FAKE_OOPS: never). */
static void serve_good(FakeServer *server, int fd)
{
  send_text(fd, "220-fake FTP server\r\n220-second line\r\n220 ready\r\n");
  char line[512];
  guint32 port_address = 0;
  guint16 port = 0;
  gboolean have_port = FALSE, extended = FALSE;
  int early = -1; /* FAKE_CONNECT_FIRST: the data connection opened at PORT time */
  while (read_line(fd, line, sizeof line)) {
    if (g_str_has_prefix(line, "USER"))
      send_text(fd, "331 Please specify the password.\r\n");
    else if (g_str_has_prefix(line, "PASS"))
      send_text(fd, "230 Login successful.\r\n");
    else if (parse_port(line, &port_address, &port, &extended)) {
      have_port = server->mode == FAKE_OOPS || (port >= 1024 && port_address == 0x7f000001u);
      if (!have_port)
        send_text(fd, extended ? "500 Illegal EPRT command.\r\n" : "500 Illegal PORT command.\r\n");
      else if (server->mode == FAKE_CONNECT_FIRST) {
        early = open_data(server, port_address, port);
        have_port = early >= 0;
        send_text(fd, early >= 0 ? "200 Active data connection established.\r\n"
                                 : "425 Can't connect to specified address.\r\n");
      } else
        send_text(fd, extended ? "200 EPRT command successful. Consider using EPSV.\r\n"
                               : "200 PORT command successful. Consider using PASV.\r\n");
    } else if (g_str_has_prefix(line, "NLST") || g_str_has_prefix(line, "RETR")) {
      if (server->mode == FAKE_OOPS) {
        send_text(fd, "500 OOPS: Illegal port request\r\n");
        return;
      }
      if (!have_port && server->mode == FAKE_HOLD) {
        send_text(fd, "150 File status okay. About to open data connection.\r\n");
        continue; /* and never more: the probe must give up after its timeout */
      }
      if (!have_port)
        send_text(fd, "425 Use PORT or PASV first.\r\n");
      else
        serve_data(server, fd, early, port_address, port, line);
      have_port = FALSE;
      early = -1;
    } else if (g_str_has_prefix(line, "NOOP"))
      send_text(fd, "200 NOOP ok.\r\n");
    else if (g_str_has_prefix(line, "QUIT")) {
      send_text(fd, "221 Goodbye.\r\n");
      break;
    } else
      send_text(fd, "500 Unknown command.\r\n");
  }
  if (early >= 0)
    close(early);
}

static gpointer fake_server_main(gpointer data)
{
  FakeServer *server = data;
  int fd = accept(server->listen_fd, NULL, NULL);
  if (fd < 0)
    return NULL;
  struct timeval five = {.tv_sec = 5};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &five, sizeof five);
  char line[512];
  switch (server->mode) {
    case FAKE_GOOD:
    case FAKE_CONNECT_FIRST:
    case FAKE_OOPS:
    case FAKE_HOLD:
      serve_good(server, fd);
      break;
    case FAKE_GARBAGE:
      send_text(fd, "HELLO \x01 this is not FTP\r\n");
      read_line(fd, line, sizeof line);
      break;
    case FAKE_CLOSE_AFTER_USER:
      send_text(fd, "220 ready\r\n");
      read_line(fd, line, sizeof line);
      break;
    case FAKE_STALL:
      read_line(fd, line, sizeof line); /* never greets; returns when the probe gives up */
      break;
    case FAKE_DRIP: /* a never-ending multi-line greeting, one line at a time */
      for (int i = 0; i < 40; i++) {
        send_text(fd, "220-still talking\r\n");
        g_usleep(50000);
      }
      break;
  }
  close(fd);
  return NULL;
}

static void fake_server_start(FakeServer *server, FakeMode mode)
{
  server->mode = mode;
  server->data_source_port = 0;
  server->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001u)};
  ck_assert_int_eq(bind(server->listen_fd, (struct sockaddr *)&sa, sizeof sa), 0);
  ck_assert_int_eq(listen(server->listen_fd, 1), 0);
  socklen_t length = sizeof sa;
  getsockname(server->listen_fd, (struct sockaddr *)&sa, &length);
  server->port = ntohs(sa.sin_port);
  server->thread = g_thread_new("fake-ftp", fake_server_main, server);
}

static void fake_server_stop(FakeServer *server)
{
  g_thread_join(server->thread);
  close(server->listen_fd);
}

typedef struct {
  int status;
  gchar *out;
  gchar *err;
  gchar *dir;
  double seconds;
} ProbeRun;

/* Runs ftpsim probe against the fake server with extra arguments (NULL-terminated). */
static ProbeRun run_probe(const FakeServer *server, const char *const *extra)
{
  ProbeRun run = {0};
  run.dir = g_dir_make_tmp("ftpsim-probe-test-XXXXXX", NULL);
  g_autofree gchar *out_dir = g_build_filename(run.dir, "out", NULL);
  g_autofree gchar *address = g_strdup_printf("127.0.0.1:%u", (guint)server->port);
  GPtrArray *argv = g_ptr_array_new();
  const char *fixed[] = {ftpsim_path, "probe", "--server", address, "--timeout", "0.5", "--out", out_dir};
  for (guint i = 0; i < G_N_ELEMENTS(fixed); i++)
    g_ptr_array_add(argv, (gpointer)fixed[i]);
  for (guint i = 0; extra[i] != NULL; i++)
    g_ptr_array_add(argv, (gpointer)extra[i]);
  g_ptr_array_add(argv, NULL);
  gint64 start = g_get_monotonic_time();
  GError *error = NULL;
  ck_assert(g_spawn_sync(NULL, (gchar **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &run.out, &run.err,
                         &run.status, &error));
  run.seconds = (double)(g_get_monotonic_time() - start) / 1e6;
  run.status = WIFEXITED(run.status) ? WEXITSTATUS(run.status) : -1;
  g_ptr_array_unref(argv);
  return run;
}

static gchar *read_output(const ProbeRun *run, const char *name)
{
  g_autofree gchar *path = g_build_filename(run->dir, "out", name, NULL);
  gchar *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL))
    return NULL;
  return text;
}

static void probe_run_clear(ProbeRun *run)
{
  g_autofree gchar *command = g_strdup_printf("rm -rf '%s'", run->dir);
  (void)!system(command);
  g_free(run->out);
  g_free(run->err);
  g_free(run->dir);
}

/* commands.csv's lines, each without its time (wall clock): "1,127.0.0.1,127.0.0.1:PORT,..." */
static GStrv command_rows(const ProbeRun *run)
{
  g_autofree gchar *commands = read_output(run, "commands.csv");
  ck_assert_ptr_nonnull(commands);
  GStrv lines = g_strsplit(commands, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++) {
    char *comma = strchr(lines[i], ',');
    if (comma != NULL)
      memmove(lines[i], comma + 1, strlen(comma));
  }
  return lines;
}

/* The row's fields after time, session, client_host and server_host: "PORT,1022,500,0,..." */
static const char *row_from_command(const char *row)
{
  const char *p = row;
  for (int i = 0; i < 3 && p != NULL; i++)
    p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
  ck_assert_ptr_nonnull(p);
  return p;
}

#define HEADER                                                                                                         \
  "time,session,client_host,server_host,command,port,reply_code,accepted,reply_text,expected_code,expected_text,"      \
  "address,listening,connected_before_reply,preliminary_code,preliminary_text,data_source,bytes,stalled,"              \
  "session_closed"

START_TEST(good_server_ramp_matches_vsftpd_model)
{
  FakeServer server;
  fake_server_start(&server, FAKE_GOOD);
  const char *extra[] = {"--set", "client.start_port=1022", "--commands", "4", "--expect", "vsftpd", NULL};
  ProbeRun run = run_probe(&server, extra);
  fake_server_stop(&server);
  ck_assert_msg(run.status == 0, "status %d, stderr: %s", run.status, run.err);
  ck_assert_ptr_nonnull(strstr(run.out, "agreement with vsftpd: 4/4 replies"));
  g_auto(GStrv) lines = command_rows(&run);
  /* header; 2 x (refused PORT, NOOP); 2 x (PORT, NLST, NOOP); the final empty string */
  ck_assert_uint_eq(g_strv_length(lines), 1 + 2 * 2 + 2 * 3 + 1);
  ck_assert_str_eq(lines[0], HEADER);
  g_autofree gchar *prefix = g_strdup_printf("1,127.0.0.1,127.0.0.1:%u,", (guint)server.port);
  for (guint i = 1; i <= 10; i++)
    ck_assert_msg(g_str_has_prefix(lines[i], prefix), "row %u: %s", i, lines[i]);
  ck_assert_str_eq(row_from_command(lines[1]),
                   "PORT,1022,500,0,Illegal PORT command.,500,Illegal PORT command.,127.0.0.1,1,0,,,,,0,0");
  ck_assert_str_eq(row_from_command(lines[2]), "NOOP,1022,200,1,NOOP ok.,,,127.0.0.1,1,,,,,,0,0");
  ck_assert_str_eq(row_from_command(lines[5]), "PORT,1024,200,1,PORT command successful. Consider using PASV.,200,"
                                               "PORT command successful. Consider using PASV.,127.0.0.1,1,0,,,,,0,0");
  ck_assert(g_str_has_prefix(row_from_command(lines[6]), "NLST,1024,226,1,Directory send OK.,,,127.0.0.1,1,,150,Here "
                                                         "comes the directory listing.,127.0.0.1:"));
  ck_assert_str_eq(row_from_command(lines[7]), "NOOP,1024,200,1,NOOP ok.,,,127.0.0.1,1,,,,,,0,0");
  /* The last data connection's source: the port the fake server's socket had (accept()'s peer). */
  g_autofree gchar *last_nlst =
      g_strdup_printf("NLST,1025,226,1,Directory send OK.,,,127.0.0.1,1,,150,Here comes the directory listing.,"
                      "127.0.0.1:%u,14,0,0",
                      (guint)server.data_source_port);
  ck_assert_uint_ne(server.data_source_port, 0);
  ck_assert_str_eq(row_from_command(lines[9]), last_nlst);
  g_autofree gchar *sessions = read_output(&run, "sessions.csv");
  g_auto(GStrv) rows = g_strsplit(sessions, "\n", -1);
  g_auto(GStrv) fields = g_strsplit(rows[1], ",", -1);
  ck_assert_str_eq(fields[6], "4");    /* commands */
  ck_assert_str_eq(fields[7], "2");    /* rejected */
  ck_assert_str_eq(fields[8], "2");    /* rejected_before_first_accept */
  ck_assert_str_eq(fields[9], "1024"); /* first_accept_port */
  ck_assert_str_eq(fields[12], "2");   /* transfers */
  ck_assert_str_eq(fields[13], "28");  /* bytes: two listings of "a.txt\r\nb.txt\r\n" */
  probe_run_clear(&run);
}
END_TEST

/* Runs the probe against a fake server in mode; returns its rows from the command column on. */
static GStrv probe_rows(FakeMode mode, const char *const *extra, FakeServer *server, ProbeRun *run)
{
  fake_server_start(server, mode);
  *run = run_probe(server, extra);
  fake_server_stop(server);
  ck_assert_msg(run->status == 0, "status %d, stderr: %s", run->status, run->err);
  GStrv lines = command_rows(run);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    memmove(lines[i], row_from_command(lines[i]), strlen(row_from_command(lines[i])) + 1);
  return lines;
}

START_TEST(nobody_listening_gives_the_servers_425_and_the_session_lives)
{
  FakeServer server;
  ProbeRun run;
  const char *extra[] = {"--set", "client.start_port=5000", "--commands", "1", "--no-listen", NULL};
  g_auto(GStrv) rows = probe_rows(FAKE_GOOD, extra, &server, &run);
  ck_assert_uint_eq(g_strv_length(rows), 1 + 3 + 1);
  ck_assert_str_eq(rows[1], "PORT,5000,200,1,PORT command successful. Consider using PASV.,,,127.0.0.1,0,0,,,,,0,0");
  ck_assert_str_eq(rows[2], "NLST,5000,425,0,Failed to establish connection.,,,127.0.0.1,0,,,,,0,0,0");
  ck_assert_str_eq(rows[3], "NOOP,5000,200,1,NOOP ok.,,,127.0.0.1,0,,,,,,0,0");
  probe_run_clear(&run);
}
END_TEST

START_TEST(data_command_after_a_refusal_records_the_servers_answer)
{
  FakeServer server;
  ProbeRun run;
  const char *extra[] = {"--set",     "client.start_port=1000", "--commands", "1", "--command", "EPRT", "--address",
                         "127.0.0.2", "--data-after-refusal",   NULL};
  g_auto(GStrv) rows = probe_rows(FAKE_GOOD, extra, &server, &run);
  ck_assert_uint_eq(g_strv_length(rows), 1 + 3 + 1);
  ck_assert_str_eq(rows[1], "EPRT,1000,500,0,Illegal EPRT command.,,,127.0.0.2,1,0,,,,,0,0");
  ck_assert_str_eq(rows[2], "NLST,1000,425,0,Use PORT or PASV first.,,,127.0.0.2,1,,,,,0,0,0");
  ck_assert_str_eq(rows[3], "NOOP,1000,200,1,NOOP ok.,,,127.0.0.2,1,,,,,,0,0");
  probe_run_clear(&run);
}
END_TEST

START_TEST(connection_before_the_port_reply_is_recorded)
{
  FakeServer server;
  ProbeRun run;
  const char *extra[] = {
      "--set", "client.start_port=5001", "--commands", "1", "--data-command", "RETR", "--file", "a.txt", NULL};
  g_auto(GStrv) rows = probe_rows(FAKE_CONNECT_FIRST, extra, &server, &run);
  ck_assert_uint_eq(g_strv_length(rows), 1 + 3 + 1);
  ck_assert_str_eq(rows[1], "PORT,5001,200,1,Active data connection established.,,,127.0.0.1,1,1,,,,,0,0");
  g_autofree gchar *retr = g_strdup_printf("RETR,5001,226,1,Directory send OK.,,,127.0.0.1,1,,125,Data connection "
                                           "already open. Transfer starting.,127.0.0.1:%u,19,0,0",
                                           (guint)server.data_source_port);
  ck_assert_str_eq(rows[2], retr);
  probe_run_clear(&run);
}
END_TEST

START_TEST(connect_first_server_with_nobody_listening_refuses_the_port_itself)
{
  FakeServer server;
  ProbeRun run;
  const char *extra[] = {"--set", "client.start_port=5002", "--commands", "1", "--no-listen", NULL};
  g_auto(GStrv) rows = probe_rows(FAKE_CONNECT_FIRST, extra, &server, &run);
  ck_assert_uint_eq(g_strv_length(rows), 1 + 2 + 1); /* refused: no data command, NOOP */
  ck_assert_str_eq(rows[1], "PORT,5002,425,0,Can't connect to specified address.,,,127.0.0.1,0,0,,,,,0,0");
  probe_run_clear(&run);
}
END_TEST

START_TEST(server_closing_after_the_data_command_ends_the_session)
{
  FakeServer server;
  ProbeRun run;
  const char *extra[] = {"--set", "client.start_port=1000", "--commands", "3", NULL};
  g_auto(GStrv) rows = probe_rows(FAKE_OOPS, extra, &server, &run);
  /* One step only: the session closed, so ports 1001 and 1002 are never named. */
  ck_assert_uint_eq(g_strv_length(rows), 1 + 3 + 1);
  ck_assert_str_eq(rows[2], "NLST,1000,500,0,OOPS: Illegal port request,,,127.0.0.1,1,,,,,0,0,0");
  ck_assert_str_eq(rows[3], "NOOP,1000,,0,,,,127.0.0.1,1,,,,,,0,1");
  probe_run_clear(&run);
}
END_TEST

START_TEST(server_holding_after_150_is_a_stall_within_the_timeout)
{
  FakeServer server;
  ProbeRun run;
  const char *extra[] = {"--set", "client.start_port=1000", "--commands", "2", "--data-after-refusal", NULL};
  g_auto(GStrv) rows = probe_rows(FAKE_HOLD, extra, &server, &run);
  ck_assert_uint_eq(g_strv_length(rows), 1 + 2 + 1);
  ck_assert_str_eq(rows[2], "NLST,1000,,0,,,,127.0.0.1,1,,150,File status okay. About to open data connection.,,0,1,0");
  ck_assert_msg(run.seconds >= 0.5 && run.seconds < 3, "took %.2f s", run.seconds);
  probe_run_clear(&run);
}
END_TEST

START_TEST(bad_follow_up_options_are_usage_errors)
{
  FakeServer server = {.port = 9}; /* no server: refused before any connection */
  const char *data_command[] = {"--data-command", "LIST", NULL};
  ProbeRun run = run_probe(&server, data_command);
  ck_assert_int_eq(run.status, 2);
  ck_assert_str_eq(run.err, "ftpsim: --data-command: 'LIST' (accepted: NLST, RETR)\n");
  probe_run_clear(&run);
  const char *no_file[] = {"--data-command", "RETR", NULL};
  run = run_probe(&server, no_file);
  ck_assert_int_eq(run.status, 2);
  ck_assert_str_eq(run.err,
                   "ftpsim: --file: missing (accepted: a file name on one line, with --data-command RETR only)\n");
  probe_run_clear(&run);
}
END_TEST

START_TEST(eprt_mismatch_is_reported_and_exits_3)
{
  FakeServer server;
  fake_server_start(&server, FAKE_GOOD);
  /* pure-ftpd answers 501 to a port below 1024; this server answers 500, as vsftpd does. */
  const char *extra[] = {
      "--set", "client.start_port=1023", "--commands", "2", "--command", "EPRT", "--expect", "pure-ftpd", NULL};
  ProbeRun run = run_probe(&server, extra);
  fake_server_stop(&server);
  ck_assert_int_eq(run.status, 3);
  ck_assert_ptr_nonnull(strstr(run.out, "mismatch: EPRT 127.0.0.1 port 1023: server 500 \"Illegal EPRT command.\", "
                                        "model pure-ftpd 501"));
  /* 1024: pure-ftpd says "PORT command successful" even to EPRT, so the text differs too. */
  ck_assert_ptr_nonnull(strstr(run.out, "agreement with pure-ftpd: 0/2 replies"));
  probe_run_clear(&run);
}
END_TEST

static void assert_fails(FakeMode mode, const char *message)
{
  FakeServer server;
  fake_server_start(&server, mode);
  const char *extra[] = {"--commands", "1", NULL};
  ProbeRun run = run_probe(&server, extra);
  fake_server_stop(&server);
  ck_assert_msg(run.status == 1, "status %d", run.status);
  ck_assert_msg(strstr(run.err, message) != NULL, "stderr '%s' lacks '%s'", run.err, message);
  ck_assert_msg(g_str_has_prefix(run.err, "ftpsim: ") && strchr(run.err, '\n') == run.err + strlen(run.err) - 1,
                "not one line: '%s'", run.err);
  g_autofree gchar *commands = read_output(&run, "commands.csv");
  ck_assert_ptr_null(commands); /* nothing half-written */
  probe_run_clear(&run);
}

START_TEST(garbage_reply_is_an_error)
{
  assert_fails(FAKE_GARBAGE, "not an FTP reply");
}
END_TEST

START_TEST(early_close_is_an_error)
{
  assert_fails(FAKE_CLOSE_AFTER_USER, "closed the connection");
}
END_TEST

START_TEST(stall_times_out)
{
  assert_fails(FAKE_STALL, "timed out after 0.5 s");
}
END_TEST

START_TEST(endless_multi_line_reply_times_out)
{
  /* 20 lines a second never end the reply: the whole reply has one deadline, not each line. */
  assert_fails(FAKE_DRIP, "timed out after 0.5 s");
}
END_TEST

START_TEST(foreign_address_refused_before_connecting)
{
  FakeServer server = {.port = 9}; /* no server: the probe must refuse before any connection */
  const char *extra[] = {"--address", "192.0.2.1", NULL};
  ProbeRun run = run_probe(&server, extra);
  ck_assert_int_eq(run.status, 2);
  ck_assert_str_eq(run.err,
                   "ftpsim: --address: '192.0.2.1' is not a loopback address (accepted: 127.0.0.0/8 only, against "
                   "the FTP bounce attack)\n");
  g_autofree gchar *out = g_build_filename(run.dir, "out", NULL);
  ck_assert(!g_file_test(out, G_FILE_TEST_EXISTS));
  probe_run_clear(&run);
}
END_TEST

static Suite *probe_suite(void)
{
  Suite *suite = suite_create("probe");
  TCase *tc = tcase_create("fake_server");
  tcase_set_timeout(tc, 20);
  tcase_add_test(tc, good_server_ramp_matches_vsftpd_model);
  tcase_add_test(tc, eprt_mismatch_is_reported_and_exits_3);
  tcase_add_test(tc, nobody_listening_gives_the_servers_425_and_the_session_lives);
  tcase_add_test(tc, data_command_after_a_refusal_records_the_servers_answer);
  tcase_add_test(tc, connection_before_the_port_reply_is_recorded);
  tcase_add_test(tc, connect_first_server_with_nobody_listening_refuses_the_port_itself);
  tcase_add_test(tc, server_closing_after_the_data_command_ends_the_session);
  tcase_add_test(tc, server_holding_after_150_is_a_stall_within_the_timeout);
  tcase_add_test(tc, bad_follow_up_options_are_usage_errors);
  tcase_add_test(tc, garbage_reply_is_an_error);
  tcase_add_test(tc, early_close_is_an_error);
  tcase_add_test(tc, stall_times_out);
  tcase_add_test(tc, endless_multi_line_reply_times_out);
  tcase_add_test(tc, foreign_address_refused_before_connecting);
  suite_add_tcase(suite, tc);
  return suite;
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    fprintf(stderr, "usage: %s PATH-TO-FTPSIM\n", argv[0]);
    return 2;
  }
  ftpsim_path = argv[1];
  return check_main(probe_suite);
}
