/* ftpsim models and ftpsim params: what can be chosen and set, generated from the registries. */
#include <stdio.h>
#include <string.h>

#include "client_model.h"
#include "client_reaction.h"
#include "server_reaction.h"
#include "params.h"
#include "server_policy.h"
#include "commands.h"

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
  printf("Client models (client.model):\n");
  for (const ClientModel *const *model = client_models(); *model != NULL; model++) {
    printf("  %-12s %s\n", (*model)->name, (*model)->summary);
    printf("  %-12s source: %s\n", "", (*model)->source);
    print_params((*model)->params);
  }
  printf("\nServer policies (server.policy):\n");
  for (const ServerPolicy *const *policy = server_policies(); *policy != NULL; policy++) {
    printf("  %-12s %s\n", (*policy)->name, (*policy)->summary);
    printf("  %-12s source: %s\n", "", (*policy)->source);
    print_params((*policy)->params);
  }
  printf("\nClient reactions to a rejected PORT (client.reaction):\n");
  for (const ClientReaction *const *reaction = client_reactions(); *reaction != NULL; reaction++) {
    printf("  %-14s %s\n", (*reaction)->name, (*reaction)->summary);
    printf("  %-14s source: %s\n", "", (*reaction)->source);
    print_params((*reaction)->params);
  }
  printf("\nServer reactions to repeated rejections (server.reaction):\n");
  for (const ServerReaction *const *reaction = server_reactions(); *reaction != NULL; reaction++) {
    printf("  %-14s %s\n", (*reaction)->name, (*reaction)->summary);
    printf("  %-14s source: %s\n", "", (*reaction)->source);
    print_params((*reaction)->params);
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
