/* ftpsim: FTP clients and servers negotiating active-mode data ports, simulated on SimGrid. */
#include <stdio.h>
#include <string.h>

#include <xbt/log.h>

#include "command_table.h"
#include "commands.h"
#include "nearest.h"
#include "provenance.h"
#include "simgrid_info.h"

XBT_LOG_NEW_CATEGORY(ftpsim, "ftpsim: FTP PORT negotiation simulator");

static int print_version(void)
{
  g_autofree gchar *simgrid = engine_simgrid_version();
  const char *commit = provenance_commit();
  printf("ftpsim %s%s%s%s\nSimGrid %s\n", provenance_version(), commit[0] ? " (commit " : "", commit,
         commit[0] ? ")" : "", simgrid);
  return 0;
}

static int unknown_command(const char *command)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new();
  for (const Command *row = command_table(); row->name != NULL; row++)
    g_ptr_array_add(names, (gpointer)row->name);
  g_autofree gchar *hint = nearest_hint(command, (const char *const *)names->pdata, (gint)names->len);
  g_autofree gchar *all = command_names();
  g_autofree gchar *message =
      hint ? g_strdup_printf("unknown command '%s' (%s 'ftpsim --help' lists the commands)", command, hint)
           : g_strdup_printf("unknown command '%s' (accepted: %s)", command, all);
  return fail_usage(message);
}

int main(int argc, char **argv)
{
  g_autofree gchar *simgrid_version = engine_simgrid_version();
  provenance_set_command_line(argc, argv);
  provenance_set_simgrid_version(simgrid_version);
  const char *command = argc > 1 ? argv[1] : NULL;
  if (command == NULL)
    return cmd_run(argc, argv); /* no command: run the default scenario */
  if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0)
    command = "help";
  if (strcmp(command, "--version") == 0 || strcmp(command, "-V") == 0)
    return print_version();
  const char *simgrid_help = engine_simgrid_help_option(command);
  if (simgrid_help != NULL)
    return engine_simgrid_help(simgrid_help);
  const Command *row = command_find(command);
  if (row != NULL)
    return row->handler(argc - 1, argv + 1);
  if (command[0] != '-' && !g_str_has_suffix(command, ".xml"))
    return unknown_command(command);
  return cmd_run(argc, argv); /* options or a platform without a command: run, with whatever followed */
}
