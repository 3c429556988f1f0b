#include "memory_estimate.h"

#include "client_reaction.h"
#include "param_keys.h"

guint64 memory_session_bytes(SessionEngine driver, NetworkControl control)
{
  if (driver == SESSION_ENGINE_ACTORS)
    return control == NETWORK_CONTROL_SHARED ? MEMORY_ACTOR_SESSION_BYTES : MEMORY_ACTOR_UNCONGESTED_SESSION_BYTES;
  return control == NETWORK_CONTROL_SHARED ? MEMORY_LOOP_SHARED_SESSION_BYTES : MEMORY_LOOP_SESSION_BYTES;
}

/* The event loop, off the shared model: a session's state, and an actor for each transfer in flight. The
 * sessions at once may all be in one; PORT transfers hold a port of their host (at most
 * MEMORY_HOST_PORTS), PASV ones do not. */
static guint64 loop_bytes(const ParamSet *params, guint64 at_once)
{
  const ClientReaction *reaction = client_reaction_find(param_set_string(params, KEY_CLIENT_REACTION), NULL);
  guint64 transfers = reaction != NULL && reaction->may_use_pasv ? at_once : MIN(at_once, MEMORY_HOST_PORTS);
  if (param_set_choice(params, KEY_NETWORK_TRANSFERS) == NETWORK_TRANSFERS_LOADED &&
      param_set_choice(params, KEY_NETWORK_CONTROL) == NETWORK_CONTROL_LOADED)
    transfers = 0; /* timed as messages: no actor */
  return at_once * memory_session_bytes(SESSION_ENGINE_EVENT_LOOP, NETWORK_CONTROL_LOADED) +
         transfers * MEMORY_LOOP_TRANSFER_BYTES;
}

/* One source of sessions (a client host, or a deployed session): its parameters, how many start at time 0. */
static void add_sessions(MemoryEstimate *estimate, const ParamSet *params, guint64 at_once)
{
  const SessionEngine driver = param_set_choice(params, KEY_ENGINE_SESSIONS);
  const NetworkControl control = param_set_choice(params, KEY_NETWORK_CONTROL);
  gboolean actors = driver == SESSION_ENGINE_ACTORS;
  gboolean shared = control == NETWORK_CONTROL_SHARED;
  estimate->sessions_at_once += at_once;
  estimate->event_loop_bytes += loop_bytes(params, at_once);
  estimate->fluid_bytes += at_once * memory_session_bytes(SESSION_ENGINE_EVENT_LOOP, NETWORK_CONTROL_LOADED);
  estimate->stackless &= !actors && !shared;
  if (!actors) {
    estimate->bytes += shared ? at_once * memory_session_bytes(driver, control) : loop_bytes(params, at_once);
    return;
  }
  estimate->actor_sessions += at_once;
  estimate->bytes += at_once * memory_session_bytes(driver, control);
  /* loaded: the two drivers send simultaneous messages in another order, which its links serve in turn */
  if (param_set_choice(params, KEY_NETWORK_CONTROL) != NETWORK_CONTROL_UNCONGESTED && at_once > 0)
    estimate->event_loop_same = FALSE;
}

void memory_estimate(const Scenario *scenario, MemoryEstimate *estimate)
{
  *estimate = (MemoryEstimate){.bytes = MEMORY_BASE_BYTES,
                               .event_loop_bytes = MEMORY_BASE_BYTES,
                               .fluid_bytes = MEMORY_BASE_BYTES,
                               .stackless = TRUE,
                               .event_loop_same = TRUE};
  if (scenario->deployed != NULL) {
    for (guint i = 0; i < scenario->deployed->len; i++) {
      const DeployedSession *session = g_ptr_array_index(scenario->deployed, i);
      add_sessions(estimate, session->params, session->start_time <= 0 ? 1 : 0);
    }
  } else {
    for (guint i = 0; i < scenario->clients->len; i++) {
      const ClientSpec *client = g_ptr_array_index(scenario->clients, i);
      gboolean at_once = param_set_choice(client->host.params, KEY_WORKLOAD_ARRIVAL) == ARRIVAL_AT_ONCE;
      add_sessions(estimate, client->host.params, at_once ? client->sessions : MIN(client->sessions, 1));
    }
  }
}

void memory_estimate_use_event_loop(Scenario *scenario)
{
  const char *value = "event-loop";
  if (scenario->deployed != NULL)
    for (guint i = 0; i < scenario->deployed->len; i++)
      param_set_assign(((DeployedSession *)g_ptr_array_index(scenario->deployed, i))->params, KEY_ENGINE_SESSIONS,
                       value, NULL);
  for (guint i = 0; i < scenario->clients->len; i++)
    param_set_assign(((ClientSpec *)g_ptr_array_index(scenario->clients, i))->host.params, KEY_ENGINE_SESSIONS, value,
                     NULL);
}
