/* What one simulation is asked to do, typed: 'ftpsim run' builds it from its command line, a sweep's
 * worker from its plan, and run_simulation() (simulate.h) carries it out. */
#ifndef FTPSIM_RUN_REQUEST_H
#define FTPSIM_RUN_REQUEST_H

#include <glib.h>

G_BEGIN_DECLS

#define RUN_DEFAULT_OUT_DIR "ftpsim-out"

typedef struct RunRequest {
  gchar *platform_path;   /* NULL: the built-in platform; else also the run's platform label */
  gchar *deployment_path; /* NULL: none */
  guint64 seed;
  gchar *out_dir;
  gboolean trace;        /* also write commands.csv */
  gboolean quiet;        /* print no summary on success */
  GStrv assignments;     /* "KEY=VALUE" for every host, the later winning; may be NULL */
  GStrv simgrid_options; /* SimGrid's own --cfg=... and --log=..., in the order given; may be NULL */
  /* The platform was loaded in SimGrid with these options before (a sweep does it once for all its
   * runs), so a deployment's check in a forked child may be skipped. */
  gboolean simgrid_inputs_checked;
  /* The command's arguments as they came ("run", then its options), for starting the program again with
   * large-run tuning; NULL: they are made from this request (run_request_arguments). */
  GStrv restart_arguments;
} RunRequest;

RunRequest *run_request_new(void);
void run_request_free(RunRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RunRequest, run_request_free)

/* The 'ftpsim run' arguments ("run" first) that ask for this request: a program started again must be
 * told in argv what to do. Not for running in this process: run_simulation() takes the request. */
GStrv run_request_arguments(const RunRequest *request);

G_END_DECLS

#endif
