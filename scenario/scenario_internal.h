/* What the scenario's files share: the raw hosts read from the platform, the XML helpers, and the
 * resolving steps the deployment reader reuses. Not for use outside scenario/. */
#ifndef FTPSIM_SCENARIO_INTERNAL_H
#define FTPSIM_SCENARIO_INTERNAL_H

#include "scenario.h"

G_BEGIN_DECLS

typedef struct RawHost {
  gchar *name;
  GPtrArray *props; /* alternating key, value (owned), in file order */
} RawHost;

typedef struct PlatformReader {
  gboolean saw_root;
  RawHost *current; /* inside a <host> */
  GPtrArray *hosts; /* RawHost* */
  GHashTable *names;
} PlatformReader;

void raw_host_free(gpointer data);
void platform_start(GMarkupParseContext *context, const gchar *element, const gchar **names, const gchar **values,
                    gpointer data, GError **error);
void platform_end(GMarkupParseContext *context, const gchar *element, gpointer data, GError **error);
const char *xml_attribute(const gchar **names, const gchar **values, const char *wanted);
/* Checks SimGrid's DOCTYPE line, then parses the whole text with parser. */
gboolean scenario_parse_xml(const GMarkupParser *parser, gpointer reader, const char *text, gsize length,
                            GError **error);

gboolean scenario_apply_overrides(ParamSet *params, const char *const *overrides, GError **error);
void deployed_session_free(gpointer data);
gint scenario_find_server(const Scenario *scenario, const char *name);
gint scenario_find_client(const Scenario *scenario, const char *name);
gchar *scenario_server_names(const Scenario *scenario);
gboolean scenario_check_models(const char *host, const ClientModel *model, const ServerPolicy *policy,
                               const ParamSet *params, GError **error);
gboolean scenario_resolve_host(Scenario *scenario, const RawHost *raw, guint index, const char *const *overrides,
                               GPtrArray *wanted_servers, GError **error);
void middlebox_spec_free(gpointer data);
gboolean scenario_load_middleboxes(Scenario *scenario, const char *platform_xml, gsize length,
                                   const char *const *overrides, GError **error);
gboolean scenario_load_deployment(Scenario *scenario, const char *path, const char *const *overrides, GError **error);

G_END_DECLS

#endif
