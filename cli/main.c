/* ftpsim: FTP clients and servers negotiating active-mode data ports, simulated on SimGrid. */
#include <stdio.h>
#include <string.h>

#include <xbt/log.h>

#include "commands.h"

XBT_LOG_NEW_CATEGORY(ftpsim, "ftpsim: FTP PORT negotiation simulator");

static const char usage[] =
    "Usage: ftpsim [COMMAND] [OPTIONS]\n"
    "\n"
    "Simulates FTP clients and servers negotiating active-mode data ports (PORT) on a SimGrid\n"
    "platform. Microsoft KB Q140424: an AS/400 client names ports below 1024 that a Windows NT 3.51\n"
    "SP2 server rejects, one command after another, until its counter reaches 1024.\n"
    "\n"
    "Commands:\n"
    "  run [PLATFORM.xml [DEPLOYMENT.xml]]  run one simulation (the default command)\n"
    "  sweep [EXPERIMENT.ini] [--vary K=V,..]... --out DIR\n"
    "                                       run a parameter sweep in worker processes\n"
    "  models                               list client models, server policies and reactions\n"
    "  params                               list every parameter key, default and range\n"
    "  probe --server HOST:PORT [OPTIONS]   play a client model against a real FTP server\n"
    "  help                                 show this help\n"
    "\n"
    "'ftpsim' alone runs the KB Q140424 scenario on the built-in platform and writes ftpsim-out/.\n"
    "'ftpsim COMMAND --help' lists the options of a command.\n";

int fail_usage(const char *message)
{
  fprintf(stderr, "ftpsim: %s\n", message);
  return EXIT_USAGE;
}

int fail_runtime(const char *message)
{
  fprintf(stderr, "ftpsim: %s\n", message);
  return EXIT_RUN_FAILED;
}

int main(int argc, char **argv)
{
  const char *command = argc > 1 ? argv[1] : NULL;
  if (command != NULL && (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 ||
                          strcmp(command, "help") == 0)) {
    fputs(usage, stdout);
    return 0;
  }
  if (command != NULL && strcmp(command, "models") == 0)
    return cmd_models(argc - 1, argv + 1);
  if (command != NULL && strcmp(command, "params") == 0)
    return cmd_params(argc - 1, argv + 1);
  if (command != NULL && strcmp(command, "sweep") == 0)
    return cmd_sweep(argc - 1, argv + 1);
  if (command != NULL && strcmp(command, "probe") == 0)
    return cmd_probe(argc - 1, argv + 1);
  if (command != NULL && strcmp(command, "run") == 0)
    return cmd_run(argc - 1, argv + 1);
  if (command != NULL && command[0] != '-' && !g_str_has_suffix(command, ".xml")) {
    g_autofree gchar *message =
        g_strdup_printf("unknown command '%s' (accepted: run, sweep, models, params, probe, help)", command);
    return fail_usage(message);
  }
  return cmd_run(argc, argv); /* no command: run, with whatever options followed */
}
