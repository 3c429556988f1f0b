/* The data phase's rules (data_phase.h), the same for every policy: a policy only states its DataPhase. */
#include "data_phase.h"

/* RFC 959 s4.2's texts, as the engine used for every server before the data phase was modelled. */
#define ASSUMED_DATA_PHASE(source_port, connect_time)                                                                  \
  {                                                                                                                    \
    .source = source_port, .connect = connect_time, .opening = {150, "Opening BINARY mode data connection."},          \
    .opening_connected = {125, "Data connection already open; transfer starting."},                                    \
    .complete = {226, "Transfer complete."},                                                                           \
    .connect_failed = {[DATA_FAILURE_REFUSED] = {425, "Can't open data connection."},                                  \
                       [DATA_FAILURE_UNREACHABLE] = {425, "Can't open data connection."},                              \
                       [DATA_FAILURE_TIME_WAIT] = {425, "Can't open data connection."}},                               \
    .no_port = {503, "Bad sequence of commands."},                                                                     \
  }

const DataPhase data_phase_assumed = ASSUMED_DATA_PHASE(DATA_SOURCE_PORT_20, CONNECT_AT_DATA_COMMAND);

const DataPhase *data_phase_assumed_for(DataSource source, ConnectTime connect)
{
  static const DataPhase ephemeral = ASSUMED_DATA_PHASE(DATA_SOURCE_EPHEMERAL, CONNECT_AT_DATA_COMMAND);
  static const DataPhase port_20_first = ASSUMED_DATA_PHASE(DATA_SOURCE_PORT_20, CONNECT_BEFORE_PORT_REPLY);
  static const DataPhase ephemeral_first = ASSUMED_DATA_PHASE(DATA_SOURCE_EPHEMERAL, CONNECT_BEFORE_PORT_REPLY);
  if (connect == CONNECT_BEFORE_PORT_REPLY)
    return source == DATA_SOURCE_PORT_20 ? &port_20_first : &ephemeral_first;
  return source == DATA_SOURCE_PORT_20 ? &data_phase_assumed : &ephemeral;
}

double data_phase_connect_timeout(const DataPhase *phase, double kernel_timeout)
{
  return phase->connect_timeout > 0 && phase->connect_timeout < kernel_timeout ? phase->connect_timeout
                                                                               : kernel_timeout;
}

DataFailure data_phase_connect(const DataPhase *phase, const DataPath *path)
{
  /* connect() from port 20 to a 4-tuple in TIME_WAIT fails at once (EADDRNOTAVAIL), before any SYN. */
  if (phase->source == DATA_SOURCE_PORT_20 && path->port20_time_wait)
    return DATA_FAILURE_TIME_WAIT;
  if (!path->reachable)
    return DATA_FAILURE_UNREACHABLE;
  if (!path->listening)
    return DATA_FAILURE_REFUSED;
  return DATA_FAILURE_NONE;
}

FtpReply data_phase_port_reply(const DataPhase *phase, FtpReply verdict, const DataPath *path, DataFailure *failure)
{
  *failure = DATA_FAILURE_NONE;
  if (!ftp_reply_is_positive(verdict) || phase->connect != CONNECT_BEFORE_PORT_REPLY)
    return verdict;
  *failure = data_phase_connect(phase, path);
  return *failure == DATA_FAILURE_NONE ? verdict : phase->connect_failed[*failure];
}

DataCommandResult data_phase_data_command(const DataPhase *phase, FtpReply port_reply, const DataPath *path)
{
  if (!ftp_reply_is_positive(port_reply)) {
    if (phase->no_port_holds)
      return (DataCommandResult){.preliminary = phase->no_port, .fate = SESSION_HELD};
    return (DataCommandResult){.final = phase->no_port, .fate = SESSION_SURVIVES};
  }
  if (phase->fatal.code != 0)
    return (DataCommandResult){
        .final = phase->fatal, .failure = DATA_FAILURE_ENDED_BY_SERVER, .fate = SESSION_ENDED_BY_SERVER};
  if (phase->connect == CONNECT_BEFORE_PORT_REPLY) /* a positive reply says the connection is open */
    return (DataCommandResult){.preliminary = phase->opening_connected, .final = phase->complete};
  const DataFailure failure = data_phase_connect(phase, path);
  if (failure != DATA_FAILURE_NONE)
    return (DataCommandResult){.final = phase->connect_failed[failure], .failure = failure};
  return (DataCommandResult){.preliminary = phase->opening, .final = phase->complete};
}
