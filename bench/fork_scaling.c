/* How well forked runs scale on this machine, without ftpsim: what bounds `ftpsim sweep --jobs N` for
 * runs of a few milliseconds, each a fork of the sweep.
 *
 * A parent with a 32 MiB heap forks CHILDREN children; each writes PAGES pages of that heap (one
 * copy-on-write fault each) and exits. "siblings": one parent keeps JOBS children alive at once, as a
 * sweep does. "independent": JOBS parents, each with its own heap, fork their share one after the
 * other, as JOBS separate one-job sweeps would. "compute": siblings that write no page but count for
 * about as long, for contrast. With perfect scaling, JOBS=2 halves the time per child.
 *
 * usage: bench_fork_scaling [CHILDREN]     prints: mode, pages (or work), jobs, ms per child (wall / CHILDREN) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HEAP_BYTES (32u << 20)
#define PAGE_BYTES 4096u

static double now_ms(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static char *touched_heap(void)
{
  char *heap = malloc(HEAP_BYTES);
  if (heap == NULL) {
    perror("malloc");
    exit(1);
  }
  memset(heap, 1, HEAP_BYTES);
  return heap;
}

static int compute_only; /* "compute" mode: children count instead of writing pages */

static void child_writes(char *heap, int pages)
{
  if (compute_only) {
    volatile unsigned long sum = 0;
    for (unsigned long i = 0; i < (unsigned long)pages * 20000; i++)
      sum += i;
  } else {
    for (int p = 0; p < pages; p++)
      heap[(size_t)p * PAGE_BYTES] = 2;
  }
  _exit(0);
}

static void siblings(int children, int pages, int jobs)
{
  char *heap = touched_heap();
  int running = 0;
  for (int started = 0; started < children || running > 0;) {
    while (running < jobs && started < children) {
      pid_t pid = fork();
      if (pid < 0) {
        perror("fork");
        exit(1);
      }
      if (pid == 0)
        child_writes(heap, pages);
      running++;
      started++;
    }
    if (wait(NULL) > 0)
      running--;
  }
  free(heap);
}

static void independent(int children, int pages, int jobs)
{
  for (int j = 0; j < jobs; j++) {
    pid_t parent = fork();
    if (parent < 0) {
      perror("fork");
      exit(1);
    }
    if (parent == 0) {
      char *heap = touched_heap();
      for (int i = 0; i < children / jobs; i++) {
        pid_t pid = fork();
        if (pid == 0)
          child_writes(heap, pages);
        waitpid(pid, NULL, 0);
      }
      _exit(0);
    }
  }
  while (wait(NULL) > 0)
    ;
}

int main(int argc, char **argv)
{
  int children = argc > 1 ? atoi(argv[1]) : 400;
  if (children < 2) {
    fprintf(stderr, "bench_fork_scaling: CHILDREN must be a whole number of at least 2\n");
    return 2;
  }
  printf("mode,pages,jobs,ms_per_child\n");
  const int page_counts[] = {300, 1000};
  const char *modes[] = {"siblings", "independent", "compute"};
  for (int mode = 0; mode < 3; mode++)
    for (int k = 0; k < 2; k++)
      for (int jobs = 1; jobs <= 2; jobs++) {
        compute_only = mode == 2;
        double start = now_ms();
        (mode == 1 ? independent : siblings)(children, page_counts[k], jobs);
        printf("%s,%d,%d,%.2f\n", modes[mode], page_counts[k], jobs, (now_ms() - start) / children);
        fflush(stdout);
      }
  return 0;
}
