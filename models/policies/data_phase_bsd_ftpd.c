/* BSD ftpd's dataconn(): bind port L-1 = 20, connect at the data command; a failure is
 * perror_reply(425, "Can't build data connection"), the strerror() of the connect. EADDRINUSE (a 4-tuple in
 * TIME_WAIT) is retried every swaitint seconds up to swaitmax (90 s) before that reply: the wait is not
 * modelled. After a refused PORT, usedefault sends the data to the client's control port, where nothing
 * listens: the same 425, "Connection refused". The texts are strerror()'s (NetBSD and glibc agree). */
#include "data_phase_bsd_ftpd.h"

#define CANT_BUILD(reason)                                                                                             \
  {                                                                                                                    \
    425, "Can't build data connection: " reason "."                                                                    \
  }

const DataPhase data_phase_bsd_ftpd = {
    .source = DATA_SOURCE_PORT_20,
    .connect = CONNECT_AT_DATA_COMMAND,
    .opening = {150, "Opening BINARY mode data connection."},
    .opening_connected = {125, "Data connection already open; transfer starting."},
    .complete = {226, "Transfer complete."},
    .connect_failed = {[DATA_FAILURE_REFUSED] = CANT_BUILD("Connection refused"),
                       [DATA_FAILURE_UNREACHABLE] = CANT_BUILD("Connection timed out"),
                       [DATA_FAILURE_TIME_WAIT] = CANT_BUILD("Address already in use")},
    .no_port = CANT_BUILD("Connection refused"),
};

const DataPhase *data_phase_bsd_ftpd_for(gconstpointer state, const PortRequest *request)
{
  (void)state;
  (void)request;
  return &data_phase_bsd_ftpd;
}
