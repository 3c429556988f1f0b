/* A scenario: what the platform and deployment files say, checked and resolved into per-host
 * parameters before SimGrid reads anything, so that a user mistake becomes a one-line error. */
#ifndef FTPSIM_SCENARIO_H
#define FTPSIM_SCENARIO_H

#include <glib.h>

#include "client_model.h"
#include "middlebox.h"
#include "params.h"
#include "server_policy.h"

G_BEGIN_DECLS

#define FTPSIM_SCENARIO_ERROR (ftpsim_scenario_error_quark())
GQuark ftpsim_scenario_error_quark(void);

/* Host properties that are not parameters. */
#define PROP_ROLE "ftpsim.role"                     /* client | server */
#define PROP_ADDRESS "ftpsim.address"               /* the host's IPv4 address, dotted */
#define PROP_SERVER "ftpsim.server"                 /* on a client host: the server host its sessions connect to */
#define PROP_ADVERTISED "ftpsim.advertised_address" /* on a client host: the address it names in PORT (NAT) */

typedef struct HostSpec {
  gchar *name;
  guint32 address;
  ParamSet *params; /* defaults, then the host's properties, then --set */
} HostSpec;

typedef struct ServerSpec {
  HostSpec host;
  const ServerPolicy *policy;
} ServerSpec;

typedef struct ClientSpec {
  HostSpec host;
  guint server_index; /* into Scenario.servers */
  const ClientModel *model;
  guint32 advertised_address; /* what PORT names: the host's own address unless behind NAT */
  guint64 sessions;
  guint64 first_session_id;
} ClientSpec;

/* One <actor function="ftp_client"> of a deployment file. */
typedef struct DeployedSession {
  guint client_index;
  guint server_index;
  ParamSet *params; /* the client host's, then the actor's KEY=VALUE arguments, then --set */
  const ClientModel *model;
  double start_time; /* the actor's start_time attribute, 0 when absent */
} DeployedSession;

/* A <host> or <link> with the property ftpsim.middlebox (middlebox_specs.c). */
typedef struct MiddleboxSpec {
  gchar *element; /* the host's or link's id */
  gboolean on_link;
  const MiddleboxModel *model;
  ParamSet *params; /* defaults, the element's middlebox.* properties, then --set */
} MiddleboxSpec;

typedef struct Scenario {
  gchar *platform_label;  /* what the user named, or "builtin:kb140424.xml" */
  GPtrArray *clients;     /* ClientSpec*, in platform order */
  GPtrArray *servers;     /* ServerSpec*, in platform order */
  GPtrArray *deployed;    /* DeployedSession*, or NULL when sessions come from the platform */
  GPtrArray *middleboxes; /* MiddleboxSpec*, in file order; empty when the platform has none */
  guint64 total_sessions;
} Scenario;

/* platform_xml: the file's text; overrides: --set assignments (KEY=VALUE), validated already or not. */
Scenario *scenario_load(const char *platform_label, const char *platform_xml, gsize platform_length,
                        const char *deployment_path, const char *const *overrides, GError **error);
void scenario_free(Scenario *scenario);

/* The middlebox on that host or link, or NULL. */
const MiddleboxSpec *scenario_find_middlebox(const Scenario *scenario, const char *element, gboolean on_link);

/* The (client host, server host) names whose routes the run uses, two by two, without repeats. */
GPtrArray *scenario_route_pairs(const Scenario *scenario);

/* The value a key takes over the whole run, or "mixed" when hosts differ. Free with g_free. */
gchar *scenario_effective_value(const Scenario *scenario, const char *key);

/* The deployment's function name for a client session. */
#define DEPLOY_FUNCTION_CLIENT "ftp_client"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Scenario, scenario_free)

G_END_DECLS

#endif
