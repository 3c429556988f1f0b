/* The subcommands of the ftpsim program, and how they fail. */
#ifndef FTPSIM_COMMANDS_H
#define FTPSIM_COMMANDS_H

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses: a user's mistake is 2 and nothing is written; a failed run is 1. */
#define EXIT_USAGE 2
#define EXIT_RUN_FAILED 1

int cmd_run(int argc, char **argv);
/* For sweeps: load a platform (NULL: the built-in one) with these --cfg/--log options in SimGrid once,
 * in a child process, to refuse bad input before any run; later cmd_run() calls in this process's
 * forks then skip the child that checks a deployment. */
struct Scenario;
gboolean cmd_run_check_simgrid(const char *platform_path, const GPtrArray *simgrid_options,
                               const struct Scenario *scenario, GError **error);
void cmd_run_trust_simgrid_inputs(void);
int cmd_models(int argc, char **argv);
int cmd_params(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_sweep(int argc, char **argv);

/* Print "ftpsim: MESSAGE" on one line of stderr and return the exit status. */
int fail_usage(const char *message);
int fail_runtime(const char *message);

G_END_DECLS

#endif
