#include "sim_harness.h"

#include <check.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

static void limit_address_space(gpointer data)
{
  const struct rlimit limit = {.rlim_cur = *(const rlim_t *)data, .rlim_max = *(const rlim_t *)data};
  setrlimit(RLIMIT_AS, &limit);
}

RunResult harness_run(const char *cwd, const char *const *args)
{
  return harness_run_limited(cwd, args, 0);
}

RunResult harness_run_limited(const char *cwd, const char *const *args, guint64 address_space)
{
  rlim_t limit = (rlim_t)address_space;
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, (gpointer)FTPSIM_BINARY);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add(argv, (gpointer)args[i]);
  g_ptr_array_add(argv, NULL);
  RunResult result = {.status = -1};
  int wait_status = 0;
  g_autoptr(GError) error = NULL;
  gboolean spawned =
      g_spawn_sync(cwd, (gchar **)argv->pdata, NULL, G_SPAWN_DEFAULT, address_space ? limit_address_space : NULL,
                   &limit, &result.out, &result.err, &wait_status, &error);
  ck_assert_msg(spawned, "cannot run %s: %s", FTPSIM_BINARY, error ? error->message : "?");
  if (WIFEXITED(wait_status))
    result.status = WEXITSTATUS(wait_status);
  return result;
}

void harness_result_clear(RunResult *result)
{
  g_clear_pointer(&result->out, g_free);
  g_clear_pointer(&result->err, g_free);
}

/* One record of RFC 4180 CSV from *p (quoted fields may hold commas, quotes and line breaks); NULL at the end. */
static gchar **read_record(const char **p)
{
  if (**p == '\0')
    return NULL;
  GPtrArray *fields = g_ptr_array_new();
  GString *field = g_string_new(NULL);
  const char *c = *p;
  for (;;) {
    if (*c == '"') {
      for (c++; *c != '\0'; c++) {
        if (*c == '"' && c[1] == '"')
          g_string_append_c(field, *c++);
        else if (*c == '"')
          break;
        else
          g_string_append_c(field, *c);
      }
      if (*c == '"')
        c++;
    }
    while (*c != '\0' && *c != ',' && *c != '\n')
      g_string_append_c(field, *c++);
    g_ptr_array_add(fields, g_string_free(field, FALSE));
    if (*c != ',')
      break;
    c++;
    field = g_string_new(NULL);
  }
  *p = *c == '\n' ? c + 1 : c;
  g_ptr_array_add(fields, NULL);
  return (gchar **)g_ptr_array_free(fields, FALSE);
}

Csv *harness_read_csv(const char *path)
{
  g_autofree gchar *text = NULL;
  ck_assert_msg(g_file_get_contents(path, &text, NULL, NULL), "cannot read %s", path);
  const char *p = text;
  ck_assert_msg(text[0] != '\0' && text[0] != '\n', "%s is empty", path);
  Csv *csv = g_new0(Csv, 1);
  csv->header = read_record(&p);
  csv->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  for (guint i = 1;; i++) {
    while (*p == '\n')
      p++;
    gchar **fields = read_record(&p);
    if (fields == NULL)
      break;
    ck_assert_msg(g_strv_length(fields) == g_strv_length(csv->header), "%s record %u has %u fields, header has %u",
                  path, i + 1, g_strv_length(fields), g_strv_length(csv->header));
    g_ptr_array_add(csv->rows, fields);
  }
  return csv;
}

void harness_csv_free(Csv *csv)
{
  if (csv == NULL)
    return;
  g_strfreev(csv->header);
  g_ptr_array_unref(csv->rows);
  g_free(csv);
}

const char *harness_field(const Csv *csv, guint row, const char *column)
{
  ck_assert_msg(row < csv->rows->len, "row %u of %u", row, csv->rows->len);
  for (guint i = 0; csv->header[i] != NULL; i++)
    if (strcmp(csv->header[i], column) == 0)
      return ((gchar **)g_ptr_array_index(csv->rows, row))[i];
  ck_abort_msg("no column '%s'", column);
  return NULL;
}

gint64 harness_int(const Csv *csv, guint row, const char *column)
{
  const char *text = harness_field(csv, row, column);
  gint64 value = 0;
  ck_assert_msg(g_ascii_string_to_signed(text, 10, G_MININT64, G_MAXINT64, &value, NULL), "%s='%s' is not an integer",
                column, text);
  return value;
}

double harness_double(const Csv *csv, guint row, const char *column)
{
  const char *text = harness_field(csv, row, column);
  char *end = NULL;
  double value = g_ascii_strtod(text, &end);
  ck_assert_msg(text[0] != '\0' && *end == '\0', "%s='%s' is not a number", column, text);
  return value;
}

gchar *harness_temp_dir(void)
{
  g_autoptr(GError) error = NULL;
  gchar *dir = g_dir_make_tmp("ftpsim-test-XXXXXX", &error);
  ck_assert_msg(dir != NULL, "mkdtemp: %s", error ? error->message : "?");
  return dir;
}

void harness_remove_tree(const char *path)
{
  if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
    GDir *dir = g_dir_open(path, 0, NULL);
    const char *name;
    while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
      g_autofree gchar *child = g_build_filename(path, name, NULL);
      harness_remove_tree(child);
    }
    if (dir != NULL)
      g_dir_close(dir);
    g_rmdir(path);
  } else {
    g_unlink(path);
  }
}

gchar *harness_read_text(const char *dir, const char *name)
{
  g_autofree gchar *path = g_build_filename(dir, name, NULL);
  gchar *text = NULL;
  ck_assert_msg(g_file_get_contents(path, &text, NULL, NULL), "cannot read %s", path);
  return text;
}

gchar *harness_write_file(const char *dir, const char *name, const char *text)
{
  gchar *path = g_build_filename(dir, name, NULL);
  ck_assert(g_file_set_contents(path, text, -1, NULL));
  return path;
}

/* A client and a server joined by one link. Extra host properties go in client_props/server_props. */
gchar *harness_write_platform(const char *dir, const char *name, const char *latency, const char *bandwidth,
                              const char *client_props, const char *server_props)
{
  g_autofree gchar *xml =
      g_strdup_printf("<?xml version='1.0'?>\n"
                      "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
                      "<platform version=\"4.1\">\n"
                      "  <zone id=\"z\" routing=\"Full\">\n"
                      "    <host id=\"client\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"client\"/>"
                      "<prop id=\"ftpsim.address\" value=\"192.0.2.10\"/>%s</host>\n"
                      "    <host id=\"server\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"server\"/>%s</host>\n"
                      "    <link id=\"l\" bandwidth=\"%s\" latency=\"%s\"/>\n"
                      "    <route src=\"client\" dst=\"server\"><link_ctn id=\"l\"/></route>\n"
                      "  </zone>\n"
                      "</platform>\n",
                      client_props ? client_props : "", server_props ? server_props : "", bandwidth, latency);
  return harness_write_file(dir, name, xml);
}

Fixture fixture_new(void)
{
  Fixture fixture;
  fixture.dir = harness_temp_dir();
  fixture.out = g_build_filename(fixture.dir, "out", NULL);
  return fixture;
}

void fixture_clear(Fixture *fixture)
{
  harness_remove_tree(fixture->dir);
  g_free(fixture->dir);
  g_free(fixture->out);
}

/* Runs "ftpsim run [platform] --out OUT --quiet ARGS..." and expects success. */
Csv *run_sessions(Fixture *fixture, const char *platform, const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, (gpointer) "run");
  if (platform)
    g_ptr_array_add(argv, (gpointer)platform);
  g_ptr_array_add(argv, (gpointer) "--out");
  g_ptr_array_add(argv, fixture->out);
  g_ptr_array_add(argv, (gpointer) "--quiet");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add(argv, (gpointer)args[i]);
  g_ptr_array_add(argv, NULL);
  RunResult result = harness_run(NULL, (const char *const *)argv->pdata);
  ck_assert_msg(result.status == 0, "ftpsim exited %d: %s", result.status, result.err);
  harness_result_clear(&result);
  g_autofree gchar *path = g_build_filename(fixture->out, "sessions.csv", NULL);
  return harness_read_csv(path);
}
