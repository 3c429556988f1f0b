/* ftpsim probe against a tiny fake FTP server run in this test (loopback, one thread): a well-behaved
 * one that refuses ports below 1024 like vsftpd and serves NLST, and misbehaving ones - garbage,
 * early close, a stall - that must give a one-line error within the timeout, never a hang. */
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

typedef enum { FAKE_GOOD, FAKE_GARBAGE, FAKE_CLOSE_AFTER_USER, FAKE_STALL, FAKE_DRIP } FakeMode;

typedef struct {
  FakeMode mode;
  int listen_fd;
  guint16 port;
  GThread *thread;
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

static void serve_nlst(int control, guint32 address, guint16 port)
{
  int data = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(address), .sin_port = htons(port)};
  if (connect(data, (struct sockaddr *)&sa, sizeof sa) != 0) {
    send_text(control, "425 Can't open data connection.\r\n");
    close(data);
    return;
  }
  send_text(control, "150 Here comes the directory listing.\r\n");
  send_text(data, "a.txt\r\nb.txt\r\n");
  close(data);
  send_text(control, "226 Directory send OK.\r\n");
}

/* A vsftpd look-alike: PORT/EPRT to a port below 1024 or a foreign address gets 500. */
static void serve_good(int fd)
{
  send_text(fd, "220-fake FTP server\r\n220-second line\r\n220 ready\r\n");
  char line[512];
  guint32 port_address = 0;
  guint16 port = 0;
  while (read_line(fd, line, sizeof line)) {
    guint a, b, c, d, p1, p2, eport;
    char dotted[64];
    if (g_str_has_prefix(line, "USER"))
      send_text(fd, "331 Please specify the password.\r\n");
    else if (g_str_has_prefix(line, "PASS"))
      send_text(fd, "230 Login successful.\r\n");
    else if (sscanf(line, "PORT %u,%u,%u,%u,%u,%u", &a, &b, &c, &d, &p1, &p2) == 6) {
      port_address = (a << 24) | (b << 16) | (c << 8) | d;
      port = (guint16)(p1 * 256 + p2);
      send_text(fd, port < 1024 || port_address != 0x7f000001u
                        ? "500 Illegal PORT command.\r\n"
                        : "200 PORT command successful. Consider using PASV.\r\n");
    } else if (sscanf(line, "EPRT |1|%63[0-9.]|%u|", dotted, &eport) == 2) {
      inet_pton(AF_INET, dotted, &port_address);
      port_address = ntohl(port_address);
      port = (guint16)eport;
      send_text(fd, port < 1024 || port_address != 0x7f000001u
                        ? "500 Illegal EPRT command.\r\n"
                        : "200 EPRT command successful. Consider using EPSV.\r\n");
    } else if (g_str_has_prefix(line, "NLST"))
      serve_nlst(fd, port_address, port);
    else if (g_str_has_prefix(line, "QUIT")) {
      send_text(fd, "221 Goodbye.\r\n");
      break;
    } else
      send_text(fd, "500 Unknown command.\r\n");
  }
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
      serve_good(fd);
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

START_TEST(good_server_ramp_matches_vsftpd_model)
{
  FakeServer server;
  fake_server_start(&server, FAKE_GOOD);
  const char *extra[] = {"--set", "client.start_port=1022", "--commands", "4", "--expect", "vsftpd", NULL};
  ProbeRun run = run_probe(&server, extra);
  fake_server_stop(&server);
  ck_assert_msg(run.status == 0, "status %d, stderr: %s", run.status, run.err);
  ck_assert_ptr_nonnull(strstr(run.out, "agreement with vsftpd: 4/4 replies"));
  g_autofree gchar *commands = read_output(&run, "commands.csv");
  ck_assert_ptr_nonnull(commands);
  g_auto(GStrv) lines = g_strsplit(commands, "\n", -1);
  /* header, 2 rejected PORTs, 2 x (PORT + NLST), then the final empty string */
  ck_assert_uint_eq(g_strv_length(lines), 1 + 2 + 4 + 1);
  ck_assert_str_eq(lines[0], "time,session,client_host,server_host,command,port,reply_code,accepted,reply_text,"
                             "expected_code,expected_text");
  g_autofree gchar *server_text = g_strdup_printf("127.0.0.1:%u", (guint)server.port);
  g_autofree gchar *want1 =
      g_strdup_printf(",1,127.0.0.1,%s,PORT,1022,500,0,Illegal PORT command.,500,Illegal PORT command.", server_text);
  g_autofree gchar *want3 = g_strdup_printf(",1,127.0.0.1,%s,PORT,1024,200,1,", server_text);
  g_autofree gchar *want4 = g_strdup_printf(",1,127.0.0.1,%s,NLST,1024,226,1,Directory send OK.,,", server_text);
  ck_assert_ptr_nonnull(strstr(lines[1], want1));
  ck_assert_ptr_nonnull(strstr(lines[3], want3));
  ck_assert_ptr_nonnull(strstr(lines[4], want4));
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
