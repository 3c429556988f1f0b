/* The routes and workloads on which a control channel must equal the shared model while links are idle:
 * shared by test_control.c (uncongested, the event loop) and test_control_loaded.c (loaded). */
#ifndef FTPSIM_TEST_CONTROL_ROUTES_H
#define FTPSIM_TEST_CONTROL_ROUTES_H

#include <glib.h>

#define CONTROL_ROUTE_COUNT 4
#define CONTROL_WORKLOAD_COUNT 4

/* <link>/<route> elements between the hosts "client" and "server"; NULL: the built-in KB platform. */
extern const char *const control_routes[CONTROL_ROUTE_COUNT];
/* --set KEY=VALUE lists, NULL-terminated. */
extern const char *const control_workloads[CONTROL_WORKLOAD_COUNT][8];

/* dir/platform.xml with the client and server hosts and these links; NULL when links is NULL. */
gchar *control_route_platform_file(const char *dir, const char *links);

/* The lines of dir/name, sorted (and without their first column, the session's number, when
 * drop_first_column): runs whose sessions end together in different orders compare equal. */
gchar *control_sorted_rows(const char *dir, const char *name, gboolean drop_first_column);

#endif
