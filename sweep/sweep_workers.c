/* The worker processes: fork, wait, keep or report each run, stop on a signal (sweep_workers.h). */
#define _GNU_SOURCE /* memfd_create */
#include "sweep_workers.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "commands.h"
#include "run_request.h"
#include "simulate.h"
#include "sweep_failures.h"
#include "sweep_run_request.h"
#include "sweep_weight.h"

typedef struct Worker {
  pid_t pid; /* 0: free */
  guint64 point, rep, seed;
  gchar *temp_dir;
  int running_fd; /* the lock that says the run is in progress (sweep_runs.h) */
  int stderr_fd;  /* the run's standard error: an in-memory file, read if the run fails */
} Worker;

static gboolean start_worker(Sweep *sweep, Worker *worker, GError **error)
{
  worker->temp_dir = sweep_temp_run_dir(&sweep->runs, worker->point, worker->rep);
  if (g_mkdir_with_parents(worker->temp_dir, 0777) != 0)
    return sweep_errno_error(error, "create", worker->temp_dir);
  worker->running_fd = sweep_lock_running(worker->temp_dir);
  if (worker->running_fd < 0)
    return sweep_errno_error(error, "lock", worker->temp_dir);
  const char *working_dir = NULL;
  g_autoptr(RunRequest) request =
      sweep_run_request(sweep->plan, worker->point, worker->seed, worker->temp_dir, &working_dir);
  int stderr_fd = memfd_create("ftpsim-run-stderr", MFD_CLOEXEC);
  if (stderr_fd < 0)
    return sweep_errno_error(error, "create the standard error of a run in", worker->temp_dir);
  pid_t parent = getpid();
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    close(stderr_fd);
    return sweep_errno_error(error, "start a run in", worker->temp_dir);
  }
  if (pid == 0) {
    /* A worker dies with the sweep (kill -9 of the sweep alone leaves no orphan writing). */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
      _exit(127);

    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    int null_fd = open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
      dup2(null_fd, STDIN_FILENO);
      dup2(null_fd, STDOUT_FILENO);
    }
    dup2(stderr_fd, STDERR_FILENO);
    if (working_dir != NULL && chdir(working_dir) != 0) {
      dprintf(STDERR_FILENO, "ftpsim: cannot enter '%s': %s\n", working_dir, g_strerror(errno));
      _exit(EXIT_RUN_FAILED);
    }
    /* The run happens in this fork of the sweep, which has loaded and relocated SimGrid already:
     * exec'ing ftpsim again cost 60 ms a run in dynamic linking alone, most of a small run. The fork
     * is also this very program's image even if its file was rebuilt since the sweep began, so every
     * run of a sweep is made by the same binary. SimGrid is never initialised in the sweep itself. */
    int status = run_simulation(request);
    fflush(NULL);
    _exit(status);
  }
  worker->stderr_fd = stderr_fd;
  worker->pid = pid;
  return TRUE;
}

static gchar *first_line_of_stderr(int stderr_fd)
{
  char text[1024];
  ssize_t length = pread(stderr_fd, text, sizeof text - 1, 0);
  if (length <= 0)
    return g_strdup("no error message");
  text[length] = '\0';
  gchar *line = g_strndup(text, strcspn(text, "\n"));
  if (g_str_has_prefix(line, "ftpsim: "))
    memmove(line, line + 8, strlen(line + 8) + 1);
  return line;
}

static void record_failure(Sweep *sweep, const Worker *worker, const char *reason)
{
  g_autofree gchar *where = sweep_plan_point_description(sweep->plan, worker->point);
  sweep_progress_clear_line(&sweep->progress);
  fprintf(stderr,
          "ftpsim: run failed: point %" G_GUINT64_FORMAT " rep %" G_GUINT64_FORMAT " seed %" G_GUINT64_FORMAT
          " (%s): %s\n",
          worker->point, worker->rep, worker->seed, where, reason);
  gchar *row = sweep_failure_row(worker->point, worker->rep, worker->seed, where, reason);
  g_ptr_array_add(sweep->failures, row);
  /* For --status and --collect, whichever process of the sweep asks. */
  g_autofree gchar *record = sweep_failed_record_path(&sweep->runs, worker->point, worker->rep);
  g_autofree gchar *text = g_strconcat(row, "\n", NULL);
  g_file_set_contents(record, text, -1, NULL);
}

/* The worker's slot is free again; its folder goes unless it was kept. */
static void release_worker(Worker *worker)
{
  if (worker->running_fd >= 0)
    close(worker->running_fd);
  worker->running_fd = -1;
  if (worker->temp_dir != NULL)
    sweep_remove_run_dir(worker->temp_dir);
  g_clear_pointer(&worker->temp_dir, g_free);
  close(worker->stderr_fd);
  worker->stderr_fd = -1;
  worker->pid = 0;
}

/* A worker ended: keep its folder and journal it, or report why it failed. */
static gboolean finish_worker(Sweep *sweep, Worker *worker, int status, gboolean interrupted, GError **error)
{
  g_autofree gchar *summary = g_build_filename(worker->temp_dir, "summary.csv", NULL);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && g_file_test(summary, G_FILE_TEST_IS_REGULAR)) {
    g_autofree gchar *final_dir = sweep_run_dir(&sweep->runs, worker->point, worker->rep);
    if (g_file_test(final_dir, G_FILE_TEST_EXISTS))
      sweep_remove_run_dir(final_dir); /* left by a sweep killed between rename and journal */
    sweep_unlock_running(worker->temp_dir, worker->running_fd);
    worker->running_fd = -1;
    if (g_rename(worker->temp_dir, final_dir) != 0)
      return sweep_errno_error(error, "keep the run folder", final_dir);
    if (!sweep_journal_append(&sweep->journal, worker->point, worker->rep, worker->seed, error))
      return FALSE;
    sweep_runs_mark_done(&sweep->runs, worker->point, worker->rep);
    g_autofree gchar *record = sweep_failed_record_path(&sweep->runs, worker->point, worker->rep);
    g_unlink(record);                           /* an earlier failure of this run is history */
    g_clear_pointer(&worker->temp_dir, g_free); /* renamed: nothing to remove */
  } else if (!(interrupted && WIFSIGNALED(status))) {
    g_autofree gchar *reason = NULL;
    if (WIFSIGNALED(status))
      reason = g_strdup_printf("killed by signal %d (%s)", WTERMSIG(status), g_strsignal(WTERMSIG(status)));
    else {
      g_autofree gchar *message = first_line_of_stderr(worker->stderr_fd);
      reason = g_strdup_printf("exit status %d: %s", WIFEXITED(status) ? WEXITSTATUS(status) : -1, message);
    }
    record_failure(sweep, worker, reason);
  }
  sweep->progress.weight_done += sweep_point_weight(sweep->plan, worker->point);
  release_worker(worker);
  return TRUE;
}

static volatile sig_atomic_t interrupt_signal;

int sweep_interrupt_signal(void)
{
  return interrupt_signal;
}

static void on_interrupt(int signal_number)
{
  interrupt_signal = signal_number;
}

static void install_interrupt_handlers(void)
{
  struct sigaction action = {0};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0; /* no SA_RESTART: waitpid returns on a signal */
  sigaction(SIGINT, &action, NULL);
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGHUP, &action, NULL);
}

static void show_progress(Sweep *sweep, gboolean final)
{
  sweep_progress_show(&sweep->progress, sweep->runs.done_count + sweep->failures->len, sweep->failures->len, final);
}

gboolean sweep_run_workers(Sweep *sweep, guint jobs, GError **error)
{
  g_autofree Worker *workers = g_new0(Worker, jobs);
  for (guint i = 0; i < jobs; i++)
    workers[i].running_fd = workers[i].stderr_fd = -1;
  guint running = 0;
  guint64 next = 0; /* index into (point, rep) order */
  gboolean ok = TRUE;
  install_interrupt_handlers();
  for (guint64 index = 0; index < sweep->runs.count; index++)
    if (!sweep->runs.done[index] && (sweep->selected == NULL || sweep->selected[index]))
      sweep->progress.weight_left += sweep_point_weight(sweep->plan, index / sweep->plan->reps);
  show_progress(sweep, FALSE);
  while (TRUE) {
    while (ok && !interrupt_signal && running < jobs && next < sweep->runs.count) {
      guint64 index = next++;
      if (sweep->runs.done[index] || (sweep->selected != NULL && !sweep->selected[index]))
        continue;
      Worker *worker = NULL;
      for (guint i = 0; i < jobs && worker == NULL; i++)
        if (workers[i].pid == 0)
          worker = &workers[i];
      worker->point = index / sweep->plan->reps;
      worker->rep = index % sweep->plan->reps;
      worker->seed = sweep_seed(sweep->plan->seed, worker->point, worker->rep);
      if (!start_worker(sweep, worker, error)) {
        ok = FALSE;
        break;
      }
      running++;
    }
    if (running == 0)
      break;
    int status = 0;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) {
        for (guint i = 0; i < jobs; i++)
          if (workers[i].pid > 0)
            kill(workers[i].pid, SIGTERM);
        continue;
      }
      return sweep_errno_error(error, "wait for the runs of", sweep->runs.out_dir);
    }
    for (guint i = 0; i < jobs; i++) {
      if (workers[i].pid != pid)
        continue;
      running--;
      if (ok && !finish_worker(sweep, &workers[i], status, interrupt_signal != 0, error))
        ok = FALSE;
      else if (workers[i].pid != 0) /* after an error: just tidy up */
        release_worker(&workers[i]);
      show_progress(sweep, FALSE);
    }
  }
  return ok;
}
