#include "exit.h"

#include <stdio.h>

int fail_usage(const char *message)
{
  fprintf(stderr, "ftpsim: %s\n", message);
  return EXIT_USAGE;
}

int fail_runtime(const char *message)
{
  fprintf(stderr, "ftpsim: %s\n", message);
  return EXIT_RUN_FAILED;
}
