/* What SimGrid says about itself: its version (for --version and provenance.csv), and its own help texts,
 * which 'ftpsim --help-cfg', '--help-models', '--help-logs', '--help-log-categories', '--help-tracing' and
 * '--help-aliases' pass through. */
#ifndef FTPSIM_SIMGRID_INFO_H
#define FTPSIM_SIMGRID_INFO_H

#include <glib.h>

G_BEGIN_DECLS

/* "3.32.0", from the loaded library (sg_version_get), not the headers. Free with g_free. */
gchar *engine_simgrid_version(void);

/* The SimGrid option that prints what the ftpsim option asks for ("--help-cfg" and "--cfg=help": SimGrid 3.32's
 * "--help", which lists every --cfg key), or NULL when option is none of them. */
const char *engine_simgrid_help_option(const char *option);
/* Has SimGrid print that help on stdout; returns the exit status (SimGrid exits itself after its help). */
int engine_simgrid_help(const char *simgrid_option);

G_END_DECLS

#endif
