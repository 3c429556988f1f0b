/* How much work a run of a sweep is, for the ETA: sessions x data commands per session of its point,
 * from the varied value, the set value or the default of client.sessions and session.commands. Per
 * client host: a platform's host count and host properties are not read (the weight only has to rank
 * the runs of one sweep against each other). */
#ifndef FTPSIM_SWEEP_WEIGHT_H
#define FTPSIM_SWEEP_WEIGHT_H

#include <glib.h>

#include "sweep_plan.h"

G_BEGIN_DECLS

/* The point's weight, at least 1. */
double sweep_point_weight(const SweepPlan *plan, guint64 point);

G_END_DECLS

#endif
