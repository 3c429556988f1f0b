/* The summary `ftpsim run` prints: what the sessions meant to do, what they did, every kind of failure
 * that happened with a few words of why (and none that did not), quantiles over sessions, and one line
 * per client model and per server policy when a run mixes them. Plain text from the run's RunStats. */
#ifndef FTPSIM_SUMMARY_TEXT_H
#define FTPSIM_SUMMARY_TEXT_H

#include <stdio.h>

#include <glib.h>

#include "records.h"

G_BEGIN_DECLS

/* One client model's or server policy's share of a run. */
typedef struct SummaryGroup {
  const char *name; /* the catalog's name: lives for the run */
  guint64 sessions;
  guint64 intended;
  guint64 completed;
  guint64 lost;
  guint64 rejected;
} SummaryGroup;

/* The run's sessions by client model and by server policy, in the order each name first ended a session. */
typedef struct RunBreakdown {
  GArray *by_client_model;  /* SummaryGroup */
  GArray *by_server_policy; /* SummaryGroup */
} RunBreakdown;

void run_breakdown_init(RunBreakdown *breakdown);
/* Once per ended session (a few names: a linear search). */
void run_breakdown_add(RunBreakdown *breakdown, const SessionRecord *record);
void run_breakdown_clear(RunBreakdown *breakdown);

typedef struct SummaryText {
  const char *platform_label;
  guint64 seed;
  const char *client_model;  /* the run's, or "mixed" */
  const char *server_policy; /* the run's, or "mixed" */
  const RunStats *run;
  const RunBreakdown *breakdown; /* may be NULL: no per-model lines */
  double simulated_time;
} SummaryText;

/* Every line but the list of files written. */
void summary_text_write(FILE *stream, const SummaryText *summary);

G_END_DECLS

#endif
