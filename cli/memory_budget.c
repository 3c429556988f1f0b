#include "memory_budget.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "exit.h"
#include "memory_estimate.h"
#include "output.h"

static void take_lower(MemoryBudget *budget, guint64 bytes, const char *bound)
{
  if (bytes < budget->bytes) {
    budget->bytes = bytes;
    budget->bound = bound;
  }
}

static gboolean read_u64_file(const char *path, guint64 *value)
{
  g_autofree gchar *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL))
    return FALSE;
  char *end = NULL;
  *value = g_ascii_strtoull(text, &end, 10);
  return end != text; /* "max" reads as nothing */
}

void memory_budget_read(MemoryBudget *budget)
{
  *budget = (MemoryBudget){.bytes = G_MAXUINT64, .bound = "no known limit"};
  g_autofree gchar *meminfo = NULL;
  if (g_file_get_contents("/proc/meminfo", &meminfo, NULL, NULL)) {
    const char *line = strstr(meminfo, "MemAvailable:");
    guint64 kib = 0;
    if (line != NULL && sscanf(line, "MemAvailable: %" G_GUINT64_FORMAT " kB", &kib) == 1)
      take_lower(budget, kib << 10, "available memory (MemAvailable)");
  }
  struct rlimit limit;
  if (getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    take_lower(budget, (guint64)limit.rlim_cur, "the address-space limit (ulimit -v)");
  guint64 cgroup_max = 0, cgroup_current = 0;
  if (read_u64_file("/sys/fs/cgroup/memory.max", &cgroup_max) &&
      read_u64_file("/sys/fs/cgroup/memory.current", &cgroup_current) && cgroup_max > cgroup_current)
    take_lower(budget, cgroup_max - cgroup_current, "the cgroup's memory.max");
}

/* What the messages suggest: the event loop, with control messages and transfers timed by ftpsim's fluid model
 * of the links (no actor per session or transfer; within 1% of the shared model, docs/performance.md). */
#define LIGHT_SETTINGS "--set network.control=loaded --set network.transfers=loaded --set engine.sessions=event-loop"

/* Not g_format_size(): it puts a no-break space between number and unit, which grep and tests trip on. */
static gchar *format_bytes(guint64 bytes)
{
  if (bytes >= (1ull << 30))
    return g_strdup_printf("%.1f GiB", (double)bytes / (1ull << 30));
  return g_strdup_printf("%.1f MiB", (double)bytes / (1ull << 20));
}

gboolean memory_check_scenario(Scenario *scenario, const MemoryBudget *budget, gboolean quiet, GError **error)
{
  MemoryEstimate estimate;
  memory_estimate(scenario, &estimate);
  if (estimate.bytes <= budget->bytes)
    return TRUE;
  g_autofree gchar *need = format_bytes(estimate.bytes);
  g_autofree gchar *have = format_bytes(budget->bytes);
  g_autofree gchar *light = format_bytes(estimate.event_loop_bytes);
  g_autofree gchar *fluid = format_bytes(estimate.fluid_bytes);
  if (estimate.event_loop_same && estimate.event_loop_bytes <= budget->bytes) {
    memory_estimate_use_event_loop(scenario);
    if (!quiet)
      fprintf(stderr,
              "ftpsim: %" G_GUINT64_FORMAT " sessions at once need about %s with an actor each, more than the %s"
              " of %s: they run on the event loop (engine.sessions=event-loop, about %s), which gives the same"
              " results on network.control=uncongested\n",
              estimate.sessions_at_once, need, have, budget->bound, light);
    return TRUE;
  }
  /* the lightest faithful setting: no actor for a session nor a transfer, within 1% of the shared model */
  if (estimate.fluid_bytes <= budget->bytes)
    g_set_error(error, FTPSIM_SCENARIO_ERROR, 0,
                "%" G_GUINT64_FORMAT " sessions at once need about %s with an actor each, more than the %s of %s;"
                " with no actor they need about %s: add " LIGHT_SETTINGS
                ", or start fewer sessions at once (workload.arrival=interval|poisson)",
                estimate.sessions_at_once, need, have, budget->bound, fluid);
  else
    g_set_error(error, FTPSIM_SCENARIO_ERROR, 0,
                "%" G_GUINT64_FORMAT " sessions at once need about %s, more than the %s of %s, even with no actor"
                " (about %s): start fewer sessions at once (client.sessions, workload.arrival=interval|poisson)",
                estimate.sessions_at_once, need, have, budget->bound, fluid);
  return FALSE;
}

void memory_budget_exceeded(gpointer data, guint64 sessions_alive, double simulated_time)
{
  const MemoryBudget *budget = data;
  g_autofree gchar *have = format_bytes(budget->bytes);
  fprintf(stderr,
          "ftpsim: stopped at %.6f s (simulated): %" G_GUINT64_FORMAT " sessions alive at once need more than"
          " the %s of %s; start fewer at once (a lower workload.rate, a longer workload.interval, fewer"
          " client.sessions) or add " LIGHT_SETTINGS "; nothing was written\n",
          simulated_time, sessions_alive, have, budget->bound);
  fflush(stderr);
  output_remove_pending();
  _exit(EXIT_USAGE); /* SimGrid's actors are mid-run: no exit handlers */
}
