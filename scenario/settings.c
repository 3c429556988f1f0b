/* Decoding a ParamSet into ClientSettings and ServerSettings, once per host or deployed session. */
#include "settings.h"

#include "scenario.h"

void client_settings_init(ClientSettings *settings, const ParamSet *params)
{
  settings->reaction = client_reaction_find(param_set_string(params, KEY_CLIENT_REACTION), NULL);
  settings->reaction_state = settings->reaction->create ? settings->reaction->create(params) : NULL;

  settings->commands_dist = (CountDistribution)param_set_choice(params, KEY_SESSION_COMMANDS_DIST);
  settings->mean_commands = (guint64)param_set_int(params, KEY_SESSION_COMMANDS);
  settings->mix_list = param_set_double(params, KEY_SESSION_MIX_LIST);
  settings->mix_retr = param_set_double(params, KEY_SESSION_MIX_RETR);
  settings->mix_total = settings->mix_list + settings->mix_retr + param_set_double(params, KEY_SESSION_MIX_STOR);
  settings->file_size_dist = (ValueDistribution)param_set_choice(params, KEY_SESSION_FILE_SIZE_DIST);
  settings->file_size = (guint64)param_set_int(params, KEY_SESSION_FILE_SIZE);
  settings->list_size = (guint64)param_set_int(params, KEY_SESSION_LIST_SIZE);
  settings->think_dist = (ValueDistribution)param_set_choice(params, KEY_SESSION_THINK_DIST);
  settings->think_time = param_set_double(params, KEY_SESSION_THINK_TIME);
  settings->needs_rand = settings->commands_dist != COUNT_FIXED || settings->mix_total != settings->mix_retr ||
                         settings->file_size_dist != VALUE_FIXED || settings->think_dist != VALUE_FIXED;

  settings->port_command = (PortCommand)param_set_choice(params, KEY_CLIENT_PORT_COMMAND);
  settings->closer = (TcpCloser)param_set_choice(params, KEY_TCP_CLOSER);
  settings->listen = (ClientListen)param_set_choice(params, KEY_CLIENT_LISTEN);
  settings->third_party = (ThirdParty)param_set_choice(params, KEY_NETWORK_THIRD_PARTY);
  settings->data_after_reject = (DataAfterReject)param_set_choice(params, KEY_CLIENT_DATA_AFTER_REJECT);
  settings->accept_timeout = param_set_double(params, KEY_CLIENT_ACCEPT_TIMEOUT);
  settings->time_wait = param_set_double(params, KEY_TCP_TIME_WAIT);
  settings->control = (NetworkControl)param_set_choice(params, KEY_NETWORK_CONTROL);
  settings->transfers = (NetworkTransfers)param_set_choice(params, KEY_NETWORK_TRANSFERS);
  settings->engine = (SessionEngine)param_set_choice(params, KEY_ENGINE_SESSIONS);

  settings->arrival = (ArrivalKind)param_set_choice(params, KEY_WORKLOAD_ARRIVAL);
  settings->arrival_interval = param_set_double(params, KEY_WORKLOAD_INTERVAL);
  settings->arrival_rate = param_set_double(params, KEY_WORKLOAD_RATE);
}

void client_settings_clear(ClientSettings *settings)
{
  if (settings->reaction != NULL && settings->reaction->destroy != NULL && settings->reaction_state != NULL)
    settings->reaction->destroy(settings->reaction_state);
  settings->reaction_state = NULL;
}

void server_settings_init(ServerSettings *settings, const ParamSet *params)
{
  settings->reaction = server_reaction_find(param_set_string(params, KEY_SERVER_REACTION), NULL);
  settings->time_wait = param_set_double(params, KEY_TCP_TIME_WAIT);
  settings->connect_timeout = param_set_double(params, KEY_SERVER_CONNECT_TIMEOUT);
}
