#include "simgrid_info.h"

#include <string.h>

#include <simgrid/engine.h>
#include <simgrid/version.h>

gchar *engine_simgrid_version(void)
{
  int major = 0, minor = 0, patch = 0;
  sg_version_get(&major, &minor, &patch);
  return g_strdup_printf("%d.%d.%d", major, minor, patch);
}

/* SimGrid 3.32's own spellings (simgrid_init reads them); --help-cfg and --cfg=help are ftpsim's names for the
 * --cfg list, which 3.32 prints as its --help. */
static const char *const help_options[][2] = {
    {"--help-cfg", "--help"},
    {"--cfg=help", "--help"}, /* 3.32's sg_config takes no such value ("Option 'help' badly formatted") */
    {"--help-models", "--help-models"},
    {"--help-logs", "--help-logs"},
    {"--help-log-categories", "--help-log-categories"},
    {"--help-tracing", "--help-tracing"},
    {"--help-aliases", "--help-aliases"},
};

const char *engine_simgrid_help_option(const char *option)
{
  for (gsize i = 0; i < G_N_ELEMENTS(help_options); i++)
    if (strcmp(option, help_options[i][0]) == 0)
      return help_options[i][1];
  return NULL;
}

int engine_simgrid_help(const char *simgrid_option)
{
  char *argv[] = {(char *)"ftpsim", (char *)simgrid_option, NULL};
  int argc = 2;
  simgrid_init(&argc, argv);
  return 0;
}
