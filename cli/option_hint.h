/* "Did you mean '--seed'?" for an option a command does not know: the nearest of its GOption entries' long
 * names (and SimGrid's --cfg and --log, which every simulating command passes on). */
#ifndef FTPSIM_OPTION_HINT_H
#define FTPSIM_OPTION_HINT_H

#include <glib.h>

G_BEGIN_DECLS

/* "did you mean '--set' or '--seed'? " (with its trailing space, to go before "accepted: ..."), or "" when no
 * option is near. arg may carry "=VALUE". Free with g_free. */
gchar *option_hint(const char *arg, const GOptionEntry *entries);

/* GOption's own "Unknown option --sevrer" error, made "unknown option '--sevrer' (did you mean '--server'? see
 * 'ftpsim COMMAND --help')"; other errors are left as they are. */
void option_error_add_hint(GError *error, const GOptionEntry *entries, const char *command);

G_END_DECLS

#endif
