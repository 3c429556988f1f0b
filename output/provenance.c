#include "provenance.h"

#include <string.h>

#include "csv.h"
#include "output.h"

extern const char ftpsim_build_version[]; /* build_version.c, from cmake/version.cmake */
extern const char ftpsim_build_commit[];

static gchar *command_line;
static gchar *simgrid_version;

const char *provenance_version(void)
{
  return ftpsim_build_version;
}

const char *provenance_commit(void)
{
  return ftpsim_build_commit;
}

/* Plain words stay as they are; anything a shell would split or expand is single-quoted. */
static void append_shell_word(GString *line, const char *word)
{
  gboolean plain = word[0] != '\0';
  for (const char *p = word; *p && plain; p++)
    plain = g_ascii_isalnum(*p) || strchr("-_./=:,+@%", *p) != NULL;
  if (plain) {
    g_string_append(line, word);
    return;
  }
  g_autofree gchar *quoted = g_shell_quote(word);
  g_string_append(line, quoted);
}

void provenance_set_command_line(int argc, char **argv)
{
  GString *line = g_string_new(NULL);
  g_autofree gchar *program = argc > 0 ? g_path_get_basename(argv[0]) : g_strdup("ftpsim");
  append_shell_word(line, program);
  for (int i = 1; i < argc; i++) {
    g_string_append_c(line, ' ');
    append_shell_word(line, argv[i]);
  }
  g_free(command_line);
  command_line = g_string_free(line, FALSE);
}

void provenance_set_simgrid_version(const char *version)
{
  g_free(simgrid_version);
  simgrid_version = g_strdup(version);
}

static void append_pair(GString *text, const char *key, const char *value)
{
  g_string_append(text, key);
  g_string_append_c(text, ',');
  csv_append_field(text, value);
  g_string_append_c(text, '\n');
}

gchar *provenance_text(guint64 seed)
{
  GString *text = g_string_new(NULL);
  append_pair(text, "ftpsim_version", ftpsim_build_version);
  append_pair(text, "ftpsim_commit", ftpsim_build_commit);
  append_pair(text, "simgrid_version", simgrid_version ? simgrid_version : "");
  append_pair(text, "command_line", command_line ? command_line : "");
  g_string_append_printf(text, "seed,%" G_GUINT64_FORMAT "\n", seed);
  return g_string_free(text, FALSE);
}

gboolean provenance_write(const char *dir, guint64 seed, GError **error)
{
  OutputFile out = {0};
  if (!output_file_open(&out, dir, "provenance.csv", error))
    return FALSE;
  g_autofree gchar *text = provenance_text(seed);
  fputs(text, out.stream);
  return output_file_commit(&out, error);
}
