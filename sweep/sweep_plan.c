#include "sweep_plan.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "params.h"

G_DEFINE_QUARK(ftpsim - sweep - error - quark, ftpsim_sweep_error)

void sweep_dimension_free(SweepDimension *dimension)
{
  if (dimension == NULL)
    return;
  g_free(dimension->key);
  g_ptr_array_unref(dimension->values);
  if (dimension->dirs)
    g_ptr_array_unref(dimension->dirs);
  g_free(dimension);
}

static SweepDimension *dimension_new(const char *key)
{
  SweepDimension *dimension = g_new0(SweepDimension, 1);
  dimension->key = g_strdup(key);
  dimension->values = g_ptr_array_new_with_free_func(g_free);
  return dimension;
}

static gboolean sweep_error(GError **error, const char *format, ...) G_GNUC_PRINTF(2, 3);
static gboolean sweep_error(GError **error, const char *format, ...)
{
  va_list args;
  va_start(args, format);
  g_autofree gchar *message = g_strdup_vprintf(format, args);
  va_end(args);
  g_set_error_literal(error, FTPSIM_SWEEP_ERROR, 0, message);
  return FALSE;
}

static gboolean add_value(SweepDimension *dimension, const ParamSpec *spec, const char *value, const char *text,
                          GError **error)
{
  gchar *canonical = NULL; /* a number's shortest round-trip text: 0.3 stays 0.3 in runs.csv and messages */
  g_autoptr(GError) problem = NULL;
  if (!param_spec_validate(spec, value, &canonical, &problem))
    return sweep_error(error, "--vary %s: %s", text, problem->message);
  g_ptr_array_add(dimension->values, canonical);
  return TRUE;
}

static gboolean parse_list(SweepDimension *dimension, const ParamSpec *spec, const char *values, const char *text,
                           GError **error)
{
  /* Values that hold commas themselves (port lists such as 20,6000-7000) are listed with ';'. */
  g_auto(GStrv) items = g_strsplit(values, strchr(values, ';') != NULL ? ";" : ",", -1);
  for (guint i = 0; items[i] != NULL; i++) {
    if (items[i][0] == '\0')
      return sweep_error(
          error, "--vary %s: empty value in the list (accepted: KEY=V1,V2,..., KEY=V1;V2;... or KEY=LOW..HIGH[:STEP])",
          text);
    if (!add_value(dimension, spec, items[i], text, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean parse_number(const char *item, const ParamSpec *spec, double *number)
{
  if (item[0] == '\0' || g_ascii_isspace(item[0]))
    return FALSE;
  char *end = NULL;
  errno = 0;
  if (spec->type == PARAM_INT)
    *number = (double)g_ascii_strtoll(item, &end, 10);
  else
    *number = g_ascii_strtod(item, &end);
  return *end == '\0' && errno == 0 && isfinite(*number);
}

static gboolean parse_range(SweepDimension *dimension, const ParamSpec *spec, const char *values, const char *dots,
                            gboolean force, const char *text, GError **error)
{
  if (spec->type == PARAM_CHOICE) {
    g_autofree gchar *accepted = param_spec_accepted(spec);
    return sweep_error(error, "--vary %s: %s takes names, not a range (list them with commas: %s)", text, spec->key,
                       accepted);
  }
  g_autofree gchar *low_text = g_strndup(values, (gsize)(dots - values));
  const char *rest = dots + 2;
  const char *colon = strchr(rest, ':');
  g_autofree gchar *high_text = colon ? g_strndup(rest, (gsize)(colon - rest)) : g_strdup(rest);
  const char *step_text = colon ? colon + 1 : "1";
  double low, high, step;
  const char *number_kind = spec->type == PARAM_INT ? "whole numbers" : "numbers";
  if (!parse_number(low_text, spec, &low) || !parse_number(high_text, spec, &high) ||
      !parse_number(step_text, spec, &step))
    return sweep_error(error, "--vary %s: a range is LOW..HIGH[:STEP] with %s (for example %s=900..1100:10)", text,
                       number_kind, spec->key);
  if (step <= 0)
    return sweep_error(error, "--vary %s: the step must be above 0", text);
  if (low > high)
    return sweep_error(error, "--vary %s: the range is empty (LOW %s is above HIGH %s)", text, low_text, high_text);
  /* The small tolerance keeps 0..1:0.1 at 11 values despite binary rounding. */
  double count_real = floor((high - low) / step * (1 + 1e-12)) + 1;
  guint64 limit = force ? SWEEP_MAX_RANGE_VALUES : SWEEP_MAX_RUNS_UNFORCED;
  if (count_real > (double)limit)
    return sweep_error(error, "--vary %s: %.0f values, more than %" G_GUINT64_FORMAT "%s", text, count_real, limit,
                       force ? " (the most one range can hold)" : " (use --force to run it anyway, or a larger STEP)");
  guint64 count = (guint64)count_real;
  g_ptr_array_set_size(dimension->values, 0);
  for (guint64 i = 0; i < count; i++) {
    gchar *value;
    if (spec->type == PARAM_INT)
      value = g_strdup_printf("%" G_GINT64_FORMAT, (gint64)low + (gint64)i * (gint64)step);
    else {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      /* 12 significant digits drop the rounding noise of low + i * step (0.30000000000000004). */
      value = g_strdup(g_ascii_formatd(buf, sizeof buf, "%.12g", low + (double)i * step));
    }
    gboolean ok = add_value(dimension, spec, value, text, error);
    g_free(value);
    if (!ok)
      return FALSE;
  }
  return TRUE;
}

SweepDimension *sweep_dimension_parse(const char *text, gboolean force, GError **error)
{
  const char *equals = strchr(text, '=');
  if (equals == NULL || equals == text) {
    sweep_error(error,
                "--vary '%s' is not KEY=V1,V2,... or KEY=LOW..HIGH[:STEP] (for example "
                "client.start_port=900..1100)",
                text);
    return NULL;
  }
  g_autofree gchar *key = g_strndup(text, (gsize)(equals - text));
  const char *values = equals + 1;
  if (strcmp(key, SWEEP_PLATFORM_KEY) == 0) {
    sweep_error(error, "--vary %s: platforms vary with --platform FILE, once per file", text);
    return NULL;
  }
  const ParamSpec *spec = params_find(key);
  if (spec == NULL) {
    g_autofree gchar *unknown = params_unknown_key_message(key);
    sweep_error(error, "--vary %s: %s", text, unknown);
    return NULL;
  }
  if (values[0] == '\0') {
    sweep_error(error, "--vary %s: no values (accepted: KEY=V1,V2,... or KEY=LOW..HIGH[:STEP])", text);
    return NULL;
  }
  g_autoptr(SweepDimension) dimension = dimension_new(spec->key);
  const char *dots = strstr(values, "..");
  gboolean numeric = spec->type == PARAM_INT || spec->type == PARAM_DOUBLE;
  gboolean ok = dots != NULL && (numeric || spec->type == PARAM_CHOICE)
                    ? parse_range(dimension, spec, values, dots, force, text, error)
                    : parse_list(dimension, spec, values, text, error);
  return ok ? g_steal_pointer(&dimension) : NULL;
}

SweepDimension *sweep_dimension_platforms(const char *const *paths, const char *base_dir)
{
  SweepDimension *dimension = dimension_new(SWEEP_PLATFORM_KEY);
  dimension->dirs = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; paths[i] != NULL; i++) {
    g_ptr_array_add(dimension->values, g_strdup(paths[i]));
    g_ptr_array_add(dimension->dirs, g_strdup(base_dir));
  }
  return dimension;
}

SweepPlan *sweep_plan_new(void)
{
  SweepPlan *plan = g_new0(SweepPlan, 1);
  plan->sets = g_ptr_array_new_with_free_func(g_free);
  plan->dimensions = g_ptr_array_new_with_free_func((GDestroyNotify)sweep_dimension_free);
  plan->simgrid_args = g_ptr_array_new_with_free_func(g_free);
  plan->reps = 1;
  plan->seed = 1;
  return plan;
}

void sweep_plan_free(SweepPlan *plan)
{
  if (plan == NULL)
    return;
  g_ptr_array_unref(plan->sets);
  g_ptr_array_unref(plan->dimensions);
  g_ptr_array_unref(plan->simgrid_args);
  g_free(plan);
}

static gboolean assignment_has_key(const char *assignment, const char *key)
{
  size_t length = strlen(key);
  return strncmp(assignment, key, length) == 0 && assignment[length] == '=';
}

static gint compare_strings(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void sweep_plan_forget(SweepPlan *plan, const char *key)
{
  for (guint i = plan->sets->len; i-- > 0;)
    if (assignment_has_key(g_ptr_array_index(plan->sets, i), key))
      g_ptr_array_remove_index(plan->sets, i);
  for (guint i = plan->dimensions->len; i-- > 0;)
    if (strcmp(((SweepDimension *)g_ptr_array_index(plan->dimensions, i))->key, key) == 0)
      g_ptr_array_remove_index(plan->dimensions, i);
}

gboolean sweep_plan_set(SweepPlan *plan, const char *assignment, GError **error)
{
  const char *equals = strchr(assignment, '=');
  if (equals == NULL || equals == assignment)
    return sweep_error(error, "--set '%s' is not KEY=VALUE (for example session.commands=300)", assignment);
  g_autofree gchar *key = g_strndup(assignment, (gsize)(equals - assignment));
  const ParamSpec *spec = params_find(key);
  if (spec == NULL) {
    g_autofree gchar *unknown = params_unknown_key_message(key);
    return sweep_error(error, "--set %s: %s", assignment, unknown);
  }
  gchar *canonical = NULL;
  g_autoptr(GError) problem = NULL;
  if (!param_spec_validate(spec, equals + 1, &canonical, &problem))
    return sweep_error(error, "--set %s", problem->message);
  for (guint i = plan->sets->len; i-- > 0;)
    if (assignment_has_key(g_ptr_array_index(plan->sets, i), spec->key))
      g_ptr_array_remove_index(plan->sets, i);
  g_ptr_array_add(plan->sets, g_strdup_printf("%s=%s", spec->key, canonical));
  g_free(canonical);
  g_ptr_array_sort(plan->sets, compare_strings);
  return TRUE;
}

void sweep_plan_vary(SweepPlan *plan, SweepDimension *dimension)
{
  for (guint i = 0; i < plan->dimensions->len; i++) {
    if (strcmp(((SweepDimension *)g_ptr_array_index(plan->dimensions, i))->key, dimension->key) == 0) {
      sweep_dimension_free(plan->dimensions->pdata[i]);
      plan->dimensions->pdata[i] = dimension;
      return;
    }
  }
  g_ptr_array_add(plan->dimensions, dimension);
}

const SweepDimension *sweep_plan_find_dimension(const SweepPlan *plan, const char *key)
{
  for (guint i = 0; i < plan->dimensions->len; i++) {
    const SweepDimension *dimension = g_ptr_array_index(plan->dimensions, i);
    if (strcmp(dimension->key, key) == 0)
      return dimension;
  }
  return NULL;
}

gboolean sweep_plan_check(const SweepPlan *plan, gboolean force, guint64 *points, GError **error)
{
  if (plan->reps == 0)
    return sweep_error(error, "--reps must be at least 1");
  guint64 count = 1;
  for (guint i = 0; i < plan->dimensions->len; i++) {
    const SweepDimension *dimension = g_ptr_array_index(plan->dimensions, i);
    for (guint j = 0; j < plan->sets->len; j++)
      if (assignment_has_key(g_ptr_array_index(plan->sets, j), dimension->key))
        return sweep_error(error, "%s is both set and varied (give it once: --set or --vary)", dimension->key);
    if (dimension->values->len == 0)
      return sweep_error(error, "--vary %s: no values", dimension->key);
    if (count > G_MAXUINT64 / dimension->values->len)
      return sweep_error(error, "the sweep has more points than can be counted");
    count *= dimension->values->len;
  }
  if (count > G_MAXUINT64 / plan->reps)
    return sweep_error(error, "the sweep has more runs than can be counted");
  guint64 runs = count * plan->reps;
  if (runs > SWEEP_MAX_RUNS_UNFORCED && !force)
    return sweep_error(error,
                       "the sweep would make %" G_GUINT64_FORMAT " runs (%" G_GUINT64_FORMAT
                       " points x %" G_GUINT64_FORMAT " reps), more than %" G_GUINT64_FORMAT
                       " (use --force to run it anyway)",
                       runs, count, plan->reps, SWEEP_MAX_RUNS_UNFORCED);
  *points = count;
  return TRUE;
}

void sweep_plan_point_indices(const SweepPlan *plan, guint64 point, guint64 *indices)
{
  /* Mixed radix with the last dimension as the lowest digit: the first dimension varies slowest,
   * as in nested loops written in the order the dimensions were given. */
  for (guint i = plan->dimensions->len; i-- > 0;) {
    const SweepDimension *dimension = g_ptr_array_index(plan->dimensions, i);
    indices[i] = point % dimension->values->len;
    point /= dimension->values->len;
  }
}

gchar *sweep_plan_point_description(const SweepPlan *plan, guint64 point)
{
  guint64 indices[plan->dimensions->len + 1];
  sweep_plan_point_indices(plan, point, indices);
  GString *text = g_string_new(NULL);
  for (guint d = 0; d < plan->dimensions->len; d++) {
    const SweepDimension *dimension = g_ptr_array_index(plan->dimensions, d);
    g_string_append_printf(text, "%s%s=%s", d ? " " : "", dimension->key,
                           (const char *)g_ptr_array_index(dimension->values, indices[d]));
  }
  if (text->len == 0)
    g_string_append(text, "(no varied parameter)");
  return g_string_free(text, FALSE);
}

gboolean sweep_parse_count(const char *what, const char *text, guint64 min, guint64 max, guint64 *value, GError **error)
{
  if (!g_ascii_string_to_unsigned(text, 10, min, max, value, NULL))
    return sweep_error(error, "%s: '%s' is not a whole number in %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT, what, text,
                       min, max);
  return TRUE;
}

guint64 sweep_splitmix64(guint64 x)
{
  guint64 z = x + G_GUINT64_CONSTANT(0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

guint64 sweep_seed(guint64 base, guint64 point, guint64 rep)
{
  return sweep_splitmix64(sweep_splitmix64(sweep_splitmix64(base) ^ point) ^ rep);
}

gchar *sweep_plan_canonical_text(const SweepPlan *plan)
{
  GString *text = g_string_new("ftpsim-sweep 1\n");
  g_string_append_printf(text, "seed %" G_GUINT64_FORMAT "\nreps %" G_GUINT64_FORMAT "\ntrace %d\nsessions %d\n",
                         plan->seed, plan->reps, plan->trace ? 1 : 0, plan->session_detail ? 1 : 0);
  for (guint i = 0; i < plan->simgrid_args->len; i++)
    g_string_append_printf(text, "simgrid %s\n", (const char *)g_ptr_array_index(plan->simgrid_args, i));
  for (guint i = 0; i < plan->sets->len; i++)
    g_string_append_printf(text, "set %s\n", (const char *)g_ptr_array_index(plan->sets, i));
  for (guint i = 0; i < plan->dimensions->len; i++) {
    const SweepDimension *dimension = g_ptr_array_index(plan->dimensions, i);
    g_string_append_printf(text, "vary %s", dimension->key);
    for (guint j = 0; j < dimension->values->len; j++)
      g_string_append_printf(text, "%s%s", j ? "," : "=", (const char *)g_ptr_array_index(dimension->values, j));
    g_string_append_c(text, '\n');
  }
  return g_string_free(text, FALSE);
}

gchar *sweep_plan_digest(const SweepPlan *plan)
{
  g_autofree gchar *text = sweep_plan_canonical_text(plan);
  return g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);
}
