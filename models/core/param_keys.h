/* The core parameters' keys as symbols, so that a misspelt key fails to compile; and each choice
 * parameter's values declared once, as an X-macro of (enum symbol, name) rows that makes both the enum
 * code decodes into (param_set_choice) and the name list params.c validates against and lists.
 * A new value is one row here: its position is its enum value. Model-name choices (client.model,
 * server.policy, client.reaction, server.reaction) are registry lookups, not enums. */
#ifndef FTPSIM_PARAM_KEYS_H
#define FTPSIM_PARAM_KEYS_H

/* What a row becomes: an enumerator, a name, or one more in a count. */
#define CHOICE_ENUMERATOR(symbol, name) symbol,
#define CHOICE_NAME(symbol, name) name,
#define CHOICE_ONE(symbol, name) +1

/* ---- models, reactions, sessions per host ---- */

#define KEY_CLIENT_MODEL "client.model"
#define KEY_SERVER_POLICY "server.policy"
#define KEY_CLIENT_REACTION "client.reaction"
#define KEY_SERVER_REACTION "server.reaction"
#define KEY_CLIENT_SESSIONS "client.sessions"

#define KEY_CLIENT_PORT_COMMAND "client.port_command"
#define PORT_COMMAND_CHOICES(X) X(PORT_COMMAND_PORT, "port") X(PORT_COMMAND_EPRT, "eprt")
typedef enum { PORT_COMMAND_CHOICES(CHOICE_ENUMERATOR) } PortCommand;
#define PORT_COMMAND_COUNT (0 PORT_COMMAND_CHOICES(CHOICE_ONE))

#define KEY_CLIENT_LISTEN "client.listen"
#define CLIENT_LISTEN_CHOICES(X) X(CLIENT_LISTEN_YES, "yes") X(CLIENT_LISTEN_NO, "no")
typedef enum { CLIENT_LISTEN_CHOICES(CHOICE_ENUMERATOR) } ClientListen;
#define CLIENT_LISTEN_COUNT (0 CLIENT_LISTEN_CHOICES(CHOICE_ONE))

/* After a refused PORT: no, the data command fails at once (the KB's closed forms); yes, the client sends
 * it anyway and meets the server's answer to a data command without a usable PORT (DataPhase.no_port). */
#define KEY_CLIENT_DATA_AFTER_REJECT "client.data_after_reject"
#define DATA_AFTER_REJECT_CHOICES(X) X(DATA_AFTER_REJECT_NO, "no") X(DATA_AFTER_REJECT_YES, "yes")
typedef enum { DATA_AFTER_REJECT_CHOICES(CHOICE_ENUMERATOR) } DataAfterReject;
#define DATA_AFTER_REJECT_COUNT (0 DATA_AFTER_REJECT_CHOICES(CHOICE_ONE))

#define KEY_CLIENT_ACCEPT_TIMEOUT "client.accept_timeout"
#define KEY_SERVER_CONNECT_TIMEOUT "server.connect_timeout"

/* client.when_busy: what a counting client (as400) does when the port it reaches is busy on its host. */
#define KEY_CLIENT_WHEN_BUSY "client.when_busy"
#define WHEN_BUSY_CHOICES(X) X(WHEN_BUSY_NEXT_FREE, "next-free") X(WHEN_BUSY_FAIL, "fail")
typedef enum { WHEN_BUSY_CHOICES(CHOICE_ENUMERATOR) } WhenBusy;
#define WHEN_BUSY_COUNT (0 WHEN_BUSY_CHOICES(CHOICE_ONE))

/* ---- TCP, network, engine ---- */

#define KEY_NETWORK_THIRD_PARTY "network.third_party"
#define THIRD_PARTY_CHOICES(X) X(THIRD_PARTY_UNREACHABLE, "unreachable") X(THIRD_PARTY_REACHABLE, "reachable")
typedef enum { THIRD_PARTY_CHOICES(CHOICE_ENUMERATOR) } ThirdParty;
#define THIRD_PARTY_COUNT (0 THIRD_PARTY_CHOICES(CHOICE_ONE))

#define KEY_TCP_TIME_WAIT "tcp.time_wait"

#define KEY_TCP_CLOSER "tcp.closer"
#define TCP_CLOSER_CHOICES(X) X(TCP_CLOSER_SERVER, "server") X(TCP_CLOSER_CLIENT, "client")
typedef enum { TCP_CLOSER_CHOICES(CHOICE_ENUMERATOR) } TcpCloser;
#define TCP_CLOSER_COUNT (0 TCP_CLOSER_CHOICES(CHOICE_ONE))

#define KEY_NETWORK_CONTROL "network.control"
/* clang-format off */
#define NETWORK_CONTROL_CHOICES(X) \
  X(NETWORK_CONTROL_SHARED, "shared") X(NETWORK_CONTROL_UNCONGESTED, "uncongested") X(NETWORK_CONTROL_LOADED, "loaded")
/* clang-format on */
typedef enum { NETWORK_CONTROL_CHOICES(CHOICE_ENUMERATOR) } NetworkControl;
#define NETWORK_CONTROL_COUNT (0 NETWORK_CONTROL_CHOICES(CHOICE_ONE))

/* network.transfers: what times a data transfer. flows: a SimGrid flow, shared by SimGrid's solver; loaded: as
 * network.control=loaded times a control message (processor sharing on each link), no SimGrid flow. */
#define KEY_NETWORK_TRANSFERS "network.transfers"
#define NETWORK_TRANSFERS_CHOICES(X) X(NETWORK_TRANSFERS_FLOWS, "flows") X(NETWORK_TRANSFERS_LOADED, "loaded")
typedef enum { NETWORK_TRANSFERS_CHOICES(CHOICE_ENUMERATOR) } NetworkTransfers;
#define NETWORK_TRANSFERS_COUNT (0 NETWORK_TRANSFERS_CHOICES(CHOICE_ONE))

#define KEY_ENGINE_SESSIONS "engine.sessions"
#define SESSION_ENGINE_CHOICES(X) X(SESSION_ENGINE_ACTORS, "actors") X(SESSION_ENGINE_EVENT_LOOP, "event-loop")
typedef enum { SESSION_ENGINE_CHOICES(CHOICE_ENUMERATOR) } SessionEngine;
#define SESSION_ENGINE_COUNT (0 SESSION_ENGINE_CHOICES(CHOICE_ONE))

/* ---- a session's workload ---- */

#define KEY_SESSION_COMMANDS "session.commands"
#define KEY_SESSION_FILE_SIZE "session.file_size"
#define KEY_SESSION_LIST_SIZE "session.list_size"
#define KEY_SESSION_MIX_LIST "session.mix_list"
#define KEY_SESSION_MIX_RETR "session.mix_retr"
#define KEY_SESSION_MIX_STOR "session.mix_stor"
#define KEY_SESSION_THINK_TIME "session.think_time"

/* session.commands_dist: how many data commands a session issues, of mean session.commands. */
#define KEY_SESSION_COMMANDS_DIST "session.commands_dist"
#define COUNT_DISTRIBUTION_CHOICES(X)                                                                                  \
  X(COUNT_FIXED, "fixed") X(COUNT_UNIFORM, "uniform") X(COUNT_GEOMETRIC, "geometric")
typedef enum { COUNT_DISTRIBUTION_CHOICES(CHOICE_ENUMERATOR) } CountDistribution;
#define COUNT_DISTRIBUTION_COUNT (0 COUNT_DISTRIBUTION_CHOICES(CHOICE_ONE))

/* session.file_size_dist and session.think_dist: a value of a given mean, drawn or not. */
#define KEY_SESSION_FILE_SIZE_DIST "session.file_size_dist"
#define KEY_SESSION_THINK_DIST "session.think_dist"
#define VALUE_DISTRIBUTION_CHOICES(X) X(VALUE_FIXED, "fixed") X(VALUE_EXPONENTIAL, "exponential")
typedef enum { VALUE_DISTRIBUTION_CHOICES(CHOICE_ENUMERATOR) } ValueDistribution;
#define VALUE_DISTRIBUTION_COUNT (0 VALUE_DISTRIBUTION_CHOICES(CHOICE_ONE))

/* ---- a client host's workload ---- */

#define KEY_WORKLOAD_INTERVAL "workload.interval"
#define KEY_WORKLOAD_RATE "workload.rate"

#define KEY_WORKLOAD_ARRIVAL "workload.arrival"
#define ARRIVAL_CHOICES(X) X(ARRIVAL_AT_ONCE, "at-once") X(ARRIVAL_INTERVAL, "interval") X(ARRIVAL_POISSON, "poisson")
typedef enum { ARRIVAL_CHOICES(CHOICE_ENUMERATOR) } ArrivalKind;
#define ARRIVAL_COUNT (0 ARRIVAL_CHOICES(CHOICE_ONE))

/* ---- the history's servers (policy_wu_ftpd.c ... policy_netbsd_ftpd.c): their knobs ---- */

#define KEY_SERVER_ENABLE_PORT_ATTACK "server.enable_port_attack"
#define KEY_SERVER_PORT_ALLOW "server.port_allow"
#define KEY_SERVER_MATCH_CLIENT_ADDRESS "server.match_client_address_for_port"
#define KEY_SERVER_CHECK_DATA_CONNECTION_IP "server.check_data_connection_ip"
#define KEY_SERVER_CHECKPORTCMD "server.checkportcmd"

/* z/OS FTP.DATA PORTCOMMAND: whether PORT/EPRT are accepted at all. */
#define KEY_SERVER_PORTCOMMAND "server.portcommand"
#define ZOS_PORTCOMMAND_CHOICES(X) X(ZOS_PORTCOMMAND_ACCEPT, "accept") X(ZOS_PORTCOMMAND_REJECT, "reject")
typedef enum { ZOS_PORTCOMMAND_CHOICES(CHOICE_ENUMERATOR) } ZosPortCommand;
#define ZOS_PORTCOMMAND_COUNT (0 ZOS_PORTCOMMAND_CHOICES(CHOICE_ONE))

/* z/OS FTP.DATA PORTCOMMANDPORT: NOLOWPORTS refuses ports below 1024. */
#define KEY_SERVER_PORTCOMMANDPORT "server.portcommandport"
#define ZOS_PORTCOMMANDPORT_CHOICES(X)                                                                                 \
  X(ZOS_PORTCOMMANDPORT_UNRESTRICTED, "unrestricted") X(ZOS_PORTCOMMANDPORT_NOLOWPORTS, "nolowports")
typedef enum { ZOS_PORTCOMMANDPORT_CHOICES(CHOICE_ENUMERATOR) } ZosPortCommandPort;
#define ZOS_PORTCOMMANDPORT_COUNT (0 ZOS_PORTCOMMANDPORT_CHOICES(CHOICE_ONE))

/* z/OS FTP.DATA PORTCOMMANDIPADDR: NOREDIRECT refuses an address other than the client's. */
#define KEY_SERVER_PORTCOMMANDIPADDR "server.portcommandipaddr"
#define ZOS_PORTCOMMANDIPADDR_CHOICES(X)                                                                               \
  X(ZOS_PORTCOMMANDIPADDR_UNRESTRICTED, "unrestricted") X(ZOS_PORTCOMMANDIPADDR_NOREDIRECT, "noredirect")
typedef enum { ZOS_PORTCOMMANDIPADDR_CHOICES(CHOICE_ENUMERATOR) } ZosPortCommandIpaddr;
#define ZOS_PORTCOMMANDIPADDR_COUNT (0 ZOS_PORTCOMMANDIPADDR_CHOICES(CHOICE_ONE))
/* ---- middleboxes on the route (models/middleboxes/): a host or link with the property ftpsim.middlebox ---- */

#define KEY_CLIENT_REPLY_TIMEOUT "client.reply_timeout"

#define KEY_MIDDLEBOX_LOOSE "middlebox.loose"
#define KEY_MIDDLEBOX_NAT_ADDRESS "middlebox.nat_address"
#define KEY_MIDDLEBOX_NAT_PORTS "middlebox.nat_ports"
#define KEY_MIDDLEBOX_STRICT "middlebox.strict"
#define KEY_MIDDLEBOX_ALLOW "middlebox.allow"

#define KEY_MIDDLEBOX_NAT "middlebox.nat"
#define MIDDLEBOX_NAT_CHOICES(X) X(MIDDLEBOX_NAT_NO, "no") X(MIDDLEBOX_NAT_YES, "yes")
typedef enum { MIDDLEBOX_NAT_CHOICES(CHOICE_ENUMERATOR) } MiddleboxNat;
#define MIDDLEBOX_NAT_COUNT (0 MIDDLEBOX_NAT_CHOICES(CHOICE_ONE))

#define KEY_MIDDLEBOX_ACTION "middlebox.action"
#define MIDDLEBOX_ACTION_CHOICES(X)                                                                                    \
  X(MIDDLEBOX_ACTION_REJECT, "reject") X(MIDDLEBOX_ACTION_DROP, "drop") X(MIDDLEBOX_ACTION_CLOSE, "close")
typedef enum { MIDDLEBOX_ACTION_CHOICES(CHOICE_ENUMERATOR) } MiddleboxActionChoice;
#define MIDDLEBOX_ACTION_COUNT (0 MIDDLEBOX_ACTION_CHOICES(CHOICE_ONE))

/* middlebox.reject_code: RFC 959's text goes with each code. */
#define KEY_MIDDLEBOX_REJECT_CODE "middlebox.reject_code"
#define MIDDLEBOX_REJECT_CODE_CHOICES(X)                                                                               \
  X(MIDDLEBOX_REJECT_500, "500")                                                                                       \
  X(MIDDLEBOX_REJECT_501, "501") X(MIDDLEBOX_REJECT_502, "502") X(MIDDLEBOX_REJECT_504, "504")
typedef enum { MIDDLEBOX_REJECT_CODE_CHOICES(CHOICE_ENUMERATOR) } MiddleboxRejectCode;
#define MIDDLEBOX_REJECT_CODE_COUNT (0 MIDDLEBOX_REJECT_CODE_CHOICES(CHOICE_ONE))

#endif
