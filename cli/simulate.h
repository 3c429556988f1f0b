/* Running one simulation: from a RunRequest to the CSV files and the summary on stdout. */
#ifndef FTPSIM_SIMULATE_H
#define FTPSIM_SIMULATE_H

#include <glib.h>

#include "run_request.h"

G_BEGIN_DECLS

struct Scenario;

/* Reads the platform (and deployment) with the request's --set assignments, loads them in SimGrid,
 * runs the engine, writes DIR/sessions.csv, summary.csv (and commands.csv) whole or not at all, and
 * prints the summary unless quiet. Returns the exit status (EXIT_USAGE for bad input, nothing written;
 * EXIT_RUN_FAILED for a failed run). SimGrid exists once per process: call it once, in a process of
 * its own. A run of more than 1000 sessions may start the program again first, with huge pages. */
int run_simulation(const RunRequest *request);

/* Loads a platform (NULL: the built-in one) with these --cfg/--log options (gchar*) in SimGrid, in a
 * child process, and checks the scenario's routes (scenario may be NULL): a sweep refuses bad input so
 * before any run, and its runs then set RunRequest.simgrid_inputs_checked. */
gboolean simulation_check_simgrid_inputs(const char *platform_path, const GPtrArray *simgrid_options,
                                         const struct Scenario *scenario, GError **error);

G_END_DECLS

#endif
