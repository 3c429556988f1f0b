/* A platform named on the command line, found: as given (relative to the current folder), else, for a
 * bare file name such as two-sites.xml, among the bundled platforms: the source tree's platforms/ for
 * a program run from its build tree, else the install's DATADIR/ftpsim/platforms (found from the
 * program's own path, so a package installed under /usr and a build under /usr/local both work). */
#ifndef FTPSIM_PLATFORM_SEARCH_H
#define FTPSIM_PLATFORM_SEARCH_H

#include <glib.h>

G_BEGIN_DECLS

/* The path to open for name: name itself if it exists or holds a '/', else the first bundled platform
 * of that name, else name (whose reading then fails with the usual message). */
gchar *platform_search(const char *name);

/* The folders searched for a bare name, in order (gchar*), for messages and tests. */
GPtrArray *platform_search_dirs(void);

/* "; a bare name is also looked for in DIR1, DIR2" for a name with no '/', else "": for messages. */
gchar *platform_search_note(const char *name);

G_END_DECLS

#endif
