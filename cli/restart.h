/* Starting ftpsim again, in the same process, with settings that the C library and the dynamic
 * linker read only at program start. */
#ifndef FTPSIM_RESTART_H
#define FTPSIM_RESTART_H

#include <glib.h>

G_BEGIN_DECLS

typedef enum RestartTuning {
  RESTART_HUGE_PAGES = 1 << 0, /* glibc.malloc.hugetlb=1: the heap in transparent huge pages */
  RESTART_BIND_NOW = 1 << 1,   /* LD_BIND_NOW: every symbol resolved before main() */
} RestartTuning;

/* Execs "ftpsim COMMAND ARGS..." with these settings added to the environment, unless they are there
 * already. args is the command's argv as it came (args[0], the command's name, is skipped): a copy
 * made before option parsing rearranged it. Returns only if nothing was missing or the exec failed,
 * and the caller then goes on as it is. */
void restart_tuned(RestartTuning tuning, const char *command, char **args);

G_END_DECLS

#endif
