#include "catalog.h"

#include <string.h>

#include "client_model.h"
#include "client_reaction.h"
#include "middlebox.h"
#include "server_policy.h"
#include "server_reaction.h"

G_DEFINE_QUARK(ftpsim - model - error - quark, ftpsim_model_error)

/* ---- the rows: a new model is its file, and its declaration and row here ---- */

extern const ClientModel client_model_as400;
extern const ClientModel client_model_sequential;
extern const ClientModel client_model_rfc6056_1;
extern const ClientModel client_model_rfc6056_2;
extern const ClientModel client_model_rfc6056_3;
extern const ClientModel client_model_rfc6056_4;
extern const ClientModel client_model_rfc6056_5;
extern const ClientModel client_model_fixed;
extern const ClientModel client_model_filezilla;

static const ClientModel *const client_model_rows[] = {
    &client_model_as400,     &client_model_sequential,
    &client_model_rfc6056_1, &client_model_rfc6056_2,
    &client_model_rfc6056_3, &client_model_rfc6056_4,
    &client_model_rfc6056_5, &client_model_fixed,
    &client_model_filezilla, NULL,
};

extern const ServerPolicy server_policy_nt351;
extern const ServerPolicy server_policy_nt351sp2;
extern const ServerPolicy server_policy_iis4;
extern const ServerPolicy server_policy_rfc2577;
extern const ServerPolicy server_policy_min_port;
extern const ServerPolicy server_policy_pasv_only;
extern const ServerPolicy server_policy_vsftpd;
extern const ServerPolicy server_policy_proftpd;
extern const ServerPolicy server_policy_pure_ftpd;
extern const ServerPolicy server_policy_pyftpdlib;
extern const ServerPolicy server_policy_wu_ftpd;
extern const ServerPolicy server_policy_iis5;
extern const ServerPolicy server_policy_iis7;
extern const ServerPolicy server_policy_filezilla_server;
extern const ServerPolicy server_policy_zos;
extern const ServerPolicy server_policy_netbsd_ftpd;

static const ServerPolicy *const server_policy_rows[] = {
    &server_policy_nt351,
    &server_policy_nt351sp2,
    &server_policy_iis4,
    &server_policy_rfc2577,
    &server_policy_min_port,
    &server_policy_pasv_only,
    &server_policy_vsftpd,
    &server_policy_proftpd,
    &server_policy_pure_ftpd,
    &server_policy_pyftpdlib,
    &server_policy_wu_ftpd,
    &server_policy_iis5,
    &server_policy_iis7,
    &server_policy_filezilla_server,
    &server_policy_zos,
    &server_policy_netbsd_ftpd,
    NULL,
};

extern const ClientReaction client_reaction_next_command;
extern const ClientReaction client_reaction_retry;
extern const ClientReaction client_reaction_pasv_fallback;
extern const ClientReaction client_reaction_give_up;

static const ClientReaction *const client_reaction_rows[] = {
    &client_reaction_next_command,
    &client_reaction_retry,
    &client_reaction_pasv_fallback,
    &client_reaction_give_up,
    NULL,
};

extern const ServerReaction server_reaction_none;
extern const ServerReaction server_reaction_disconnect;
extern const ServerReaction server_reaction_ban;
extern const ServerReaction server_reaction_tarpit;

static const ServerReaction *const server_reaction_rows[] = {
    &server_reaction_none, &server_reaction_disconnect, &server_reaction_ban, &server_reaction_tarpit, NULL,
};

extern const MiddleboxModel middlebox_netfilter;
extern const MiddleboxModel middlebox_asa;
extern const MiddleboxModel middlebox_alg;

static const MiddleboxModel *const middlebox_rows[] = {
    &middlebox_netfilter,
    &middlebox_asa,
    &middlebox_alg,
    NULL,
};

/* ---- the kinds ---- */

static const char *const *client_model_names(void)
{
  return catalog_names(MODEL_KIND_CLIENT_MODEL);
}

static const char *const *server_policy_names(void)
{
  return catalog_names(MODEL_KIND_SERVER_POLICY);
}

static const char *const *client_reaction_names(void)
{
  return catalog_names(MODEL_KIND_CLIENT_REACTION);
}

static const char *const *server_reaction_names(void)
{
  return catalog_names(MODEL_KIND_SERVER_REACTION);
}

/* The keys that choose a model of each kind (indexed by ModelKind). */
static const ParamSpec choosers[] = {
    {.key = "client.model",
     .type = PARAM_CHOICE,
     .default_value = "as400",
     .choices_func = client_model_names,
     .help = "client port-allocation model (see 'ftpsim models')"},
    {.key = "server.policy",
     .type = PARAM_CHOICE,
     .default_value = "nt351sp2",
     .choices_func = server_policy_names,
     .help = "server PORT policy (see 'ftpsim models')"},
    {.key = "client.reaction",
     .type = PARAM_CHOICE,
     .default_value = "next-command",
     .choices_func = client_reaction_names,
     .help = "what the client does after a rejected PORT (see 'ftpsim models')"},
    {.key = "server.reaction",
     .type = PARAM_CHOICE,
     .default_value = "none",
     .choices_func = server_reaction_names,
     .help = "what the server does about repeated rejections (see 'ftpsim models')"},
};

static const ModelKindInfo kinds[MODEL_KIND_COUNT] = {
    [MODEL_KIND_CLIENT_MODEL] = {.noun = "client model",
                                 .title = "Client models",
                                 .chooser = &choosers[MODEL_KIND_CLIENT_MODEL],
                                 .chosen_by = "client.model"},
    [MODEL_KIND_SERVER_POLICY] = {.noun = "server policy",
                                  .title = "Server policies",
                                  .chooser = &choosers[MODEL_KIND_SERVER_POLICY],
                                  .chosen_by = "server.policy"},
    [MODEL_KIND_CLIENT_REACTION] = {.noun = "client reaction",
                                    .title = "Client reactions to a rejected PORT",
                                    .chooser = &choosers[MODEL_KIND_CLIENT_REACTION],
                                    .chosen_by = "client.reaction"},
    [MODEL_KIND_SERVER_REACTION] = {.noun = "server reaction",
                                    .title = "Server reactions to repeated rejections",
                                    .chooser = &choosers[MODEL_KIND_SERVER_REACTION],
                                    .chosen_by = "server.reaction"},
    [MODEL_KIND_MIDDLEBOX] = {.noun = "middlebox",
                              .title = "Middleboxes on the route (a host or link's property)",
                              .chooser = NULL,
                              .chosen_by = MIDDLEBOX_PROPERTY},
};

/* ---- every kind read through its header ---- */

#define MAX_MODELS_PER_KIND 32

typedef struct KindListing {
  const ModelInfo *models[MAX_MODELS_PER_KIND + 1]; /* NULL-terminated */
  const char *names[MAX_MODELS_PER_KIND + 1];
} KindListing;

static KindListing listings[MODEL_KIND_COUNT];

static void list_kind(KindListing *listing, const ModelInfo *info, guint *count)
{
  g_assert(*count < MAX_MODELS_PER_KIND); /* raise MAX_MODELS_PER_KIND */
  listing->models[*count] = info;
  listing->names[*count] = info->name;
  (*count)++;
}

/* Built once, so that a name list stays valid for as long as the program runs. */
static void build_listings(void)
{
  static gsize built = 0;
  if (!g_once_init_enter(&built))
    return;
  guint count[MODEL_KIND_COUNT] = {0};
  for (guint i = 0; client_model_rows[i] != NULL; i++)
    list_kind(&listings[MODEL_KIND_CLIENT_MODEL], &client_model_rows[i]->info, &count[MODEL_KIND_CLIENT_MODEL]);
  for (guint i = 0; server_policy_rows[i] != NULL; i++)
    list_kind(&listings[MODEL_KIND_SERVER_POLICY], &server_policy_rows[i]->info, &count[MODEL_KIND_SERVER_POLICY]);
  for (guint i = 0; client_reaction_rows[i] != NULL; i++)
    list_kind(&listings[MODEL_KIND_CLIENT_REACTION], &client_reaction_rows[i]->info,
              &count[MODEL_KIND_CLIENT_REACTION]);
  for (guint i = 0; server_reaction_rows[i] != NULL; i++)
    list_kind(&listings[MODEL_KIND_SERVER_REACTION], &server_reaction_rows[i]->info,
              &count[MODEL_KIND_SERVER_REACTION]);
  for (guint i = 0; middlebox_rows[i] != NULL; i++)
    list_kind(&listings[MODEL_KIND_MIDDLEBOX], &middlebox_rows[i]->info, &count[MODEL_KIND_MIDDLEBOX]);
  g_once_init_leave(&built, 1);
}

const ModelKindInfo *catalog_kind(ModelKind kind)
{
  g_return_val_if_fail(kind < MODEL_KIND_COUNT, NULL);
  return &kinds[kind];
}

const ModelInfo *const *catalog_models(ModelKind kind)
{
  g_return_val_if_fail(kind < MODEL_KIND_COUNT, NULL);
  build_listings();
  return listings[kind].models;
}

const char *const *catalog_names(ModelKind kind)
{
  g_return_val_if_fail(kind < MODEL_KIND_COUNT, NULL);
  build_listings();
  return listings[kind].names;
}

const ModelInfo *catalog_find(ModelKind kind, const char *name, GError **error)
{
  const ModelInfo *const *models = catalog_models(kind);
  for (guint i = 0; models[i] != NULL; i++)
    if (strcmp(models[i]->name, name) == 0)
      return models[i];
  g_autofree gchar *known = g_strjoinv(", ", (gchar **)catalog_names(kind));
  g_set_error(error, FTPSIM_MODEL_ERROR, FTPSIM_MODEL_ERROR_UNKNOWN, "unknown %s '%s' (known: %s)", kinds[kind].noun,
              name, known);
  return NULL;
}

/* Each kind's typed lookup: the header is the table's first member, so the pointer is the table's. */
const ClientModel *client_model_find(const char *name, GError **error)
{
  return (const ClientModel *)catalog_find(MODEL_KIND_CLIENT_MODEL, name, error);
}

const ServerPolicy *server_policy_find(const char *name, GError **error)
{
  return (const ServerPolicy *)catalog_find(MODEL_KIND_SERVER_POLICY, name, error);
}

const ClientReaction *client_reaction_find(const char *name, GError **error)
{
  return (const ClientReaction *)catalog_find(MODEL_KIND_CLIENT_REACTION, name, error);
}

const ServerReaction *server_reaction_find(const char *name, GError **error)
{
  return (const ServerReaction *)catalog_find(MODEL_KIND_SERVER_REACTION, name, error);
}

void catalog_foreach_param_spec(void (*add)(const ParamSpec *spec, gpointer data), gpointer data)
{
  for (ModelKind kind = 0; kind < MODEL_KIND_COUNT; kind++) {
    if (kinds[kind].chooser != NULL)
      add(kinds[kind].chooser, data);
    for (const ModelInfo *const *model = catalog_models(kind); *model != NULL; model++)
      for (const ParamSpec *spec = (*model)->params; spec != NULL && spec->key != NULL; spec++)
        add(spec, data);
  }
}
