/* Output files that appear whole or not at all: rows go to a hidden temporary file in the output
 * folder, renamed into place only when the run succeeded. */
#ifndef FTPSIM_OUTPUT_H
#define FTPSIM_OUTPUT_H

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

typedef struct OutputFile {
  gchar *final_path;
  gchar *temp_path;
  FILE *stream;
} OutputFile;

/* Creates dir (and parents) if needed and opens dir/.name.HOST.PID.tmp for writing, after removing the
 * ones that this machine's dead processes left there. */
gboolean output_file_open(OutputFile *file, const char *dir, const char *name, GError **error);
/* Flushes, checks for write errors and renames into place. */
gboolean output_file_commit(OutputFile *file, GError **error);
/* Removes the temporary file; safe to call on a committed or never-opened file. */
void output_file_discard(OutputFile *file);

/* On SIGINT, SIGTERM or SIGHUP, remove the temporary files still open, then die of the signal.
 * Call it after simgrid_init(), which installs a SIGINT handler of its own. */
void output_remove_on_signal(void);

/* Removes the temporary files still open, for a process about to end without returning (async-signal-safe). */
void output_remove_pending(void);

G_END_DECLS

#endif
