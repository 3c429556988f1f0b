/* Linux netfilter's FTP helpers: nf_conntrack_ftp (the stateful firewall's expectation for the data
 * connection) and, with middlebox.nat=yes, nf_nat_ftp (the PORT rewritten to the NAT's address).
 *
 * net/netfilter/nf_conntrack_ftp.c, help(): a PORT/EPRT whose address differs from the control
 * connection's source is logged "NOT RECORDING" and passed unchanged with no expectation (so the
 * firewall drops the data connection; a NAT does not rewrite it either), unless the module parameter
 * loose=1; no check of ports below 1024. Otherwise an expectation (server -> address:port) is made: for the
 * reply direction's destination (the client, or the NAT's address), under loose for the named address; with
 * no NAT, "cannot add expectation" (one clashes) drops the packet. The helper keeps one expectation per
 * control connection (max_expected = 1: a new PORT evicts the last) for 5 minutes (timeout = 5 * 60), which
 * the connection's end does not shorten; the data connection that matches it uses it up.
 * net/netfilter/nf_nat_ftp.c, nf_nat_ftp(): the address becomes the NAT's; nf_nat_exp_find_port: the named
 * port if free, else up to 128 random ones in [named, 65535) until an expectation can be made; none: "all
 * ports in use", the packet is dropped. A foreign address under loose is expected as named but the PORT names
 * the NAT's: the server's connection to the NAT matches nothing and the router refuses it (measured). Model
 * choices: the random ports are a hash of (connection, named port, attempt), reproducible;
 * middlebox.nat_ports=LOW-HIGH models a NAT that maps into a range (the named port if in it, else the next
 * free one). */
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
     .help = "netfilter with middlebox.nat=yes: ports the NAT may give a PORT: kernel (the named one, else up to 128 "
             "random higher ones, nf_nat_ftp) or a range LOW-HIGH (the named one if in it, else the next free one)"},
    MIDDLEBOX_REPLY_TIMEOUT_SPEC,
    {.key = NULL},
};

/* An expectation: the server may connect to address:port, for this control connection, until expires. The live
 * ones are in a list by age (expires grows with it: one timeout for all), so the expired ones are at its head.
 * Forgotten ones wait on a free list for the next, so that a PORT allocates nothing once the connections are
 * under way. */
typedef struct Expectation {
  guint32 server, address;
  guint16 port;
  gboolean attached; /* by_connection holds it: its control connection is open */
  guint64 connection;
  double expires;
  struct Expectation *older, *newer; /* the live list; newer: also the free list's link */
} Expectation;

typedef struct Netfilter {
  gboolean loose, nat;
  guint32 nat_address;
  guint16 low, high;            /* the NAT's ports; low = 0: the kernel's (the named one, else random higher ones) */
  GHashTable *by_tuple;         /* Expectation* -> itself, hashed on (server, address, port) */
  GHashTable *by_connection;    /* open connection id -> its Expectation* */
  Expectation *oldest, *newest; /* the live ones (owned) */
  Expectation *free;            /* forgotten, for reuse (owned) */
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
  box->by_connection = g_hash_table_new(g_int64_hash, g_int64_equal);
  return box;
}

static void free_chain(Expectation *e)
{
  while (e != NULL) {
    Expectation *next = e->newer;
    g_free(e);
    e = next;
  }
}

static void netfilter_destroy(gpointer state)
{
  Netfilter *box = state;
  g_hash_table_unref(box->by_tuple);
  g_hash_table_unref(box->by_connection);
  free_chain(box->oldest);
  free_chain(box->free);
  g_free(box);
}

/* The expectation goes: out of the tables and the live list, onto the free list. */
static void forget(Netfilter *box, Expectation *e)
{
  if (g_hash_table_lookup(box->by_tuple, e) == e) /* not since replaced by an expired one's successor */
    g_hash_table_remove(box->by_tuple, e);
  if (e->attached)
    g_hash_table_remove(box->by_connection, &e->connection);
  *(e->older != NULL ? &e->older->newer : &box->oldest) = e->newer;
  *(e->newer != NULL ? &e->newer->older : &box->newest) = e->older;
  e->older = NULL;
  e->newer = box->free;
  box->free = e;
}

/* The timeout: expectations go 5 minutes after their PORT, whether their control connection lives or not. */
static void expire(Netfilter *box, double now)
{
  while (box->oldest != NULL && box->oldest->expires <= now)
    forget(box, box->oldest);
}

static void forget_connection(Netfilter *box, guint64 connection)
{
  Expectation *e = g_hash_table_lookup(box->by_connection, &connection);
  if (e != NULL)
    forget(box, e);
}

/* Whether a live expectation holds (server, address, port): nf_ct_expect_related's -EBUSY. */
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
  box->free = box->free != NULL ? e->newer : NULL;
  *e = (Expectation){.server = port->server_address,
                     .address = address,
                     .port = data_port,
                     .attached = TRUE,
                     .connection = port->connection,
                     .expires = port->now + EXPECTATION_TIMEOUT,
                     .older = box->newest,
                     .newer = NULL};
  *(box->newest != NULL ? &box->newest->newer : &box->oldest) = e;
  box->newest = e;
  g_hash_table_replace(box->by_tuple, e, e);
  g_hash_table_insert(box->by_connection, &e->connection, e);
}

/* get_random_u16() of nf_nat_exp_find_port, reproducibly: a mix (splitmix64) of the connection, the named port
 * and the attempt. */
static guint16 random_u16(guint64 connection, guint16 named, guint attempt)
{
  guint64 z = connection * 0x9E3779B97F4A7C15ull + ((guint64)named << 16 | attempt) + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (guint16)((z ^ (z >> 31)) >> 48);
}

#define NAT_ATTEMPTS 128 /* nf_nat_exp_find_port's max_attempts */

/* nf_nat_ftp's search for a port at address: the named one, else (the kernel) up to 128 random ones in
 * [named, 65535), nf_nat_exp_find_port; or (a range) the next free one in it. 0 when none is free. */
static guint16 nat_port(const Netfilter *box, const MiddleboxPort *port, guint32 address)
{
  const guint16 named = port->request.port;
  if (box->low == 0) {
    const guint range = 65535u - named;
    guint p = named;
    for (guint attempt = 0; attempt <= MIN(range, NAT_ATTEMPTS); attempt++) {
      if (!taken(box, port->server_address, address, (guint16)p, port->now))
        return (guint16)p;
      if (range == 0)
        break;
      p = named + random_u16(port->connection, named, attempt) % range;
    }
    return 0;
  }
  const guint first = named >= box->low && named <= box->high ? named : box->low;
  for (guint p = first; p <= box->high; p++)
    if (!taken(box, port->server_address, address, (guint16)p, port->now))
      return (guint16)p;
  return 0;
}

static MiddleboxVerdict netfilter_on_port(gpointer state, MiddleboxPort *port)
{
  Netfilter *box = state;
  static const MiddleboxVerdict pass = {.action = MIDDLEBOX_PASS}, drop = {.action = MIDDLEBOX_DROP};
  expire(box, port->now);
  forget_connection(box, port->connection); /* max_expected = 1: the connection's last expectation goes */
  const gboolean foreign = port->request.address != port->request.peer_address;
  if (foreign && !box->loose) {
    port->no_expectation = TRUE; /* "NOT RECORDING": passed unchanged, not NATed */
    return pass;
  }
  if (!box->nat) {
    if (taken(box, port->server_address, port->request.address, port->request.port, port->now))
      return drop; /* "cannot add expectation" */
    expect(box, port, port->request.address, port->request.port);
    return pass;
  }
  /* help() expects the reply direction's destination (the NAT's address), or under loose the named one */
  const guint32 expected = foreign ? port->request.address : box->nat_address;
  const guint16 given = nat_port(box, port, expected);
  if (given == 0)
    return drop; /* "all ports in use" */
  if (given != port->request.port)
    port->ports_moved++;
  expect(box, port, expected, given);
  port->request.address = box->nat_address;
  port->request.port = given;
  if (foreign)
    port->refused = TRUE; /* the server connects to the NAT's address, which nothing expects: the box refuses */
  return pass;
}

static guint32 netfilter_source_after(gconstpointer state, guint32 source)
{
  const Netfilter *box = state;
  return box->nat ? box->nat_address : source;
}

/* The control connection's end leaves its expectation (until its timeout or its data connection). */
static void netfilter_connection_closed(gpointer state, guint64 connection)
{
  Netfilter *box = state;
  Expectation *e = g_hash_table_lookup(box->by_connection, &connection);
  if (e != NULL) {
    g_hash_table_remove(box->by_connection, &connection);
    e->attached = FALSE;
  }
}

/* The data connection matched the expectation, which is then used up (nf_ct_find_expectation unlinks it). */
static void netfilter_data_connected(gpointer state, guint64 connection)
{
  forget_connection(state, connection);
}

const MiddleboxModel middlebox_netfilter = {
    .name = "netfilter",
    .summary = "Linux nf_conntrack_ftp (+ nf_nat_ftp with middlebox.nat=yes): expects the data connection, NATs the "
               "PORT keeping its port when free, drops it when no port is free; no expectation for a foreign "
               "address unless middlebox.loose=1; an expectation outlives its connection for 5 minutes",
    .source = "Linux net/netfilter/nf_conntrack_ftp.c (help(), loose, max_expected 1, 5 min, outliving its connection) "
              "and nf_nat_ftp.c (nf_nat_exp_find_port: same port, else random higher ones; \"all ports in use\"); "
              "measured against Linux 6.18 (docs/validation-middleboxes.md)",
    .params = netfilter_params,
    .create = netfilter_create,
    .on_port = netfilter_on_port,
    .source_after = netfilter_source_after,
    .connection_closed = netfilter_connection_closed,
    .data_connected = netfilter_data_connected,
    .destroy = netfilter_destroy,
};
