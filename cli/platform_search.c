/* Finding a bundled platform by name (platform_search.h). */
#include "platform_search.h"

#include <string.h>

GPtrArray *platform_search_dirs(void)
{
  GPtrArray *dirs = g_ptr_array_new_with_free_func(g_free);
  g_autofree gchar *program = g_file_read_link("/proc/self/exe", NULL);
  if (program != NULL && g_str_has_prefix(program, FTPSIM_BUILD_DIR "/")) /* the source tree's own */
    g_ptr_array_add(dirs, g_build_filename(FTPSIM_SOURCE_DIR, "platforms", NULL));
  else if (program != NULL) {
    g_autofree gchar *bin_dir = g_path_get_dirname(program);
    /* PREFIX/DATADIR/ftpsim/platforms, PREFIX being the program's folder less the install's BINDIR */
    gchar *prefix = g_path_get_dirname(program);
    g_auto(GStrv) parts = g_strsplit(FTPSIM_INSTALL_BINDIR, "/", -1);
    for (guint i = 0; parts[i] != NULL; i++)
      if (parts[i][0] != '\0') {
        gchar *up = g_path_get_dirname(prefix);
        g_free(prefix);
        prefix = up;
      }
    g_ptr_array_add(dirs, g_build_filename(prefix, FTPSIM_INSTALL_DATADIR, "ftpsim", "platforms", NULL));
    g_free(prefix);
  }
  return dirs;
}

gchar *platform_search(const char *name)
{
  if (strchr(name, '/') != NULL || g_file_test(name, G_FILE_TEST_EXISTS))
    return g_strdup(name);
  g_autoptr(GPtrArray) dirs = platform_search_dirs();
  for (guint i = 0; i < dirs->len; i++) {
    gchar *path = g_build_filename(g_ptr_array_index(dirs, i), name, NULL);
    if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
      return path;
    g_free(path);
  }
  return g_strdup(name);
}

gchar *platform_search_note(const char *name)
{
  if (strchr(name, '/') != NULL)
    return g_strdup("");
  g_autoptr(GPtrArray) dirs = platform_search_dirs();
  GString *note = g_string_new("; a bare name is also looked for in");
  for (guint i = 0; i < dirs->len; i++)
    g_string_append_printf(note, "%s %s", i ? "," : "", (const char *)g_ptr_array_index(dirs, i));
  return g_string_free(note, FALSE);
}
