/* Helpers for tests that run the ftpsim binary: spawn it, read its CSV files by column name. */
#ifndef FTPSIM_SIM_HARNESS_H
#define FTPSIM_SIM_HARNESS_H

#include <glib.h>

typedef struct RunResult {
  int status; /* exit status, or -1 if it did not exit normally */
  gchar *out;
  gchar *err;
} RunResult;

/* Runs FTPSIM_BINARY with the given NULL-terminated arguments in working folder cwd (NULL: here). */
RunResult harness_run(const char *cwd, const char *const *args);
/* The same with its address space limited to that many bytes (ulimit -v), when not 0. */
RunResult harness_run_limited(const char *cwd, const char *const *args, guint64 address_space);
void harness_result_clear(RunResult *result);

/* A CSV file read whole: the header and the rows, each a vector of fields (RFC 4180 quoting undone). */
typedef struct Csv {
  gchar **header;
  GPtrArray *rows; /* gchar** */
} Csv;

Csv *harness_read_csv(const char *path);
void harness_csv_free(Csv *csv);
/* The field of row (0-based) in column name; aborts the test if the column is missing. */
const char *harness_field(const Csv *csv, guint row, const char *column);
gint64 harness_int(const Csv *csv, guint row, const char *column);
double harness_double(const Csv *csv, guint row, const char *column);

/* A fresh temporary folder, removed by harness_remove_tree. */
gchar *harness_temp_dir(void);
void harness_remove_tree(const char *path);
/* The whole of dir/name; aborts the test if it cannot be read. */
gchar *harness_read_text(const char *dir, const char *name);
/* Writes text to dir/name and returns the path. */
gchar *harness_write_file(const char *dir, const char *name, const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Csv, harness_csv_free)

/* A client host "client" (address 192.0.2.10) and a server host "server" joined by one link; extra
 * <prop> elements go in client_props / server_props (may be NULL). Returns the file's path. */
gchar *harness_write_platform(const char *dir, const char *name, const char *latency, const char *bandwidth,
                              const char *client_props, const char *server_props);

/* A temporary folder for one test, and its output folder inside. */
typedef struct Fixture {
  gchar *dir;
  gchar *out;
} Fixture;

Fixture fixture_new(void);
void fixture_clear(Fixture *fixture);
/* Runs "ftpsim run [platform] --out OUT --quiet ARGS..." (NULL-terminated), expects success, and
 * returns OUT/sessions.csv. */
Csv *run_sessions(Fixture *fixture, const char *platform, const char *const *args);

#endif
