/* CSV fields, written once here: RFC 4180 quoting, and the number formats every ftpsim CSV shares.
 * The csv_put_* writers are on the hot path (a session's row, an exchange's row): no allocation, and no
 * printf-family call (see csv.c for why). */
#ifndef FTPSIM_CSV_H
#define FTPSIM_CSV_H

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

/* Writes a CSV field, quoting it when it holds a comma, a quote or a line break (RFC 4180). */
void csv_write_field(FILE *stream, const char *text);
/* The same quoting, appended to a row being built in memory. */
void csv_append_field(GString *row, const char *text);

/* A whole number in decimal, as "%" G_GUINT64_FORMAT writes it. */
void csv_put_u64(FILE *stream, guint64 value);
/* Seconds with nine decimals ("%.9f"); csv_put_time_or_empty writes nothing for a negative time
 * ("did not happen"). */
void csv_put_time(FILE *stream, double time);
void csv_put_time_or_empty(FILE *stream, double time);
/* Six decimals ("%.6f"): the probe's wall-clock microseconds. */
void csv_put_micro(FILE *stream, double value);
/* The shortest text that reads back as the same double (number_text.h): the summary's mean, once per run.
 * About twice the cost of csv_put_time, so not on the per-session or per-exchange rows. */
void csv_put_shortest(FILE *stream, double value);

G_END_DECLS

#endif
