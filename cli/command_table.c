#include "command_table.h"

#include <stdio.h>
#include <string.h>

#include "commands.h"

static int cmd_help(int argc, char **argv);

/* A new subcommand: its cmd_*.c (declared in commands.h) and one row here. */
static const Command commands[] = {
    {"run", "run [PLATFORM.xml [DEPLOYMENT.xml]]", "run one simulation (the default command)", cmd_run},
    {"sweep", "sweep [EXPERIMENT.ini] [--vary K=V,..]... --out DIR", "run a parameter sweep in worker processes",
     cmd_sweep},
    {"models", "models [NAME]", "list client models, server policies, reactions and middleboxes (or one)", cmd_models},
    {"params", "params [KEY]", "list every parameter key, default and range (or one)", cmd_params},
    {"probe", "probe --server HOST:PORT [OPTIONS]", "play a client model against a real FTP server", cmd_probe},
    {"help", "help", "show this help", cmd_help},
    {NULL},
};

static const char usage_intro[] =
    "Usage: ftpsim [COMMAND] [OPTIONS]\n"
    "\n"
    "Simulates FTP clients and servers negotiating active-mode data ports (PORT) on a SimGrid\n"
    "platform. Microsoft KB Q140424: an AS/400 client names ports below 1024 that a Windows NT 3.51\n"
    "SP2 server rejects, one command after another, until its counter reaches 1024.\n"
    "\n"
    "Commands:\n";

static const char usage_outro[] =
    "\n"
    "'ftpsim' alone runs the KB Q140424 scenario on the built-in platform and writes ftpsim-out/.\n"
    "'ftpsim COMMAND --help' lists the options of a command.\n"
    "'ftpsim --version' prints ftpsim's version, the git commit it was built from and SimGrid's version.\n"
    "SimGrid's own help: 'ftpsim --help-cfg' or --cfg=help (every --cfg key), --help-models, --help-logs,\n"
    "--help-log-categories (every --log category), --help-tracing, --help-aliases.\n";

/* The summaries' column; a longer synopsis gets a line of its own. */
#define SYNOPSIS_WIDTH 35

const Command *command_table(void)
{
  return commands;
}

const Command *command_find(const char *name)
{
  for (const Command *command = commands; command->name != NULL; command++)
    if (strcmp(command->name, name) == 0)
      return command;
  return NULL;
}

gchar *command_names(void)
{
  GString *names = g_string_new(NULL);
  for (const Command *command = commands; command->name != NULL; command++)
    g_string_append_printf(names, "%s%s", command == commands ? "" : ", ", command->name);
  return g_string_free(names, FALSE);
}

gchar *command_usage_text(void)
{
  GString *text = g_string_new(usage_intro);
  for (const Command *command = commands; command->name != NULL; command++) {
    if (strlen(command->synopsis) <= SYNOPSIS_WIDTH)
      g_string_append_printf(text, "  %-*s  %s\n", SYNOPSIS_WIDTH, command->synopsis, command->summary);
    else
      g_string_append_printf(text, "  %s\n  %-*s  %s\n", command->synopsis, SYNOPSIS_WIDTH, "", command->summary);
  }
  g_string_append(text, usage_outro);
  return g_string_free(text, FALSE);
}

static int cmd_help(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  g_autofree gchar *usage = command_usage_text();
  fputs(usage, stdout);
  return 0;
}
