/* A client's workload: when its host's sessions arrive (workload.arrival), and what each session draws
 * from its own stream (how many data commands, which kind, sizes and pauses). */
#ifndef FTPSIM_WORKLOAD_H
#define FTPSIM_WORKLOAD_H

#include <glib.h>

#include "session.h"

G_BEGIN_DECLS

/* ---- draws ---- */

double draw_exponential(GRand *rand, double mean);
/* settings->commands_dist around settings->mean_commands; rand may be NULL for COUNT_FIXED. */
guint64 draw_data_commands(const ClientSettings *settings, GRand *rand);
/* LIST, RETR or STOR by the settings' mix; rand may be NULL when the mix is RETR alone. */
DataKind draw_data_kind(const ClientSettings *settings, GRand *rand);

/* ---- arrivals ---- */

/* When a client host's sessions arrive. */
typedef struct Arrivals {
  guint64 made, total;
  ArrivalKind kind;
  double interval, rate, next;
  GRand *rand;
} Arrivals;

void arrivals_init(Arrivals *arrivals, const ClientHost *client);
/* The next session's arrival time; FALSE once all have arrived. */
gboolean arrivals_next(Arrivals *arrivals, double *time);
/* The session that has just arrived; NULL after storing the reason in engine.error. */
Session *arrivals_session(const Arrivals *arrivals, ClientHost *client);
void arrivals_clear(Arrivals *arrivals);

G_END_DECLS

#endif
