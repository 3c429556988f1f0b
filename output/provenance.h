/* DIR/provenance.csv, in every folder a run, a sweep or a probe writes: what made the files, as key,value
 * lines without a header (ftpsim_version, ftpsim_commit, simgrid_version, command_line, seed). */
#ifndef FTPSIM_PROVENANCE_H
#define FTPSIM_PROVENANCE_H

#include <glib.h>

G_BEGIN_DECLS

/* ftpsim's version ("0.1.0") and the git commit it was built from (40 hex digits, "-dirty" with uncommitted
 * changes; "" outside git), both written by cmake/version.cmake at build time. */
const char *provenance_version(void);
const char *provenance_commit(void);

/* Called once by main(): the command line (the program's name without its folder, then every argument,
 * each quoted as a POSIX shell would need) and SimGrid's version ("3.32.0"). Until then both are empty. */
void provenance_set_command_line(int argc, char **argv);
void provenance_set_simgrid_version(const char *version);

/* The file's text: "ftpsim_version,0.1.0\nftpsim_commit,...\n...seed,N\n", fields quoted as CSV needs. */
gchar *provenance_text(guint64 seed);
/* Writes DIR/provenance.csv whole or not at all. */
gboolean provenance_write(const char *dir, guint64 seed, GError **error);

G_END_DECLS

#endif
