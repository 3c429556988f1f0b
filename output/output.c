#include "output.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

/* Temporary files still open, so that an interrupted run (Ctrl-C, kill) leaves none behind.
 * unlink() is async-signal-safe; the paths are fixed before they are published here. */
#define MAX_PENDING_FILES 8
static char *volatile pending_paths[MAX_PENDING_FILES];

void output_remove_pending(void)
{
  for (int i = 0; i < MAX_PENDING_FILES; i++)
    if (pending_paths[i] != NULL)
      unlink(pending_paths[i]);
}

static void remove_pending_and_reraise(int signal_number)
{
  output_remove_pending();
  signal(signal_number, SIG_DFL);
  raise(signal_number);
}

void output_remove_on_signal(void)
{
  const int signals[] = {SIGINT, SIGTERM, SIGHUP};
  for (guint i = 0; i < G_N_ELEMENTS(signals); i++)
    signal(signals[i], remove_pending_and_reraise);
}

static void track_pending(char *path, gboolean pending)
{
  for (int i = 0; i < MAX_PENDING_FILES; i++) {
    if (pending && pending_paths[i] == NULL) {
      pending_paths[i] = path;
      return;
    }
    if (!pending && pending_paths[i] == path) {
      pending_paths[i] = NULL;
      return;
    }
  }
}

/* The temporary file's name: hidden, and unique to this process on this machine, so that two machines
 * sharing a folder (a cluster's sweep) never take one another's for stale. */
static gchar *temp_file_name(const char *name, long pid)
{
  return g_strdup_printf(".%s.%s.%ld.tmp", name, g_get_host_name(), pid);
}

/* A run killed without a chance to clean up (SIGKILL, the OOM killer, a power cut) leaves its
 * temporary file behind: the next run into the folder removes those of this machine's dead processes. */
static void remove_stale_temp_files(const char *dir, const char *name)
{
  g_autoptr(GDir) folder = g_dir_open(dir, 0, NULL);
  if (folder == NULL)
    return;
  g_autofree gchar *prefix = g_strdup_printf(".%s.%s.", name, g_get_host_name());
  const char *entry;
  while ((entry = g_dir_read_name(folder)) != NULL) {
    if (!g_str_has_prefix(entry, prefix) || !g_str_has_suffix(entry, ".tmp"))
      continue;
    char *end = NULL;
    long pid = strtol(entry + strlen(prefix), &end, 10);
    if (pid <= 0 || end == NULL || strcmp(end, ".tmp") != 0)
      continue;
    if (pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH) {
      g_autofree gchar *path = g_build_filename(dir, entry, NULL);
      g_unlink(path);
    }
  }
}

gboolean output_file_open(OutputFile *file, const char *dir, const char *name, GError **error)
{
  *file = (OutputFile){0};
  if (g_mkdir_with_parents(dir, 0777) != 0) {
    int saved = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot create output folder '%s': %s", dir,
                g_strerror(saved));
    return FALSE;
  }
  remove_stale_temp_files(dir, name);
  g_autofree gchar *temp_name = temp_file_name(name, (long)getpid());
  file->final_path = g_build_filename(dir, name, NULL);
  file->temp_path = g_build_filename(dir, temp_name, NULL);
  file->stream = g_fopen(file->temp_path, "w");
  if (file->stream == NULL) {
    int saved = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot write in output folder '%s': %s", dir,
                g_strerror(saved));
    g_clear_pointer(&file->final_path, g_free);
    g_clear_pointer(&file->temp_path, g_free);
    return FALSE;
  }
  track_pending(file->temp_path, TRUE);
  return TRUE;
}

gboolean output_file_commit(OutputFile *file, GError **error)
{
  gboolean failed = fflush(file->stream) != 0 || ferror(file->stream);
  int saved = errno;
  failed = (fclose(file->stream) != 0) || failed;
  file->stream = NULL;
  if (!failed && g_rename(file->temp_path, file->final_path) == 0) {
    track_pending(file->temp_path, FALSE);
    g_clear_pointer(&file->temp_path, g_free);
    g_clear_pointer(&file->final_path, g_free);
    return TRUE;
  }
  saved = errno ? errno : saved;
  g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot write '%s': %s", file->final_path,
              g_strerror(saved));
  output_file_discard(file);
  return FALSE;
}

void output_file_discard(OutputFile *file)
{
  if (file->stream != NULL) {
    fclose(file->stream);
    file->stream = NULL;
  }
  if (file->temp_path != NULL) {
    track_pending(file->temp_path, FALSE);
    g_unlink(file->temp_path);
    g_clear_pointer(&file->temp_path, g_free);
  }
  g_clear_pointer(&file->final_path, g_free);
}
