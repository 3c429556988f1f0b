/* ftpsim: FTP clients and servers negotiating active-mode data ports, simulated on SimGrid. */
#include <string.h>

#include <xbt/log.h>

#include "command_table.h"
#include "commands.h"

XBT_LOG_NEW_CATEGORY(ftpsim, "ftpsim: FTP PORT negotiation simulator");

int main(int argc, char **argv)
{
  const char *command = argc > 1 ? argv[1] : NULL;
  if (command == NULL)
    return cmd_run(argc, argv); /* no command: run the default scenario */
  if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0)
    command = "help";
  const Command *row = command_find(command);
  if (row != NULL)
    return row->handler(argc - 1, argv + 1);
  if (command[0] != '-' && !g_str_has_suffix(command, ".xml")) {
    g_autofree gchar *names = command_names();
    g_autofree gchar *message = g_strdup_printf("unknown command '%s' (accepted: %s)", command, names);
    return fail_usage(message);
  }
  return cmd_run(argc, argv); /* options or a platform without a command: run, with whatever followed */
}
