/* How the program fails: its exit statuses and the one-line message before them. Shared by main.c and
 * every subcommand, so that none of them calls into another for it. */
#ifndef FTPSIM_EXIT_H
#define FTPSIM_EXIT_H

/* Exit statuses: a user's mistake is 2 and nothing is written; a failed run is 1. */
#define EXIT_USAGE 2
#define EXIT_RUN_FAILED 1

/* Print "ftpsim: MESSAGE" on one line of stderr and return the exit status. */
int fail_usage(const char *message);
int fail_runtime(const char *message);

#endif
