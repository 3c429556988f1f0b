/* ftpsim models and ftpsim params: what can be chosen and set, generated from the catalog and the parameter table. */
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "commands.h"
#include "nearest.h"
#include "params.h"

/* The key and default columns: as wide as the longest key and default, so that each starts in one column. */
static int column_width(gboolean defaults)
{
  const GPtrArray *all = params_all();
  int width = 0;
  for (guint i = 0; i < all->len; i++) {
    const ParamSpec *spec = g_ptr_array_index(all, i);
    width = MAX(width, (int)strlen(defaults ? spec->default_value : spec->key));
  }
  return width;
}

static void print_param(const ParamSpec *spec, const char *indent)
{
  g_autofree gchar *accepted = param_spec_accepted(spec);
  printf("%s%-*s default %-*s accepted %-26s %s%s%s%s\n", indent, column_width(FALSE), spec->key, column_width(TRUE),
         spec->default_value, accepted, spec->help, spec->unit ? " (" : "", spec->unit ? spec->unit : "",
         spec->unit ? ")" : "");
}

static void print_params(const ParamSpec *specs)
{
  for (const ParamSpec *spec = specs; spec != NULL && spec->key != NULL; spec++)
    print_param(spec, "      ");
}

static gboolean takes_no_arguments(int argc, char **argv, const char *usage)
{
  if (argc <= 1)
    return TRUE;
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    printf("%s\n", usage);
    exit(0);
  }
  g_autofree gchar *message = g_strdup_printf("unexpected argument '%s' (usage: %s)", argv[1], usage);
  fail_usage(message);
  return FALSE;
}

/* The name column of a kind's listing: as wide as its longest name, and at least 12. */
static int listing_name_width(ModelKind kind)
{
  int width = 12;
  for (const ModelInfo *const *model = catalog_models(kind); *model != NULL; model++)
    width = MAX(width, (int)strlen((*model)->name));
  return width;
}

static void print_model(ModelKind kind, const ModelInfo *model)
{
  const int width = listing_name_width(kind);
  printf("  %-*s %s\n", width, model->name, model->summary);
  printf("  %-*s source: %s\n", width, "", model->source);
  for (const char *const *assumption = model->assumptions; assumption != NULL && *assumption != NULL; assumption++)
    printf("  %-*s assumption: %s\n", width, "", *assumption);
  print_params(model->params);
}

/* 'ftpsim models NAME': the model of that name, under its kind's title (a name may be a client model and a
 * reaction at once: each is shown). */
static int print_one_model(const char *name)
{
  gboolean found = FALSE;
  g_autoptr(GPtrArray) names = g_ptr_array_new();
  for (ModelKind kind = 0; kind < MODEL_KIND_COUNT; kind++) {
    const ModelKindInfo *info = catalog_kind(kind);
    for (const ModelInfo *const *model = catalog_models(kind); *model != NULL; model++) {
      g_ptr_array_add(names, (gpointer)(*model)->name);
      if (strcmp((*model)->name, name) != 0)
        continue;
      printf("%s%s (%s):\n", found ? "\n" : "", info->title, info->chosen_by);
      print_model(kind, *model);
      found = TRUE;
    }
  }
  if (found)
    return 0;
  g_autofree gchar *hint = nearest_hint(name, (const char *const *)names->pdata, (gint)names->len);
  g_autofree gchar *message = g_strdup_printf("unknown model '%s' (%s%s'ftpsim models' lists every model)", name,
                                              hint ? hint : "", hint ? " " : "");
  return fail_usage(message);
}

int cmd_models(int argc, char **argv)
{
  static const char usage[] =
      "ftpsim models [NAME]: lists every client model, server policy, reaction and middlebox, or the "
      "one called NAME";
  if (argc == 2 && argv[1][0] != '-')
    return print_one_model(argv[1]);
  if (!takes_no_arguments(argc, argv, usage))
    return EXIT_USAGE;
  for (ModelKind kind = 0; kind < MODEL_KIND_COUNT; kind++) {
    const ModelKindInfo *info = catalog_kind(kind);
    printf("%s%s (%s):\n", kind > 0 ? "\n" : "", info->title, info->chosen_by);
    for (const ModelInfo *const *model = catalog_models(kind); *model != NULL; model++)
      print_model(kind, *model);
  }
  printf("\nEvery key, with the general ones: ftpsim params\n");
  return 0;
}

/* The README's parameter table is this output, so that the two cannot drift apart (a test checks). */
static void print_markdown_table(void)
{
  const GPtrArray *all = params_all();
  printf("| key | default | accepted | unit | meaning |\n|---|---|---|---|---|\n");
  for (guint i = 0; i < all->len; i++) {
    const ParamSpec *spec = g_ptr_array_index(all, i);
    g_autofree gchar *accepted = param_spec_accepted(spec);
    g_auto(GStrv) choices = g_strsplit(accepted, "|", -1);
    g_autofree gchar *escaped = g_strjoinv("\\|", choices); /* a bare | would end the table cell */
    printf("| `%s` | `%s` | %s | %s | %s |\n", spec->key, spec->default_value, escaped, spec->unit ? spec->unit : "",
           spec->help);
  }
}

int cmd_params(int argc, char **argv)
{
  static const char usage[] =
      "ftpsim params [--markdown | KEY]: lists every parameter key with its default and range, or the one KEY";
  if (argc == 2 && strcmp(argv[1], "--markdown") == 0) {
    print_markdown_table();
    return 0;
  }
  if (argc == 2 && argv[1][0] != '-') {
    const ParamSpec *spec = params_find(argv[1]);
    if (spec == NULL) {
      g_autofree gchar *message = params_unknown_key_message(argv[1]);
      return fail_usage(message);
    }
    print_param(spec, "");
    return 0;
  }
  if (!takes_no_arguments(argc, argv, usage))
    return EXIT_USAGE;
  const GPtrArray *all = params_all();
  for (guint i = 0; i < all->len; i++)
    print_param(g_ptr_array_index(all, i), "");
  return 0;
}
