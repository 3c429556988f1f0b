#define _GNU_SOURCE /* strfromd, C2x in glibc 2.25+ */
#include "csv.h"
#include "number_text.h"

#include <stdlib.h>
#include <string.h>

/* Fixed-point seconds: the same double prints the same on every machine, and nanoseconds are finer
 * than anything a platform of the time can tell apart. */
#define TIME_FORMAT "%.9f"
#define MICRO_FORMAT "%.6f"

static gboolean needs_quotes(const char *text)
{
  return strpbrk(text, ",\"\r\n") != NULL;
}

void csv_write_field(FILE *stream, const char *text)
{
  if (!needs_quotes(text)) {
    fputs(text, stream);
    return;
  }
  fputc('"', stream);
  for (const char *p = text; *p; p++) {
    if (*p == '"')
      fputc('"', stream);
    fputc(*p, stream);
  }
  fputc('"', stream);
}

void csv_append_field(GString *row, const char *text)
{
  if (!needs_quotes(text)) {
    g_string_append(row, text);
    return;
  }
  g_string_append_c(row, '"');
  for (const char *p = text; *p; p++) {
    if (*p == '"')
      g_string_append_c(row, '"');
    g_string_append_c(row, *p);
  }
  g_string_append_c(row, '"');
}

/* Rows are written once per session (a million in a large run) and once per exchange with --trace,
 * without fprintf: some library in SimGrid's process registers a printf extension, which sends every
 * printf-family call down glibc's slow positional path (37,500 instructions for a session's row).
 * Integers are written by hand; decimals by strfromd(), which formats exactly as printf does. */
void csv_put_u64(FILE *stream, guint64 value)
{
  char digits[24];
  char *p = digits + sizeof digits;
  *--p = '\0';
  do
    *--p = (char)('0' + value % 10);
  while ((value /= 10) != 0);
  fputs(p, stream);
}

static void put_decimal(FILE *stream, const char *format, double value)
{
  char text[64];
  int length = strfromd(text, sizeof text, format, value);
  if (length >= (int)sizeof text) /* beyond 10^53: never, but stay correct */
    fprintf(stream, format, value);
  else
    fputs(text, stream);
}

void csv_put_time(FILE *stream, double time)
{
  put_decimal(stream, TIME_FORMAT, time);
}

void csv_put_time_or_empty(FILE *stream, double time)
{
  if (time >= 0)
    csv_put_time(stream, time);
}

void csv_put_micro(FILE *stream, double value)
{
  put_decimal(stream, MICRO_FORMAT, value);
}

void csv_put_shortest(FILE *stream, double value)
{
  char text[NUMBER_TEXT_SIZE];
  number_text_shortest(text, sizeof text, value);
  fputs(text, stream);
}
