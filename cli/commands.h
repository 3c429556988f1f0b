/* The subcommands of the ftpsim program (listed in command_table.c), and how they fail (exit.h). */
#ifndef FTPSIM_COMMANDS_H
#define FTPSIM_COMMANDS_H

#include <glib.h>

#include "exit.h"

G_BEGIN_DECLS

/* 'ftpsim run': its options become a RunRequest for run_simulation() (simulate.h). */
int cmd_run(int argc, char **argv);
int cmd_models(int argc, char **argv);
int cmd_params(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_sweep(int argc, char **argv);

G_END_DECLS

#endif
