/* A sweep's runs on disk: DIR/runs/pP-rR/ holds each finished run's files, .tmp-pP-rR-HOST-PID/ folders
 * the runs in progress (each with a .running file its sweep process holds a POSIX lock on, so that any
 * process, on any host sharing the folder, can tell a run in progress from one whose process was
 * killed), pP-rR.failed the failures.csv row of a run that failed and has not succeeded since, and which
 * of the points x reps runs are finished. */
#ifndef FTPSIM_SWEEP_RUNS_H
#define FTPSIM_SWEEP_RUNS_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct SweepRuns {
  guint64 points;
  guint64 reps;
  guint64 count;   /* points x reps */
  gchar *out_dir;  /* DIR as given, for messages and the collected files */
  gchar *runs_dir; /* DIR/runs, absolute: runs on platform files work in the platform's folder */
  guint8 *done;    /* count flags, run (point, rep) at point * reps + rep */
  guint64 done_count;
} SweepRuns;

void sweep_runs_init(SweepRuns *runs, const char *out_dir, guint64 points, guint64 reps);
void sweep_runs_clear(SweepRuns *runs);

gboolean sweep_runs_is_done(const SweepRuns *runs, guint64 point, guint64 rep);
/* Marks the run finished; counted once however often it is marked. */
void sweep_runs_mark_done(SweepRuns *runs, guint64 point, guint64 rep);

/* DIR/runs/pP-rR, where the run's files are kept once it finished. */
gchar *sweep_run_dir(const SweepRuns *runs, guint64 point, guint64 rep);

/* DIR/runs/.tmp-pP-rR-HOST-PID, the folder of the run while this process runs it. */
gchar *sweep_temp_run_dir(const SweepRuns *runs, guint64 point, guint64 rep);

/* Creates TEMP_DIR/.running and locks it; returns its descriptor (closing it releases the lock), or -1
 * with errno set. */
int sweep_lock_running(const char *temp_dir);
/* Removes TEMP_DIR/.running and closes fd: done before the folder is renamed into place. */
void sweep_unlock_running(const char *temp_dir, int fd);
/* Whether a live process holds TEMP_DIR/.running's lock. */
gboolean sweep_temp_dir_is_running(const char *temp_dir);

/* Parses the (point, rep) of a run folder's or record's name after prefix (".tmp-p", "p"): "3-r1...". */
gboolean sweep_parse_run_name(const char *name, const char *prefix, guint64 *point, guint64 *rep);

/* DIR/runs/pP-rR.failed, the failures.csv row of the run's last failure. */
gchar *sweep_failed_record_path(const SweepRuns *runs, guint64 point, guint64 rep);

/* Removes a run folder the sweep made, with the files a run left in it (a killed run leaves its hidden
 * temporary files); run folders hold no subfolder. */
void sweep_remove_run_dir(const char *path);

/* Removes the .tmp-* run folders of an earlier sweep process that was killed: its workers died with it
 * (PR_SET_PDEATHSIG) and the journal's lock says no other sweep is using the folder. */
void sweep_remove_stale_temp_dirs(const char *runs_dir);
/* The same for the selected runs only (count flags), and only the folders no live process holds: other
 * processes of the sweep may be running other runs (--runs). */
void sweep_remove_stale_temp_dirs_of(const SweepRuns *runs, const guint8 *selected);

/* Sets "cannot WHAT 'PATH': strerror(errno)" as a G_FILE_ERROR; returns FALSE. */
gboolean sweep_errno_error(GError **error, const char *what, const char *path);

G_END_DECLS

#endif
