/* The subcommands of the ftpsim program (listed in command_table.c), and how they fail (exit.h). */
#ifndef FTPSIM_COMMANDS_H
#define FTPSIM_COMMANDS_H

#include <glib.h>

#include "exit.h"

G_BEGIN_DECLS

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

G_END_DECLS

#endif
