/* The subcommands of the ftpsim program, and how they fail. */
#ifndef FTPSIM_COMMANDS_H
#define FTPSIM_COMMANDS_H

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses: a user's mistake is 2 and nothing is written; a failed run is 1. */
#define EXIT_USAGE 2
#define EXIT_RUN_FAILED 1

/* 'ftpsim run': its options become a RunRequest for run_simulation() (simulate.h). */
int cmd_run(int argc, char **argv);
int cmd_models(int argc, char **argv);
int cmd_params(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_sweep(int argc, char **argv);

/* Print "ftpsim: MESSAGE" on one line of stderr and return the exit status. */
int fail_usage(const char *message);
int fail_runtime(const char *message);

G_END_DECLS

#endif
