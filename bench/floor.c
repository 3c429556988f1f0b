/* The benchmark's floor: the message exchanges of ftpsim's rejecting-server workload in bare SimGrid.
 *
 * Same structure as ftpsim's engine/: one spawner actor per client host opens that host's sessions (all at
 * once, or one every INTERVAL simulated seconds, as workload.arrival=interval); each session is a client actor that
 * starts its own server actor on the server host and talks to it over a pair of mailboxes, reused by later sessions
 * (with --control=uncongested the client alone waits each message's time, as ftpsim does).
 * A session is CONNECT/220, USER/331, PASS/230, COMMANDS x PORT/500, QUIT/221; both sides send with a
 * blocking put (a detached reply would cost a scan of every detached communication in flight when it
 * ends, in SimGrid 3.32: quadratic with many sessions at once). The PORT names the next port of a host-wide
 * counter over 1..65534 (ftpsim's sequential model, client.range=custom), the server refuses every port
 * below 65535 (ftpsim's min-port policy). Message sizes are ftpsim's: the text, CRLF included, plus 40
 * bytes of TCP/IP headers. THINK seconds pass between two PORTs (session.think_time). Nothing else happens: no models,
 * no statistics, one line of output.
 *
 * usage: bench_floor PLATFORM SERVER_HOST CLIENT_HOST[,CLIENT_HOST...] SESSIONS_PER_HOST COMMANDS [INTERVAL [THINK]]
 *                    [--control=uncongested] [--cfg=...]
 * prints: sessions=N exchanges=N simulated_time=T max_alive=N (most sessions open at once) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <simgrid/actor.h>
#include <simgrid/comm.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/mailbox.h>
#include <xbt/config.h>

#define HEADER_BYTES 40
#define LOW_PORT 1
#define HIGH_PORT 65534
#define MAX_CLIENT_HOSTS 16

typedef enum { CMD_CONNECT, CMD_USER, CMD_PASS, CMD_PORT, CMD_QUIT } CommandType;

static const long command_bytes[] = {
    [CMD_CONNECT] = 0 + HEADER_BYTES,
    [CMD_USER] = sizeof("USER anonymous\r\n") - 1 + HEADER_BYTES,
    [CMD_PASS] = sizeof("PASS guest\r\n") - 1 + HEADER_BYTES,
    [CMD_PORT] = 0, /* "PORT h1,h2,h3,h4,p1,p2\\r\\n": port_command_bytes() */
    [CMD_QUIT] = sizeof("QUIT\r\n") - 1 + HEADER_BYTES,
};
static const long reply_bytes[] = {
    [CMD_CONNECT] = sizeof("220 Service ready for new user.\r\n") - 1 + HEADER_BYTES,
    [CMD_USER] = sizeof("331 User name okay, need password.\r\n") - 1 + HEADER_BYTES,
    [CMD_PASS] = sizeof("230 User logged in, proceed.\r\n") - 1 + HEADER_BYTES,
    [CMD_PORT] = sizeof("500 Syntax error, command unrecognized.\r\n") - 1 + HEADER_BYTES,
    [CMD_QUIT] = sizeof("221 Goodbye.\r\n") - 1 + HEADER_BYTES,
};
static const int reply_codes[] = {
    [CMD_CONNECT] = 220, [CMD_USER] = 331, [CMD_PASS] = 230, [CMD_PORT] = 500, [CMD_QUIT] = 221,
};

/* --control=uncongested: what ftpsim's network.control=uncongested does (engine/control.c), bare: no
 * server actor; the client waits the command's time alone on the route, makes the server's reply,
 * and waits the reply's time. */
typedef struct Slot {
  sg_mailbox_t to_server;
  sg_mailbox_t to_client;
  struct Slot *next_free;
} Slot;

typedef struct ClientHost {
  sg_host_t host;
  unsigned char address[4];
  unsigned next_port;
} ClientHost;

typedef struct Session {
  ClientHost *client;
  Slot *slot;
  CommandType command;
  int replies[2]; /* alternate, so a reply in flight is never overwritten */
  int next_reply;
} Session;

static struct {
  ClientHost clients[MAX_CLIENT_HOSTS];
  int client_count;
  sg_host_t server_host;
  unsigned long sessions;
  unsigned long commands;
  double interval;
  double think_time;
  Slot *free_slots;
  unsigned slots_created;
  unsigned long sessions_done;
  unsigned long exchanges;
  int uncongested;      /* --control=uncongested */
  double latency, rate; /* the uncongested time of a message: latency + bytes / rate (hosts are alike) */
  unsigned long alive;
  unsigned long max_alive;
} bench;

static Slot *slot_take(void)
{
  Slot *slot = bench.free_slots;
  if (slot != NULL) {
    bench.free_slots = slot->next_free;
    return slot;
  }
  slot = malloc(sizeof *slot);
  char name[48];
  unsigned n = bench.slots_created++;
  snprintf(name, sizeof name, "s%u.in", n);
  slot->to_server = sg_mailbox_by_name(name);
  snprintf(name, sizeof name, "s%u.out", n);
  slot->to_client = sg_mailbox_by_name(name);
  return slot;
}

static void travel(long bytes)
{
  sg_actor_sleep_for(bench.latency + (double)bytes / bench.rate);
}

static void server_actor(int argc, char *argv[])
{
  (void)argc;
  (void)argv;
  Session *session = sg_actor_self_get_data();
  for (;;) {
    const CommandType *command = sg_mailbox_get(session->slot->to_server);
    CommandType type = *command;
    int *reply = &session->replies[session->next_reply];
    session->next_reply ^= 1;
    *reply = reply_codes[type];
    sg_mailbox_put(session->slot->to_client, reply, reply_bytes[type]);
    if (type == CMD_QUIT)
      return;
  }
}

static long decimal_digits(unsigned n)
{
  return n >= 100 ? 3 : n >= 10 ? 2 : 1;
}

static long port_command_bytes(const ClientHost *client, unsigned port)
{
  long bytes = sizeof("PORT ,,,,,\r\n") - 1 + decimal_digits(port >> 8) + decimal_digits(port & 0xFF);
  for (int i = 0; i < 4; i++)
    bytes += decimal_digits(client->address[i]);
  return bytes + HEADER_BYTES;
}

static int exchange(Session *session, CommandType type, long bytes)
{
  session->command = type;
  if (bench.uncongested) {
    travel(bytes);
    int reply = reply_codes[type];
    travel(reply_bytes[type]);
    bench.exchanges++;
    return reply;
  }
  sg_mailbox_put(session->slot->to_server, &session->command, bytes);
  const int *reply = sg_mailbox_get(session->slot->to_client);
  bench.exchanges++;
  return *reply;
}

static void client_actor(int argc, char *argv[])
{
  (void)argc;
  (void)argv;
  Session *session = sg_actor_self_get_data();
  if (++bench.alive > bench.max_alive)
    bench.max_alive = bench.alive;
  if (!bench.uncongested) {
    session->slot = slot_take();
    sg_actor_t server = sg_actor_init("server", bench.server_host);
    sg_actor_set_data(server, session);
    sg_actor_start(server, server_actor, 0, NULL);
  }

  exchange(session, CMD_CONNECT, command_bytes[CMD_CONNECT]);
  exchange(session, CMD_USER, command_bytes[CMD_USER]);
  exchange(session, CMD_PASS, command_bytes[CMD_PASS]);
  ClientHost *client = session->client;
  for (unsigned long i = 0; i < bench.commands; i++) {
    if (i > 0 && bench.think_time > 0)
      sg_actor_sleep_for(bench.think_time);
    unsigned port = client->next_port;
    client->next_port = port == HIGH_PORT ? LOW_PORT : port + 1;
    if (exchange(session, CMD_PORT, port_command_bytes(client, port)) != 500)
      abort();
  }
  exchange(session, CMD_QUIT, command_bytes[CMD_QUIT]);

  if (session->slot != NULL) {
    session->slot->next_free = bench.free_slots;
    bench.free_slots = session->slot;
  }
  free(session);
  bench.sessions_done++;
  bench.alive--;
}

static void spawner_actor(int argc, char *argv[])
{
  (void)argc;
  (void)argv;
  ClientHost *client = sg_actor_self_get_data();
  for (unsigned long i = 0; i < bench.sessions; i++) {
    if (i > 0 && bench.interval > 0)
      sg_actor_sleep_for(bench.interval);
    Session *session = calloc(1, sizeof *session);
    session->client = client;
    sg_actor_t actor = sg_actor_init("client", client->host);
    sg_actor_set_data(actor, session);
    sg_actor_start(actor, client_actor, 0, NULL);
  }
}

/* One message alone on a one-link route in LV08 (the benchmark's platform): latency x latency factor,
 * bandwidth x bandwidth factor shared with the flow's 0.05 cross-traffic on the same SHARED link.
 * ftpsim's control_route() handles any route; equal simulated times check the two agree. */
static void uncongested_route(sg_host_t from, sg_host_t to)
{
  bench.latency = sg_host_get_route_latency(from, to) * sg_cfg_get_double("network/latency-factor");
  bench.rate = sg_host_get_route_bandwidth(from, to) * sg_cfg_get_double("network/bandwidth-factor") / 1.05;
}

int main(int argc, char *argv[])
{
  simgrid_init(&argc, argv);
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "--control=uncongested") == 0) {
      bench.uncongested = 1;
      memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof *argv);
      argc--;
      i--;
    }
  if (argc < 6 || argc > 8) {
    fprintf(stderr,
            "usage: %s PLATFORM SERVER_HOST CLIENT_HOST[,CLIENT_HOST...] SESSIONS_PER_HOST COMMANDS [INTERVAL [THINK]] "
            "[--control=uncongested] [--cfg=...]\n",
            argv[0]);
    return 2;
  }
  simgrid_load_platform(argv[1]);
  bench.server_host = sg_host_by_name(argv[2]);
  for (char *name = strtok(argv[3], ","); name != NULL && bench.client_count < MAX_CLIENT_HOSTS;
       name = strtok(NULL, ",")) {
    ClientHost *client = &bench.clients[bench.client_count++];
    client->host = sg_host_by_name(name);
    const char *address = client->host ? sg_host_get_property_value(client->host, "ftpsim.address") : NULL;
    unsigned a[4];
    if (address == NULL || sscanf(address, "%u.%u.%u.%u", &a[0], &a[1], &a[2], &a[3]) != 4) {
      fprintf(stderr, "%s: unknown host or no ftpsim.address: %s\n", argv[0], name);
      return 2;
    }
    for (int i = 0; i < 4; i++)
      client->address[i] = (unsigned char)a[i];
    client->next_port = LOW_PORT;
  }
  bench.sessions = strtoul(argv[4], NULL, 10);
  bench.commands = strtoul(argv[5], NULL, 10);
  bench.interval = argc >= 7 ? strtod(argv[6], NULL) : 0;
  bench.think_time = argc >= 8 ? strtod(argv[7], NULL) : 0;
  if (bench.server_host == NULL) {
    fprintf(stderr, "%s: unknown server host\n", argv[0]);
    return 2;
  }
  uncongested_route(bench.clients[0].host, bench.server_host);
  for (int i = 0; i < bench.client_count; i++) {
    sg_actor_t spawner = sg_actor_init("spawner", bench.clients[i].host);
    sg_actor_set_data(spawner, &bench.clients[i]);
    sg_actor_start(spawner, spawner_actor, 0, NULL);
  }
  simgrid_run();
  printf("sessions=%lu exchanges=%lu simulated_time=%.6f max_alive=%lu\n", bench.sessions_done, bench.exchanges,
         simgrid_get_clock(), bench.max_alive);
  return bench.sessions_done == bench.sessions * (unsigned long)bench.client_count ? 0 : 1;
}
