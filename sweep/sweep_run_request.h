/* A sweep's run as the RunRequest its worker carries out: typed, straight from the plan, never through
 * a command line. In the program, beside the RunRequest it builds (cli/run_request.h). */
#ifndef FTPSIM_SWEEP_RUN_REQUEST_H
#define FTPSIM_SWEEP_RUN_REQUEST_H

#include <glib.h>

#include "run_request.h"
#include "sweep_plan.h"

G_BEGIN_DECLS

/* The run of the point with this seed, writing to out_dir, quietly, with the plan's trace and SimGrid
 * options, its inputs marked as checked by the sweep. Assignments: the plan's sets, then the point's
 * values. A varied platform file becomes the request's platform, to be run in the folder it is relative
 * to (*working_dir; NULL when the platform does not vary, borrowed from the plan). */
RunRequest *sweep_run_request(const SweepPlan *plan, guint64 point, guint64 seed, const char *out_dir,
                              const char **working_dir);

G_END_DECLS

#endif
