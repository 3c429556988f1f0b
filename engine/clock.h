/* The simulated time as the engine reads it: SimGrid's clock, except while the event loop runs alone with
 * nothing of SimGrid's in flight. It then moves time itself instead of a SimGrid wait per event, and this
 * clock is ahead of SimGrid's until the loop next needs SimGrid (driver_event_loop.c). */
#ifndef FTPSIM_ENGINE_CLOCK_H
#define FTPSIM_ENGINE_CLOCK_H

#include <simgrid/engine.h>

extern double engine_clock_ahead;

static inline double engine_now(void)
{
  const double clock = simgrid_get_clock();
  return engine_clock_ahead > clock ? engine_clock_ahead : clock;
}

#endif
