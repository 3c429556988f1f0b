/* The sweep's files built from its runs: DIR/sweep.txt (the definition, for people) when it starts,
 * and at the end runs.csv, sessions.csv and commands.csv: every finished run's rows with its point and
 * rep in front, in (point, rep) order whatever order the runs finished in. */
#ifndef FTPSIM_SWEEP_COLLECT_H
#define FTPSIM_SWEEP_COLLECT_H

#include <stdio.h>

#include <glib.h>

#include "sweep_plan.h"
#include "sweep_runs.h"

G_BEGIN_DECLS

/* Builds DIR/target from every finished run's source file (e.g. "summary.csv" into "runs.csv"). Every
 * run's header must equal the first one's. With no finished run there is no file (an old one goes). */
gboolean sweep_collect_file(const SweepRuns *runs, const char *source, const char *target, GError **error);

/* Appends the CSV file at path to stream with "point,rep" columns in front; the header is written from
 * the first file (*header NULL) and checked against it for the others. */
gboolean sweep_collect_csv(FILE *stream, const char *path, guint64 point, guint64 rep, gchar **header, GError **error);

/* Writes DIR/sweep.txt, the plan's canonical text. */
gboolean sweep_write_definition(const char *out_dir, const SweepPlan *plan, GError **error);

G_END_DECLS

#endif
