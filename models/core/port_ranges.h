/* Port lists as knobs take them ("1024-65535", "20,6000-7000", "none"): min-port's server.allow, the ALG's
 * middlebox.allow, netfilter's middlebox.nat_ports. One parser, one canonical form, one membership test. */
#ifndef FTPSIM_PORT_RANGES_H
#define FTPSIM_PORT_RANGES_H

#include <glib.h>

G_BEGIN_DECLS

#define PORT_RANGES_MAX 64 /* items in one list */

typedef struct PortRanges {
  guint count;
  struct {
    guint16 low, high;
  } ranges[PORT_RANGES_MAX];
} PortRanges;

/* NULL on success, else what is wrong ("has an empty item"). */
const char *port_ranges_parse(const char *text, PortRanges *ranges);
/* A ParamValidateFunc for such lists: the canonical text ("none", "20,1024-65535") in *canonical. */
const char *port_ranges_validate(const char *value, gchar **canonical);
gboolean port_ranges_contain(const PortRanges *ranges, guint16 port);

G_END_DECLS

#endif
