#include "restart.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define HUGE_PAGES_TUNABLE "glibc.malloc.hugetlb=1"

void restart_tuned(RestartTuning tuning, const char *command, char **args)
{
  const char *tunables = g_getenv("GLIBC_TUNABLES");
  gboolean add_huge_pages =
      (tuning & RESTART_HUGE_PAGES) && (tunables == NULL || strstr(tunables, "glibc.malloc.hugetlb") == NULL);
  gboolean add_bind_now = (tuning & RESTART_BIND_NOW) && g_getenv("LD_BIND_NOW") == NULL;
  if (!add_huge_pages && !add_bind_now)
    return;
  g_autofree gchar *saved_tunables = g_strdup(tunables);
  if (add_huge_pages) {
    g_autofree gchar *value =
        tunables && *tunables ? g_strconcat(tunables, ":", HUGE_PAGES_TUNABLE, NULL) : g_strdup(HUGE_PAGES_TUNABLE);
    g_setenv("GLIBC_TUNABLES", value, TRUE);
  }
  if (add_bind_now)
    g_setenv("LD_BIND_NOW", "1", TRUE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, (gpointer) "ftpsim");
  g_ptr_array_add(argv, (gpointer)command);
  for (guint i = 1; args[0] != NULL && args[i] != NULL; i++)
    g_ptr_array_add(argv, args[i]);
  g_ptr_array_add(argv, NULL);
  fflush(NULL);
  /* The resolved path, not /proc/self/exe: the kernel names a process after the file it ran, and ps and
   * top would show "exe" for the rest of the run. */
  g_autofree gchar *program = g_file_read_link("/proc/self/exe", NULL);
  if (program != NULL)
    execv(program, (char **)argv->pdata);
  execv("/proc/self/exe", (char **)argv->pdata); /* the file was moved or replaced since */
  /* exec failed: undo, and go on in this process */
  if (add_bind_now)
    g_unsetenv("LD_BIND_NOW");
  if (add_huge_pages) {
    if (saved_tunables)
      g_setenv("GLIBC_TUNABLES", saved_tunables, TRUE);
    else
      g_unsetenv("GLIBC_TUNABLES");
  }
}
