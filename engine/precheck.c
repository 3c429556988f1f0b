#define _GNU_SOURCE /* memfd_create */
#include "precheck.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <xbt/dynar.h>

#include "scenario.h"

static void placeholder_actor(int argc, char *argv[])
{
  (void)argc;
  (void)argv;
}

/* Markers the child writes around each route lookup, which crashes when there is no route. */
#define ROUTE_MARK "ftpsim-route: "
#define ROUTE_DONE "ftpsim-route-ok"

static gboolean route_exists(const char *from, const char *to)
{
  xbt_dynar_t links = xbt_dynar_new(sizeof(void *), NULL);
  sg_host_get_route(sg_host_by_name(from), sg_host_by_name(to), links);
  gboolean found = xbt_dynar_length(links) > 0;
  xbt_dynar_free(&links);
  return found;
}

static void check_route(const char *from, const char *to)
{
  fprintf(stderr, ROUTE_MARK "%s %s\n", from, to);
  fflush(stderr);
  if (!route_exists(from, to))
    _exit(3);
  fprintf(stderr, ROUTE_DONE "\n");
  fflush(stderr);
}

static G_NORETURN void child_load(const char *platform_path, const char *deployment_path, char **simgrid_args,
                                  const GPtrArray *route_pairs)
{
  int argc = (int)g_strv_length(simgrid_args);
  simgrid_init(&argc, simgrid_args);
  simgrid_load_platform(platform_path);
  if (deployment_path != NULL) {
    simgrid_register_function(DEPLOY_FUNCTION_CLIENT, placeholder_actor);
    simgrid_load_deployment(deployment_path);
  }
  for (guint i = 0; route_pairs != NULL && i + 1 < route_pairs->len; i += 2) {
    check_route(g_ptr_array_index(route_pairs, i), g_ptr_array_index(route_pairs, i + 1));
    check_route(g_ptr_array_index(route_pairs, i + 1), g_ptr_array_index(route_pairs, i));
  }
  _exit(0);
}

static gchar *no_route_message(const char *from, const char *to)
{
  return g_strdup_printf("no route from host '%s' to host '%s' (each client host needs a <route> to its server, "
                         "both ways)",
                         from, to);
}

/* "no route from A to B" when the child died inside a route lookup. */
static gchar *missing_route(const char *output)
{
  const char *mark = NULL;
  for (const char *p = strstr(output, ROUTE_MARK); p != NULL; p = strstr(p + 1, ROUTE_MARK))
    mark = p;
  if (mark == NULL || strstr(mark, ROUTE_DONE) != NULL)
    return NULL;
  g_autofree gchar *pair = g_strndup(mark + strlen(ROUTE_MARK), strcspn(mark + strlen(ROUTE_MARK), "\n"));
  g_auto(GStrv) hosts = g_strsplit(pair, " ", 2);
  return no_route_message(hosts[0], hosts[1] ? hosts[1] : "?");
}

static const char *skip_log_prefix(const char *line)
{
  /* "./src/xbt/exception.cpp:48: " names SimGrid's source, not the user's problem. */
  const char *source = strstr(line, ".cpp:");
  if (source != NULL && (source = strstr(source, ": ")) != NULL)
    line = source + 2;
  /* "[host:actor:(pid) time] [category/LEVEL] message" or "[time] [category/LEVEL] message" */
  while (*line == '[') {
    const char *close = strchr(line, ']');
    if (close == NULL)
      break;
    line = close + 1;
    while (*line == ' ')
      line++;
  }
  return line;
}

gchar *simgrid_failure_line(const char *output)
{
  g_auto(GStrv) lines = g_strsplit(output, "\n", -1);
  const char *best = NULL;
  int best_rank = 0;
  for (guint i = 0; lines[i] != NULL; i++) {
    g_strstrip(lines[i]);
    const char *line = lines[i];
    if (*line == '\0')
      continue;
    int rank = 1;
    const char *what = strstr(line, "what():");
    if (what != NULL) {
      line = what + strlen("what():");
      rank = 5;
    } else if (strstr(line, "Parse error") != NULL) {
      rank = 4;
    } else if (strstr(line, "/CRITICAL]") != NULL || strstr(line, "/ERROR]") != NULL) {
      rank = 3;
    } else if (strstr(line, "/INFO]") != NULL || strstr(line, "/VERBOSE]") != NULL ||
               g_str_has_prefix(line, "Backtrace") || g_str_has_prefix(line, "->") ||
               strstr(line, "terminate called") != NULL) {
      rank = 0;
    }
    if (rank > best_rank) {
      best_rank = rank;
      best = line;
    }
  }
  if (best == NULL)
    return g_strdup("SimGrid could not load it (no message)");
  const char *text_start = skip_log_prefix(best);
  if (g_str_has_prefix(text_start, "Uncaught exception "))
    text_start += strlen("Uncaught exception ");
  gchar *text = g_strdup(text_start);
  return g_strstrip(text);
}

gboolean simgrid_precheck(const char *platform_path, const char *deployment_path, char **simgrid_args,
                          const GPtrArray *route_pairs, GError **error)
{
  int fds[2];
  if (pipe(fds) != 0) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot check the platform: pipe: %s", g_strerror(errno));
    return FALSE;
  }
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot check the platform: fork: %s", g_strerror(errno));
    return FALSE;
  }
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[1]);
    child_load(platform_path, deployment_path, simgrid_args, route_pairs);
  }
  close(fds[1]);
  GString *output = g_string_new(NULL);
  char buf[4096];
  for (;;) {
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n > 0)
      g_string_append_len(output, buf, n);
    else if (n == 0 || errno != EINTR)
      break;
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  gboolean ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!ok) {
    g_autofree gchar *route = missing_route(output->str);
    g_autofree gchar *line = route ? NULL : simgrid_failure_line(output->str);
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s", route ? route : line);
  }
  g_string_free(output, TRUE);
  return ok;
}

/* Where SimGrid's abort (xbt_die, or std::terminate on an uncaught exception) lands while
 * simgrid_load_checked() runs, and the segmentation fault of a route lookup between hosts that have no
 * route (SimGrid 3.32 dereferences the missing route). A handler may leave by not returning. */
static sigjmp_buf load_aborted;

static void leave_aborted_load(int signal_number)
{
  (void)signal_number;
  siglongjmp(load_aborted, 1);
}

static gchar *read_whole_fd(int fd)
{
  GString *text = g_string_new(NULL);
  char buf[4096];
  if (lseek(fd, 0, SEEK_SET) == 0) {
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
      if (n > 0)
        g_string_append_len(text, buf, n);
  }
  return g_string_free(text, FALSE);
}

gboolean simgrid_load_checked(int *argc, char **argv, const char *platform_path, const GPtrArray *route_pairs,
                              GError **error)
{
  int capture = memfd_create("ftpsim-simgrid-load", MFD_CLOEXEC);
  int saved_stderr = capture < 0 ? -1 : dup(STDERR_FILENO);
  if (capture < 0 || saved_stderr < 0) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot capture SimGrid's messages: %s", g_strerror(errno));
    if (capture >= 0)
      close(capture);
    return FALSE;
  }
  fflush(stderr);
  dup2(capture, STDERR_FILENO);
  struct sigaction on_abort = {.sa_handler = leave_aborted_load}, previous;
  /* static: written between sigsetjmp and a siglongjmp, read after it */
  static struct sigaction previous_segv;
  previous_segv = (struct sigaction){.sa_handler = SIG_DFL};
  sigemptyset(&on_abort.sa_mask);
  sigaction(SIGABRT, &on_abort, &previous);

  /* volatile: read after siglongjmp, written between sigsetjmp and it */
  volatile guint checking_pair = G_MAXUINT;
  volatile gboolean checking_backward = FALSE;
  volatile gboolean aborted = FALSE;
  guint pairs = route_pairs ? route_pairs->len / 2 : 0;
  if (sigsetjmp(load_aborted, 1) == 0) {
    simgrid_init(argc, argv);
    simgrid_load_platform(platform_path);
    sigaction(SIGSEGV, &on_abort, &previous_segv); /* after simgrid_init, which installs its own */
    for (guint i = 0; i < pairs; i++) {
      checking_pair = i;
      checking_backward = FALSE;
      if (!route_exists(g_ptr_array_index(route_pairs, 2 * i), g_ptr_array_index(route_pairs, 2 * i + 1)))
        break;
      checking_backward = TRUE;
      if (!route_exists(g_ptr_array_index(route_pairs, 2 * i + 1), g_ptr_array_index(route_pairs, 2 * i)))
        break;
      checking_pair = G_MAXUINT;
    }
  } else {
    aborted = TRUE;
  }

  sigaction(SIGABRT, &previous, NULL);
  sigaction(SIGSEGV, &previous_segv, NULL);
  fflush(stderr);
  dup2(saved_stderr, STDERR_FILENO);
  close(saved_stderr);
  g_autofree gchar *output = read_whole_fd(capture);
  close(capture);

  if (checking_pair != G_MAXUINT) {
    const char *client = g_ptr_array_index(route_pairs, 2 * checking_pair);
    const char *server = g_ptr_array_index(route_pairs, 2 * checking_pair + 1);
    g_autofree gchar *message = checking_backward ? no_route_message(server, client) : no_route_message(client, server);
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s", message);
    return FALSE;
  }
  if (aborted) {
    g_autofree gchar *line = simgrid_failure_line(output);
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s", line);
    return FALSE;
  }
  /* A load that succeeds may still have warned: pass that on. */
  fputs(output, stderr);
  return TRUE;
}
