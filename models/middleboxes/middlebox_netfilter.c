/* Linux netfilter's FTP helpers: nf_conntrack_ftp (the stateful firewall's expectation for the data
 * connection) and, with middlebox.nat=yes, nf_nat_ftp (the PORT rewritten to the NAT's address).
 *
 * net/netfilter/nf_conntrack_ftp.c, help(): a PORT/EPRT whose address differs from the control
 * connection's source is logged "NOT RECORDING" and passed unchanged with no expectation (so the
 * firewall drops the data connection; a NAT does not rewrite it either), unless the module parameter
 * loose=1; no check of ports below 1024. Otherwise an expectation (server -> address:port) is made; with
 * no NAT, "cannot add expectation" (one clashes) drops the packet. The helper keeps one expectation per
 * control connection (max_expected = 1: a new PORT evicts the last) for 5 minutes (timeout = 5 * 60).
 * net/netfilter/nf_nat_ftp.c, nf_nat_ftp(): the address becomes the NAT's; "Try to get same port: if not,
 * try to change it", from the named port upwards (to 65535) until an expectation can be made; none:
 * "all ports in use", the packet is dropped. Model choices: an expectation holds its port until the
 * connection's next PORT, its end or the timeout (its consumption by the data connection is not modelled);
 * middlebox.nat_ports=LOW-HIGH models a NAT that maps into a range (start at the named port if in it). */
#include "middlebox.h"

#include <string.h>

#include "param_keys.h"

#define EXPECTATION_TIMEOUT 300.0 /* nf_conntrack_ftp's expect policy: 5 * 60 s */

static const char *const nat_choices[] = {MIDDLEBOX_NAT_CHOICES(CHOICE_NAME) NULL};

static const char *validate_address(const char *value, gchar **canonical)
{
  guint32 address;
  if (!ftp_parse_ipv4(value, &address))
    return "is not an IPv4 address (like 203.0.113.1)";
  *canonical = g_strdup(value);
  return NULL;
}

static const char *validate_nat_ports(const char *value, gchar **canonical)
{
  if (strcmp(value, "kernel") == 0) {
    *canonical = g_strdup(value);
    return NULL;
  }
  PortRanges ranges;
  const char *problem = port_ranges_parse(value, &ranges);
  if (problem == NULL && ranges.count != 1)
    problem = "is not 'kernel' or one range LOW-HIGH";
  return problem != NULL ? problem : port_ranges_validate(value, canonical);
}

static const ParamSpec netfilter_params[] = {
    {.key = KEY_MIDDLEBOX_LOOSE,
     .type = PARAM_INT,
     .min = 0,
     .max = 1,
     .default_value = "0",
     .help = "netfilter: nf_conntrack_ftp's loose=1 also expects a data connection to a PORT address other than the "
             "control connection's source (0, the kernel's default: no expectation, so the firewall drops it)"},
    {.key = KEY_MIDDLEBOX_NAT,
     .type = PARAM_CHOICE,
     .default_value = "no",
     .choices = nat_choices,
     .help = "netfilter: yes: the box masquerades the control connection to middlebox.nat_address and nf_nat_ftp "
             "rewrites each PORT/EPRT; no: a stateful firewall only (nf_conntrack_ftp)"},
    {.key = KEY_MIDDLEBOX_NAT_ADDRESS,
     .type = PARAM_STRING,
     .default_value = "203.0.113.1",
     .validate = validate_address,
     .syntax = "an IPv4 address",
     .help = "netfilter with middlebox.nat=yes: the NAT's public address, which PORT/EPRT then names"},
    {.key = KEY_MIDDLEBOX_NAT_PORTS,
     .type = PARAM_STRING,
     .default_value = "kernel",
     .validate = validate_nat_ports,
     .syntax = "kernel|LOW-HIGH",
     .help = "netfilter with middlebox.nat=yes: ports the NAT may give a PORT: kernel (the named one, else the next "
             "free one up to 65535, nf_nat_ftp) or a range LOW-HIGH (the named one if in it, else the next free one)"},
    MIDDLEBOX_REPLY_TIMEOUT_SPEC,
    {.key = NULL},
};

/* An expectation: the server may connect to address:port, for this control connection, until expires. Forgotten
 * ones wait on a free list for the next, so that a PORT allocates nothing once the connections are under way. */
typedef struct Expectation {
  guint32 server, address;
  guint16 port;
  guint64 connection;
  double expires;
  struct Expectation *next_free;
} Expectation;

typedef struct Netfilter {
  gboolean loose, nat;
  guint32 nat_address;
  guint16 low, high;         /* the NAT's ports; low = 0: the kernel's (from the named port up) */
  GHashTable *by_tuple;      /* Expectation* -> itself, hashed on (server, address, port) */
  GHashTable *by_connection; /* connection id -> Expectation* (owned) */
  Expectation *free;         /* forgotten, for reuse (owned) */
} Netfilter;

static guint expectation_hash(gconstpointer key)
{
  const Expectation *e = key;
  return e->server * 2654435761u ^ e->address * 40503u ^ e->port;
}

static gboolean expectation_equal(gconstpointer a, gconstpointer b)
{
  const Expectation *x = a, *y = b;
  return x->server == y->server && x->address == y->address && x->port == y->port;
}

static gpointer netfilter_create(const ParamSet *params, GError **error)
{
  (void)error;
  Netfilter *box = g_new0(Netfilter, 1);
  box->loose = param_set_int(params, KEY_MIDDLEBOX_LOOSE) != 0;
  box->nat = param_set_choice(params, KEY_MIDDLEBOX_NAT) == MIDDLEBOX_NAT_YES;
  gboolean parsed = ftp_parse_ipv4(param_set_string(params, KEY_MIDDLEBOX_NAT_ADDRESS), &box->nat_address);
  g_assert(parsed); /* validated */
  const char *ports = param_set_string(params, KEY_MIDDLEBOX_NAT_PORTS);
  if (strcmp(ports, "kernel") != 0) {
    PortRanges ranges;
    g_assert(port_ranges_parse(ports, &ranges) == NULL && ranges.count == 1);
    box->low = ranges.ranges[0].low;
    box->high = ranges.ranges[0].high;
  }
  box->by_tuple = g_hash_table_new(expectation_hash, expectation_equal);
  box->by_connection = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free);
  return box;
}

static void netfilter_destroy(gpointer state)
{
  Netfilter *box = state;
  g_hash_table_unref(box->by_tuple);
  g_hash_table_unref(box->by_connection);
  while (box->free != NULL) {
    Expectation *next = box->free->next_free;
    g_free(box->free);
    box->free = next;
  }
  g_free(box);
}

static void forget(Netfilter *box, guint64 connection)
{
  Expectation *old = g_hash_table_lookup(box->by_connection, &connection);
  if (old == NULL)
    return;
  if (g_hash_table_lookup(box->by_tuple, old) == old) /* not since replaced by another connection's */
    g_hash_table_remove(box->by_tuple, old);
  g_hash_table_steal(box->by_connection, &connection);
  old->next_free = box->free;
  box->free = old;
}

/* Whether another connection's live expectation holds (server, address, port): nf_ct_expect_related's -EBUSY. */
static gboolean taken(const Netfilter *box, guint32 server, guint32 address, guint16 port, double now)
{
  const Expectation probe = {.server = server, .address = address, .port = port};
  const Expectation *held = g_hash_table_lookup(box->by_tuple, &probe);
  return held != NULL && held->expires > now;
}

static void expect(Netfilter *box, const MiddleboxPort *port, guint32 address, guint16 data_port)
{
  g_assert(!g_hash_table_contains(box->by_connection, &port->connection)); /* forgotten first */
  Expectation *e = box->free != NULL ? box->free : g_new(Expectation, 1);
  box->free = box->free != NULL ? e->next_free : NULL;
  *e = (Expectation){.server = port->server_address,
                     .address = address,
                     .port = data_port,
                     .connection = port->connection,
                     .expires = port->now + EXPECTATION_TIMEOUT,
                     .next_free = NULL};
  g_hash_table_replace(box->by_tuple, e, e); /* an expired one with the same tuple goes */
  g_hash_table_insert(box->by_connection, &e->connection, e);
}

/* nf_nat_ftp's search: the named port, else upwards; 0 when none is free. */
static guint16 nat_port(const Netfilter *box, const MiddleboxPort *port)
{
  const guint16 named = port->request.port;
  const guint first = box->low == 0 ? named : named >= box->low && named <= box->high ? named : box->low;
  const guint last = box->low == 0 ? 65535 : box->high;
  for (guint p = first; p <= last; p++)
    if (!taken(box, port->server_address, box->nat_address, (guint16)p, port->now))
      return (guint16)p;
  return 0;
}

static MiddleboxVerdict netfilter_on_port(gpointer state, MiddleboxPort *port)
{
  Netfilter *box = state;
  static const MiddleboxVerdict pass = {.action = MIDDLEBOX_PASS}, drop = {.action = MIDDLEBOX_DROP};
  forget(box, port->connection); /* max_expected = 1: the connection's last expectation goes */
  if (port->request.address != port->request.peer_address && !box->loose) {
    port->no_expectation = TRUE; /* "NOT RECORDING": passed unchanged, not NATed */
    return pass;
  }
  if (!box->nat) {
    if (taken(box, port->server_address, port->request.address, port->request.port, port->now))
      return drop; /* "cannot add expectation" */
    expect(box, port, port->request.address, port->request.port);
    return pass;
  }
  const guint16 given = nat_port(box, port);
  if (given == 0)
    return drop; /* "all ports in use" */
  if (given != port->request.port)
    port->ports_moved++;
  expect(box, port, box->nat_address, given);
  port->request.address = box->nat_address;
  port->request.port = given;
  return pass;
}

static guint32 netfilter_source_after(gconstpointer state, guint32 source)
{
  const Netfilter *box = state;
  return box->nat ? box->nat_address : source;
}

static void netfilter_connection_closed(gpointer state, guint64 connection)
{
  forget(state, connection);
}

const MiddleboxModel middlebox_netfilter = {
    .name = "netfilter",
    .summary = "Linux nf_conntrack_ftp (+ nf_nat_ftp with middlebox.nat=yes): expects the data connection, NATs the "
               "PORT keeping its port when free, drops it when no port is free; no expectation for a foreign "
               "address unless middlebox.loose=1",
    .source = "Linux net/netfilter/nf_conntrack_ftp.c (help(), loose, max_expected 1, 5 min) and nf_nat_ftp.c "
              "(\"Try to get same port\", \"all ports in use\"); the expectation's consumption is not modelled",
    .params = netfilter_params,
    .create = netfilter_create,
    .on_port = netfilter_on_port,
    .source_after = netfilter_source_after,
    .connection_closed = netfilter_connection_closed,
    .destroy = netfilter_destroy,
};
