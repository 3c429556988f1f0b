#include "memory_estimate.h"

#include "param_keys.h"

/* One source of sessions: its parameters, how many start at time 0, and how many there are. */
static void add_sessions(MemoryEstimate *estimate, const ParamSet *params, guint64 at_once)
{
  gboolean actors = param_set_choice(params, KEY_ENGINE_SESSIONS) == SESSION_ENGINE_ACTORS;
  estimate->sessions_at_once += at_once;
  if (actors) {
    estimate->actor_sessions += at_once;
    if (param_set_choice(params, KEY_NETWORK_CONTROL) != NETWORK_CONTROL_UNCONGESTED)
      estimate->event_loop_same = FALSE;
  }
}

void memory_estimate(const Scenario *scenario, MemoryEstimate *estimate)
{
  *estimate = (MemoryEstimate){.event_loop_same = TRUE};
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
  guint64 loop_sessions = estimate->sessions_at_once - estimate->actor_sessions;
  estimate->bytes = MEMORY_BASE_BYTES + estimate->actor_sessions * MEMORY_ACTOR_SESSION_BYTES +
                    loop_sessions * MEMORY_LOOP_SESSION_BYTES;
  estimate->event_loop_bytes = MEMORY_BASE_BYTES + estimate->sessions_at_once * MEMORY_LOOP_SESSION_BYTES;
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
