/* What the engine's files share: the hosts as the run sees them, the run's state, and how an actor starts.
 *
 * The engine's files, by concern: wire (FTP vocabulary), control (mailbox pool, route times), server_side
 * (a server's answer to a command), session and session_lifecycle (the client's state machine; creating
 * and finishing a session), workload (arrivals and draws), driver_actors and driver_event_loop (the two
 * ways to run sessions), run (engine_run: hosts, then SimGrid). Headers include one way:
 * wire, control -> engine_internal -> session -> server_side, workload, drivers -> run.
 *
 * Log categories: each file has its own under ftpsim_engine (run.c), itself under ftpsim, so
 * --log=ftpsim.thres:debug or --log=ftpsim_engine.thres:debug turns them all up. */
#ifndef FTPSIM_ENGINE_INTERNAL_H
#define FTPSIM_ENGINE_INTERNAL_H

#include <glib.h>
#include <simgrid/actor.h>

#include "control.h"
#include "engine.h"
#include "memory_estimate.h"
#include "settings.h"
#include "time_wait.h"

G_BEGIN_DECLS

typedef struct ServerHost {
  const ServerSpec *spec;
  sg_host_t host;
  ServerSettings settings; /* from the host's parameters */
  PortGate gate;
  gpointer reaction_state;  /* settings.reaction's; it changes with rejections */
  TimeWaitTable *time_wait; /* (client address, port) pairs this server closed lately */
} ServerHost;

typedef struct ClientHost {
  ClientSettings settings; /* from the host's parameters */
  const ClientSpec *spec;
  guint index; /* in the scenario's clients, which numbers the host's random streams */
  sg_host_t host;
  const void *routes_server; /* network.control=uncongested: the server the two routes below are for */
  ControlRoute to_server, to_client;
  PortAllocator shared_ports; /* for models whose scope is the host; created on first use */
  TimeWaitTable *ports_held;  /* ports listening now, or in TIME_WAIT when the client closes */
  struct SessionLoop *loop;   /* engine.sessions=event-loop: the host's sessions, as events */
} ClientHost;

/* The run: one per process, as SimGrid allows one simulation per process. run.c fills it before
 * simgrid_run() and clears it after; during the run, sessions take and return mailboxes, add their stats
 * to `run`, hand their records to options->sink, and keep the first failure in `error`. */
typedef struct EngineState {
  const EngineOptions *options;
  const Scenario *scenario;
  ServerHost *servers;               /* as scenario->servers */
  ClientHost *clients;               /* as scenario->clients */
  ClientSettings *deployed_settings; /* one per deployed session, or NULL */
  MailboxPool mailboxes;
  RunStats run;
  GError *error; /* the first failure inside an actor */
  guint64 data_commands_begun;
  guint64 progress_at_commands; /* data_commands_begun at which progress is told next (G_MAXUINT64: never) */
  guint64 sessions_alive;
  guint64 memory_alive;   /* the sessions alive and the event loop's transfers, at memory_estimate.h's costs */
  guint64 memory_allowed; /* options->memory.budget less the program's own (G_MAXUINT64: no guard) */
} EngineState;

extern EngineState engine;

/* Tells the progress line (options->progress) of the data commands begun; engine_count_data_command calls it. */
void engine_progress_after_commands(void);

/* A data command begins: one add and one compare, the progress line told now and then. */
static inline void engine_count_data_command(void)
{
  if (G_UNLIKELY(++engine.data_commands_begun == engine.progress_at_commands))
    engine_progress_after_commands();
}

/* Tells options->memory that the run has outgrown its memory; does not return. */
G_NORETURN void engine_memory_exceeded(void);

/* A session or a transfer of the event loop takes or gives back its memory: an add and a compare. */
static inline void engine_memory_take(guint64 bytes)
{
  engine.memory_alive += bytes;
  if (G_UNLIKELY(engine.memory_alive > engine.memory_allowed))
    engine_memory_exceeded();
}

static inline void engine_memory_give(guint64 bytes)
{
  engine.memory_alive -= bytes;
}

/* Starts an actor whose code finds its state in sg_actor_self_get_data(). */
void start_actor(const char *name, sg_host_t host, xbt_main_func_t code, void *data);

G_END_DECLS

#endif
