/* ftpsim models and ftpsim params: what can be chosen and set, generated from the catalog and the parameter table. */
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "commands.h"
#include "params.h"

static void print_param(const ParamSpec *spec, const char *indent)
{
  g_autofree gchar *accepted = param_spec_accepted(spec);
  printf("%s%-26s default %-10s accepted %-26s %s%s%s%s\n", indent, spec->key, spec->default_value, accepted,
         spec->help, spec->unit ? " (" : "", spec->unit ? spec->unit : "", spec->unit ? ")" : "");
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

int cmd_models(int argc, char **argv)
{
  if (!takes_no_arguments(argc, argv, "ftpsim models: lists every client model and server policy"))
    return EXIT_USAGE;
  for (ModelKind kind = 0; kind < MODEL_KIND_COUNT; kind++) {
    const ModelKindInfo *info = catalog_kind(kind);
    printf("%s%s (%s):\n", kind > 0 ? "\n" : "", info->title, info->chooser->key);
    for (const ModelInfo *const *model = catalog_models(kind); *model != NULL; model++) {
      printf("  %-*s %s\n", info->listing_name_width, (*model)->name, (*model)->summary);
      printf("  %-*s source: %s\n", info->listing_name_width, "", (*model)->source);
      print_params((*model)->params);
    }
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
  static const char usage[] = "ftpsim params [--markdown]: lists every parameter key with its default and range";
  if (argc == 2 && strcmp(argv[1], "--markdown") == 0) {
    print_markdown_table();
    return 0;
  }
  if (!takes_no_arguments(argc, argv, usage))
    return EXIT_USAGE;
  const GPtrArray *all = params_all();
  for (guint i = 0; i < all->len; i++)
    print_param(g_ptr_array_index(all, i), "");
  return 0;
}
