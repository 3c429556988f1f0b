/* DIR/runs/: the run folders and which runs are finished (sweep_runs.h). */
#include "sweep_runs.h"

#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

void sweep_runs_init(SweepRuns *runs, const char *out_dir, guint64 points, guint64 reps)
{
  *runs = (SweepRuns){.points = points, .reps = reps, .count = points * reps, .out_dir = g_strdup(out_dir)};
  g_autofree gchar *absolute_out = g_canonicalize_filename(out_dir, NULL);
  runs->runs_dir = g_build_filename(absolute_out, "runs", NULL);
  runs->done = g_new0(guint8, runs->count);
}

void sweep_runs_clear(SweepRuns *runs)
{
  g_clear_pointer(&runs->out_dir, g_free);
  g_clear_pointer(&runs->runs_dir, g_free);
  g_clear_pointer(&runs->done, g_free);
}

gboolean sweep_runs_is_done(const SweepRuns *runs, guint64 point, guint64 rep)
{
  return runs->done[point * runs->reps + rep] != 0;
}

void sweep_runs_mark_done(SweepRuns *runs, guint64 point, guint64 rep)
{
  guint8 *flag = &runs->done[point * runs->reps + rep];
  if (*flag)
    return;
  *flag = 1;
  runs->done_count++;
}

gchar *sweep_run_dir(const SweepRuns *runs, guint64 point, guint64 rep)
{
  g_autofree gchar *name = g_strdup_printf("p%" G_GUINT64_FORMAT "-r%" G_GUINT64_FORMAT, point, rep);
  return g_build_filename(runs->runs_dir, name, NULL);
}

gchar *sweep_temp_run_dir(const SweepRuns *runs, guint64 point, guint64 rep)
{
  g_autofree gchar *name = g_strdup_printf(".tmp-p%" G_GUINT64_FORMAT "-r%" G_GUINT64_FORMAT "-%s-%ld", point, rep,
                                           g_get_host_name(), (long)getpid());
  return g_build_filename(runs->runs_dir, name, NULL);
}

#define RUNNING_NAME ".running"

static struct flock whole_file_lock(short type)
{
  struct flock lock = {0};
  lock.l_type = type;
  lock.l_whence = SEEK_SET;
  return lock;
}

int sweep_lock_running(const char *temp_dir)
{
  g_autofree gchar *path = g_build_filename(temp_dir, RUNNING_NAME, NULL);
  int fd = g_open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  struct flock lock = whole_file_lock(F_WRLCK);
  if (fd >= 0 && fcntl(fd, F_SETLK, &lock) != 0) {
    int saved = errno;
    close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

void sweep_unlock_running(const char *temp_dir, int fd)
{
  g_autofree gchar *path = g_build_filename(temp_dir, RUNNING_NAME, NULL);
  g_unlink(path);
  if (fd >= 0)
    close(fd);
}

gboolean sweep_temp_dir_is_running(const char *temp_dir)
{
  g_autofree gchar *path = g_build_filename(temp_dir, RUNNING_NAME, NULL);
  int fd = g_open(path, O_RDWR | O_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;
  struct flock lock = whole_file_lock(F_WRLCK);
  gboolean running = fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK;
  close(fd);
  return running;
}

gboolean sweep_parse_run_name(const char *name, const char *prefix, guint64 *point, guint64 *rep)
{
  if (!g_str_has_prefix(name, prefix))
    return FALSE;
  char *end = NULL;
  const char *text = name + strlen(prefix);
  if (!g_ascii_isdigit(text[0]))
    return FALSE;
  *point = g_ascii_strtoull(text, &end, 10);
  if (strncmp(end, "-r", 2) != 0 || !g_ascii_isdigit(end[2]))
    return FALSE;
  *rep = g_ascii_strtoull(end + 2, &end, 10);
  return TRUE;
}

gchar *sweep_failed_record_path(const SweepRuns *runs, guint64 point, guint64 rep)
{
  g_autofree gchar *name = g_strdup_printf("p%" G_GUINT64_FORMAT "-r%" G_GUINT64_FORMAT ".failed", point, rep);
  return g_build_filename(runs->runs_dir, name, NULL);
}

void sweep_remove_run_dir(const char *path)
{
  GDir *dir = g_dir_open(path, 0, NULL);
  if (dir != NULL) {
    const char *name;
    while ((name = g_dir_read_name(dir)) != NULL) {
      g_autofree gchar *file = g_build_filename(path, name, NULL);
      g_unlink(file);
    }
    g_dir_close(dir);
  }
  g_rmdir(path);
}

void sweep_remove_stale_temp_dirs(const char *runs_dir)
{
  GDir *dir = g_dir_open(runs_dir, 0, NULL);
  if (dir == NULL)
    return;
  const char *name;
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func(g_free);
  while ((name = g_dir_read_name(dir)) != NULL)
    if (g_str_has_prefix(name, ".tmp-"))
      g_ptr_array_add(stale, g_build_filename(runs_dir, name, NULL));
  g_dir_close(dir);
  for (guint i = 0; i < stale->len; i++)
    sweep_remove_run_dir(g_ptr_array_index(stale, i));
}

gboolean sweep_errno_error(GError **error, const char *what, const char *path)
{
  int saved = errno;
  g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot %s '%s': %s", what, path, g_strerror(saved));
  return FALSE;
}

void sweep_remove_stale_temp_dirs_of(const SweepRuns *runs, const guint8 *selected)
{
  GDir *dir = g_dir_open(runs->runs_dir, 0, NULL);
  if (dir == NULL)
    return;
  const char *name;
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func(g_free);
  while ((name = g_dir_read_name(dir)) != NULL) {
    guint64 point, rep;
    if (!sweep_parse_run_name(name, ".tmp-p", &point, &rep) || point >= runs->points || rep >= runs->reps ||
        !selected[point * runs->reps + rep])
      continue;
    g_autofree gchar *path = g_build_filename(runs->runs_dir, name, NULL);
    if (!sweep_temp_dir_is_running(path))
      g_ptr_array_add(stale, g_steal_pointer(&path));
  }
  g_dir_close(dir);
  for (guint i = 0; i < stale->len; i++)
    sweep_remove_run_dir(g_ptr_array_index(stale, i));
}
