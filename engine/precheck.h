/* SimGrid reports a bad platform by throwing a C++ exception that C cannot catch, so the process
 * aborts with a backtrace. These turn such a failure into one line naming SimGrid's own complaint:
 * simgrid_load_checked() in this process, simgrid_precheck() in a forked child (for a deployment,
 * which must not create actors in the real engine, and for a sweep, which never starts SimGrid). */
#ifndef FTPSIM_PRECHECK_H
#define FTPSIM_PRECHECK_H

#include <glib.h>

G_BEGIN_DECLS

/* simgrid_args: argv-style, args[0] the program name, then --cfg=/--log= options; NULL-terminated.
 * route_pairs: host names, two by two (client, server), whose routes must exist both ways; may be NULL.
 * SimGrid crashes on a send between hosts without a route, so this is checked here too. */
gboolean simgrid_precheck(const char *platform_path, const char *deployment_path, char **simgrid_args,
                          const GPtrArray *route_pairs, GError **error);

/* simgrid_init() and simgrid_load_platform() in this process, then the routes as above, with SimGrid's
 * messages held back. On FALSE, SimGrid may have aborted half-way: the caller must not call SimGrid
 * again nor run its destructors, only report the error and _exit(). */
gboolean simgrid_load_checked(int *argc, char **argv, const char *platform_path, const GPtrArray *route_pairs,
                              GError **error);

/* The line of SimGrid's output that names the problem, without SimGrid's log prefix. */
gchar *simgrid_failure_line(const char *output);

G_END_DECLS

#endif
