/* A parameter sweep's plan: the grammar of --vary, the cartesian product of the varied values, the
 * seed of every run and the digest that names the sweep. Pure C on GLib and the parameter table,
 * without SimGrid, so the unit tests call it directly. */
#ifndef FTPSIM_SWEEP_PLAN_H
#define FTPSIM_SWEEP_PLAN_H

#include <glib.h>

G_BEGIN_DECLS

#define FTPSIM_SWEEP_ERROR (ftpsim_sweep_error_quark())
GQuark ftpsim_sweep_error_quark(void);

/* Without --force a sweep may plan at most this many runs (points x reps): a typo such as
 * 1..1000000 is caught before anything runs. */
#define SWEEP_MAX_RUNS_UNFORCED G_GUINT64_CONSTANT(100000)
/* Even forced, one range materialises its values: beyond this it would not fit in memory usefully. */
#define SWEEP_MAX_RANGE_VALUES G_GUINT64_CONSTANT(10000000)

/* The key under which platform files vary (not a parameter: a positional argument of 'ftpsim run'). */
#define SWEEP_PLATFORM_KEY "platform"

typedef struct SweepDimension {
  gchar *key;        /* a parameter key, or SWEEP_PLATFORM_KEY */
  GPtrArray *values; /* gchar*, canonical texts in the order given; never empty */
  GPtrArray *dirs;   /* platform dimension only: the folder each relative path is relative to */
} SweepDimension;

void sweep_dimension_free(SweepDimension *dimension);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SweepDimension, sweep_dimension_free)

/* Parses "KEY=V1,V2,..." (or "KEY=V1;V2;..." when values hold commas) or "KEY=LOW..HIGH[:STEP]"
 * (STEP defaults to 1, numeric keys only) for a known parameter key.
 * Every value is validated against the key's range; a list with an empty item, a range whose LOW
 * is above HIGH, a STEP that is not positive, or a range of a choice key is an error. A range of
 * more than SWEEP_MAX_RUNS_UNFORCED values is refused unless force. */
SweepDimension *sweep_dimension_parse(const char *text, gboolean force, GError **error);

/* A dimension of platform files, each resolved later relative to base_dir. */
SweepDimension *sweep_dimension_platforms(const char *const *paths, const char *base_dir);

typedef struct SweepPlan {
  GPtrArray *sets;       /* gchar* "KEY=VALUE", canonical, sorted by key, one per key */
  GPtrArray *dimensions; /* SweepDimension*, the first one varying slowest */
  guint64 reps;
  guint64 seed;
  gboolean trace;          /* runs write commands.csv, collected in DIR/commands.csv */
  gboolean session_detail; /* DIR/sessions.csv collects every run's sessions */
  GPtrArray *simgrid_args; /* gchar* --cfg=... / --log=... passed to every run */
} SweepPlan;

SweepPlan *sweep_plan_new(void);
void sweep_plan_free(SweepPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SweepPlan, sweep_plan_free)

/* Sets KEY=VALUE (validated) for every run; a later set of the same key replaces the earlier one. */
gboolean sweep_plan_set(SweepPlan *plan, const char *assignment, GError **error);
/* Adds a dimension, replacing one of the same key; takes ownership. */
void sweep_plan_vary(SweepPlan *plan, SweepDimension *dimension);
/* Removes a set or a dimension of key, so that a later source (the command line) overrides it. */
void sweep_plan_forget(SweepPlan *plan, const char *key);
const SweepDimension *sweep_plan_find_dimension(const SweepPlan *plan, const char *key);

/* Checks the plan as a whole (a key both set and varied, too many runs) and returns the point
 * count in *points. */
gboolean sweep_plan_check(const SweepPlan *plan, gboolean force, guint64 *points, GError **error);

/* The point's value index in each dimension (indices[d] for dimensions[d]); point < points. */
void sweep_plan_point_indices(const SweepPlan *plan, guint64 point, guint64 *indices);

/* "client.start_port=900 server.policy=nt351": the point's values, for messages;
 * "(no varied parameter)" when nothing varies. */
gchar *sweep_plan_point_description(const SweepPlan *plan, guint64 point);

/* Parses a whole number in min..max for an option or an experiment-file key named what. */
gboolean sweep_parse_count(const char *what, const char *text, guint64 min, guint64 max, guint64 *value,
                           GError **error);

/* The seed of run (point, rep) of a sweep seeded with base:
 *   splitmix64(splitmix64(splitmix64(base) ^ point) ^ rep)
 * where splitmix64 is Steele, Lea and Flood's finaliser (2014) applied to x + 0x9e3779b97f4a7c15.
 * Plain 64-bit integer arithmetic, so every machine derives the same seeds. */
guint64 sweep_splitmix64(guint64 x);
guint64 sweep_seed(guint64 base, guint64 point, guint64 rep);

/* The canonical text of everything that decides the sweep's results (not --jobs, not --out),
 * and its SHA-256 in hex: a resumed sweep must have the same digest. */
gchar *sweep_plan_canonical_text(const SweepPlan *plan);
gchar *sweep_plan_digest(const SweepPlan *plan);

G_END_DECLS

#endif
