/* The benchmark's floor: the message exchanges of ftpsim's rejected-PORT workload in bare SimGrid.
 *
 * Same structure as sim/engine.c: one spawner actor on the client host opens the sessions (all at once,
 * or one every INTERVAL simulated seconds); each session is a client actor that starts its own server
 * actor on the server host and talks to it over a pair of mailboxes, reused by later sessions. A
 * session is CONNECT/220, USER/331, PASS/230, COMMANDS x PORT/500, QUIT/221; the client sends with a
 * blocking put, the server replies with put_init + detach. Message sizes are ftpsim's: the command or
 * reply text, CRLF included, plus 40 bytes of TCP/IP headers. Nothing else happens: no models, no
 * statistics, no output but one line, so the run costs what SimGrid's exchanges cost.
 *
 * usage: bench_floor PLATFORM CLIENT_HOST SERVER_HOST SESSIONS COMMANDS [INTERVAL] [--cfg=...]
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
/* "PORT 192,0,2,10,3,232\r\n": the AS/400 at 192.0.2.10 naming port 1000, as the benchmark's
 * ftpsim run does (start_port = wrap_to = 1000, step 65535 keeps every PORT at 1000, below 1024). */
#define PORT_BYTES 23

typedef enum { CMD_CONNECT, CMD_USER, CMD_PASS, CMD_PORT, CMD_QUIT } CommandType;

static const long command_bytes[] = {
    [CMD_CONNECT] = 0 + HEADER_BYTES,
    [CMD_USER] = sizeof("USER anonymous\r\n") - 1 + HEADER_BYTES,
    [CMD_PASS] = sizeof("PASS guest\r\n") - 1 + HEADER_BYTES,
    [CMD_PORT] = PORT_BYTES + HEADER_BYTES,
    [CMD_QUIT] = sizeof("QUIT\r\n") - 1 + HEADER_BYTES,
};
static const long reply_bytes[] = {
    [CMD_CONNECT] = sizeof("220 Service ready for new user.\r\n") - 1 + HEADER_BYTES,
    [CMD_USER] = sizeof("331 User name okay, need password.\r\n") - 1 + HEADER_BYTES,
    [CMD_PASS] = sizeof("230 User logged in, proceed.\r\n") - 1 + HEADER_BYTES,
    [CMD_PORT] = sizeof("500 Invalid PORT Command.\r\n") - 1 + HEADER_BYTES,
    [CMD_QUIT] = sizeof("221 Goodbye.\r\n") - 1 + HEADER_BYTES,
};
static const int reply_codes[] = {
    [CMD_CONNECT] = 220, [CMD_USER] = 331, [CMD_PASS] = 230, [CMD_PORT] = 500, [CMD_QUIT] = 221,
};

typedef struct Slot {
  sg_mailbox_t to_server;
  sg_mailbox_t to_client;
  struct Slot *next_free;
} Slot;

typedef struct Session {
  Slot *slot;
  CommandType command;
  int replies[2]; /* alternate, so a reply in flight is never overwritten */
  int next_reply;
} Session;

static struct {
  sg_host_t client_host;
  sg_host_t server_host;
  unsigned long sessions;
  unsigned long commands;
  double interval;
  Slot *free_slots;
  unsigned slots_created;
  unsigned long sessions_done;
  unsigned long exchanges;
  int control_delay;            /* --control=delay: control messages cost their uncongested time */
  double delay_to_server[5];    /* per command type, seconds */
  double delay_to_client[5];
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
    sg_comm_detach(sg_mailbox_put_init(session->slot->to_client, reply, reply_bytes[type]), NULL);
    if (type == CMD_QUIT)
      return;
  }
}

static int exchange(Session *session, CommandType type)
{
  if (bench.control_delay) {
    sg_actor_sleep_for(bench.delay_to_server[type]);
    sg_actor_sleep_for(bench.delay_to_client[type]);
    bench.exchanges++;
    return reply_codes[type];
  }
  session->command = type;
  sg_mailbox_put(session->slot->to_server, &session->command, command_bytes[type]);
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
  session->slot = slot_take();
  if (!bench.control_delay) {
    sg_actor_t server = sg_actor_init("server", bench.server_host);
    sg_actor_set_data(server, session);
    sg_actor_start(server, server_actor, 0, NULL);
  }

  exchange(session, CMD_CONNECT);
  exchange(session, CMD_USER);
  exchange(session, CMD_PASS);
  for (unsigned long i = 0; i < bench.commands; i++)
    if (exchange(session, CMD_PORT) != 500)
      abort();
  exchange(session, CMD_QUIT);

  session->slot->next_free = bench.free_slots;
  bench.free_slots = session->slot;
  free(session);
  bench.sessions_done++;
  bench.alive--;
}

static void spawner_actor(int argc, char *argv[])
{
  (void)argc;
  (void)argv;
  for (unsigned long i = 0; i < bench.sessions; i++) {
    if (i > 0 && bench.interval > 0)
      sg_actor_sleep_for(bench.interval);
    Session *session = calloc(1, sizeof *session);
    sg_actor_t actor = sg_actor_init("client", bench.client_host);
    sg_actor_set_data(actor, session);
    sg_actor_start(actor, client_actor, 0, NULL);
  }
}

/* The time the network model gives one message alone on its route (LV08/CM02): the latency times the
 * latency factor, then the size at the route's bottleneck bandwidth times the bandwidth factor, the
 * TCP window bounding the rate, and cross-traffic (the reply direction's 0.05 share) on a shared link. */
static double uncongested_time(sg_host_t from, sg_host_t to, long bytes)
{
  double latency = sg_host_get_route_latency(from, to) * sg_cfg_get_double("network/latency-factor");
  double rate = sg_host_get_route_bandwidth(from, to) * sg_cfg_get_double("network/bandwidth-factor");
  double window = sg_cfg_get_double("network/TCP-gamma");
  if (latency > 0 && window / (2 * latency) < rate)
    rate = window / (2 * latency);
  if (getenv("XT")) rate /= atof(getenv("XT"));
  return latency + bytes / rate;
}

int main(int argc, char *argv[])
{
  simgrid_init(&argc, argv);
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "--control=delay") == 0) {
      bench.control_delay = 1;
      memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof *argv);
      argc--;
      i--;
    }
  if (argc < 6 || argc > 7) {
    fprintf(stderr, "usage: %s PLATFORM CLIENT_HOST SERVER_HOST SESSIONS COMMANDS [INTERVAL] [--cfg=...]\n", argv[0]);
    return 2;
  }
  simgrid_load_platform(argv[1]);
  bench.client_host = sg_host_by_name(argv[2]);
  bench.server_host = sg_host_by_name(argv[3]);
  bench.sessions = strtoul(argv[4], NULL, 10);
  bench.commands = strtoul(argv[5], NULL, 10);
  bench.interval = argc == 7 ? strtod(argv[6], NULL) : 0;
  if (bench.client_host == NULL || bench.server_host == NULL) {
    fprintf(stderr, "%s: unknown host\n", argv[0]);
    return 2;
  }
  for (int type = CMD_CONNECT; type <= CMD_QUIT; type++) {
    bench.delay_to_server[type] = uncongested_time(bench.client_host, bench.server_host, command_bytes[type]);
    bench.delay_to_client[type] = uncongested_time(bench.server_host, bench.client_host, reply_bytes[type]);
  }
  sg_actor_t spawner = sg_actor_init("spawner", bench.client_host);
  sg_actor_start(spawner, spawner_actor, 0, NULL);
  simgrid_run();
  printf("sessions=%lu exchanges=%lu simulated_time=%.6f max_alive=%lu\n", bench.sessions_done, bench.exchanges,
         simgrid_get_clock(), bench.max_alive);
  return bench.sessions_done == bench.sessions ? 0 : 1;
}
