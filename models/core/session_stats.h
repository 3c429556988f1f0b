/* What one session did, and the run's totals: pure bookkeeping, shared by the simulator and its tests. */
#ifndef FTPSIM_SESSION_STATS_H
#define FTPSIM_SESSION_STATS_H

#include <glib.h>

#include "ftp_protocol.h"

G_BEGIN_DECLS

typedef enum {
  SESSION_OUTCOME_OK,                 /* every data command completed */
  SESSION_OUTCOME_PARTIAL,            /* some failed, at least one completed */
  SESSION_OUTCOME_ALL_REJECTED,       /* none completed, and every failure was a rejected PORT */
  SESSION_OUTCOME_ALL_FAILED,         /* none completed, some because a data connection failed */
  SESSION_OUTCOME_ABORTED,            /* the client gave up */
  SESSION_OUTCOME_DISCONNECTED,       /* the server answered 421 and closed */
  SESSION_OUTCOME_BANNED,             /* the server banned the client's address */
  SESSION_OUTCOME_ENDED_BY_SERVER,    /* the server ended the session at a data command after an accepted PORT */
  SESSION_OUTCOME_STALLED,            /* the server went silent after a 150 and the client's accept timeout ended it */
  SESSION_OUTCOME_ENDED_BY_MIDDLEBOX, /* a middlebox closed the control connection or dropped a PORT (timeout) */
} SessionOutcome;

/* How a session ended, when not by the client's QUIT after its last command. */
typedef enum {
  SESSION_END_QUIT,
  SESSION_END_GAVE_UP,
  SESSION_END_DISCONNECTED,
  SESSION_END_BANNED,
  SESSION_END_BY_SERVER,    /* the server closed the control connection at a data command (vsftpd's 500 OOPS) */
  SESSION_END_STALLED,      /* no data connection came after a 150: the client's accept timeout ended the session */
  SESSION_END_BY_MIDDLEBOX, /* a middlebox tore the control connection down, or dropped a PORT: no reply came */
} SessionEnd;

const char *session_outcome_name(SessionOutcome outcome);

typedef struct SessionStats {
  double start_time;
  double end_time;
  guint64 commands;                     /* PORT commands issued */
  guint64 rejected;                     /* PORT commands the server refused */
  guint64 rejected_before_first_accept; /* all of them when none was accepted */
  gint32 first_accept_port;             /* -1 while none */
  double first_accept_time;             /* when the first positive PORT reply arrived */
  double first_transfer_time;           /* when the first transfer completed; < 0 while none */
  guint64 transfers;
  guint64 bytes;
  guint64 data_commands;             /* data commands the user issued (each may send several PORTs) */
  guint64 failed_commands;           /* data commands that did not complete */
  guint64 connection_failures;       /* data connections that could not be opened (TIME_WAIT, NAT, ...) */
  guint64 time_wait_failures;        /* of those, the ones whose port was in TIME_WAIT */
  guint64 refused_failures;          /* of those, the ones nothing listened for (client.listen=no) */
  guint64 unreachable_failures;      /* of those, the ones whose address did not answer (NAT, a third party) */
  guint64 client_port_busy_failures; /* of those, the ones the client could not listen for (before any PORT) */
  guint64 retries;                   /* PORTs sent again for the same data command */
  guint64 pasv_transfers;            /* transfers done in passive mode */
  double fallback_time;              /* when the client switched to PASV; < 0 if it never did */
  double tarpit_delay;               /* seconds the server held rejection replies back */
  SessionEnd end;
  /* Middleboxes on the route (models/middleboxes/). */
  guint64 middlebox_rejected;     /* PORTs a middlebox refused with a reply of its own (counted in rejected too) */
  guint64 middlebox_dropped;      /* PORTs a middlebox dropped: no reply, the client timed out */
  guint64 middlebox_data_blocked; /* data connections a stateful firewall dropped (no expectation) */
  guint64 nat_port_moves;         /* PORTs whose port a NAT changed (the named one was taken) */
  const char *middlebox_end;      /* the host or link whose middlebox ended the session, or NULL */
  /* What the session was meant to do and what it lost (issue 13). */
  guint64 intended_commands; /* data commands the workload meant the session to issue */
  gint32 start_port;         /* the first port the session's client named or tried to listen on; -1 while none */
  double rejection_time;     /* seconds from sending each refused PORT to its reply (a tarpit's hold included) */
  double port_sent_time;     /* when the PORT awaiting its reply was sent; < 0 while none */
} SessionStats;

void session_stats_init(SessionStats *stats, double start_time);
/* A data command begins, or fails (rejected PORT, TIME_WAIT, ...). */
void session_stats_begin_command(SessionStats *stats);
void session_stats_fail_command(SessionStats *stats);
/* A data connection that could not be opened, and why (DATA_FAILURE_TIME_WAIT, ...). */
void session_stats_record_connection_failure(SessionStats *stats, DataFailure failure);
void session_stats_record_port(SessionStats *stats, guint16 port, gboolean accepted, double now);
void session_stats_record_transfer(SessionStats *stats, guint64 bytes, double now);
void session_stats_record_pasv_transfer(SessionStats *stats, guint64 bytes, double now);
SessionOutcome session_stats_outcome(const SessionStats *stats);
/* The client is about to send a PORT naming port, or to listen on it: the first such port is the
 * session's start port; now starts the clock of rejection_time. */
void session_stats_port_sent(SessionStats *stats, guint16 port, double now);
/* Data commands the session never issued, because it ended first (aborted, disconnected, banned, ...). */
guint64 session_stats_unissued(const SessionStats *stats);
/* Intended data commands that did not complete: failed + unissued. */
guint64 session_stats_lost(const SessionStats *stats);

typedef struct RunStats {
  guint64 sessions;
  guint64 commands;
  guint64 rejected;
  guint64 sessions_with_rejection;
  guint64 sessions_without_accept; /* only rejections, or no command at all */
  guint64 sum_rejected_before_first_accept;
  guint64 max_rejected_before_first_accept;
  guint64 transfers;
  guint64 bytes;
  guint64 data_commands;
  guint64 failed_commands;
  guint64 connection_failures;
  guint64 time_wait_failures;
  guint64 refused_failures;
  guint64 unreachable_failures;
  guint64 client_port_busy_failures;
  guint64 retries;
  guint64 pasv_fallbacks; /* sessions that switched to PASV */
  guint64 aborted;
  guint64 disconnected;
  guint64 banned;
  guint64 ended_by_server;
  guint64 stalled;
  guint64 ended_by_middlebox;
  guint64 middlebox_rejected;
  guint64 middlebox_dropped;
  guint64 middlebox_data_blocked;
  guint64 nat_port_moves;
  double first_accept_time; /* earliest over the run; < 0 while none */
  double first_transfer_time;
  double end_time;
  /* Intended and lost data commands, and the per-session values behind the quantiles (issue 13). */
  guint64 intended_commands;
  guint64 unissued_commands;
  guint64 lost_commands;
  double rejection_time;
  GArray *rejected_before_first_accept_values; /* guint64, one per session; NULL until the first */
  GArray *time_to_first_accept_values;         /* double, one per session that got a PORT accepted */
} RunStats;

/* Median, 95th percentile and maximum by the nearest-rank method: the value at rank ceil(p * n) of the
 * n sorted values (the median of 4 values is the 2nd). */
typedef struct Quantiles {
  guint64 count; /* values the quantiles are over; the rest is meaningless when 0 */
  double median;
  double p95;
  double max;
} Quantiles;

void run_stats_init(RunStats *run);
void run_stats_add(RunStats *run, const SessionStats *session);
/* Frees the per-session values; the counters stay. */
void run_stats_clear(RunStats *run);
double run_stats_mean_rejected_before_first_accept(const RunStats *run);
/* Over every session: rejected PORTs before the first accepted one. */
Quantiles run_stats_rejected_before_first_accept_quantiles(const RunStats *run);
/* Over the sessions that got a PORT accepted: seconds from the session's start to that reply. */
Quantiles run_stats_time_to_first_accept_quantiles(const RunStats *run);

G_END_DECLS

#endif
