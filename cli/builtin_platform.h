/* The KB Q140424 platform compiled into the program (so that 'ftpsim' works from any folder), as
 * text for the scenario reader and as a file for SimGrid, which loads platforms only from files. */
#ifndef FTPSIM_BUILTIN_PLATFORM_H
#define FTPSIM_BUILTIN_PLATFORM_H

#include <glib.h>

G_BEGIN_DECLS

/* How the built-in platform is named in messages, summary.csv and runs.csv. */
#define BUILTIN_PLATFORM_LABEL "builtin:kb140424.xml"

/* A NUL-terminated copy of the platform's XML; *length excludes the NUL. */
gchar *builtin_platform_copy(gsize *length);

/* The built-in platform as a file SimGrid can open: an in-memory one, so that a sweep's hundreds of
 * runs create and delete no file for it. Returns its /proc/self/fd path; close *fd after loading. */
gchar *builtin_platform_open_file(int *fd, GError **error);

G_END_DECLS

#endif
