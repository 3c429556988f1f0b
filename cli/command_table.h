/* The subcommands, one row each: the top-level usage text, the dispatch and the "accepted:" list of an
 * unknown command are all generated from the rows, so a new subcommand is its cmd_*.c and one row. */
#ifndef FTPSIM_COMMAND_TABLE_H
#define FTPSIM_COMMAND_TABLE_H

#include <glib.h>

G_BEGIN_DECLS

/* Runs a subcommand; argv[0] is the command's name. Returns the exit status. */
typedef int (*CommandHandler)(int argc, char **argv);

typedef struct Command {
  const char *name;     /* what the user types: "sweep" */
  const char *synopsis; /* the name with its arguments, for the usage text */
  const char *summary;  /* one line, for the usage text */
  CommandHandler handler;
} Command;

/* The rows, in the order the usage text lists them; the last has name == NULL. */
const Command *command_table(void);
/* The command called name, or NULL. */
const Command *command_find(const char *name);
/* "run, sweep, models, params, probe, help": every name, for the unknown-command error. Free with g_free. */
gchar *command_names(void);
/* The top-level 'ftpsim --help' text. Free with g_free. */
gchar *command_usage_text(void);

G_END_DECLS

#endif
