/* The sweep's files built from its runs: DIR/sweep.txt (the definition, for people) and provenance.csv when it
 * starts,
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

/* The same, with the point's value of every varied parameter after point and rep, in a column named by its key
 * ("platform" for --platform): a sweep's sessions.csv and commands.csv, whose rows would not say otherwise
 * (runs.csv has every parameter already). plan NULL: point and rep only. */
gboolean sweep_collect_file_varied(const SweepRuns *runs, const SweepPlan *plan, const char *source, const char *target,
                                   GError **error);
/* What a sweep writes from its finished runs, the local pool and --collect alike: runs.csv, failures.csv
 * (failures: rows of sweep_failures.h), and sessions.csv and commands.csv when the plan asks for them. */
gboolean sweep_collect_outputs(const SweepRuns *runs, const SweepPlan *plan, GPtrArray *failures, GError **error);

/* "point,rep,client.start_port,server.policy" and "3,0,1021,nt351sp2": the columns sweep_collect_file_varied puts
 * in front, and their fields for run (point, rep), CSV-quoted. Free with g_free. */
gchar *sweep_collect_varied_names(const SweepPlan *plan);
gchar *sweep_collect_varied_fields(const SweepPlan *plan, guint64 point, guint64 rep);

/* Appends the CSV file at path to stream with "point,rep" columns in front; the header is written from
 * the first file (*header NULL) and checked against it for the others. */
gboolean sweep_collect_csv(FILE *stream, const char *path, guint64 point, guint64 rep, gchar **header, GError **error);

/* Writes DIR/provenance.csv (the sweep's seed) and DIR/sweep.txt, the plan's canonical text. */
gboolean sweep_write_definition(const char *out_dir, const SweepPlan *plan, GError **error);

G_END_DECLS

#endif
