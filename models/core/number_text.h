/* Decimal text of a double that reads back as the same double, in the fewest digits: 0.025, not
 * 0.025000000000000001. For parameter values and every float a CSV or listing shows. */
#ifndef FTPSIM_NUMBER_TEXT_H
#define FTPSIM_NUMBER_TEXT_H

#include <stddef.h>

#include <glib.h>

G_BEGIN_DECLS

/* Enough for any finite double in %.17g: sign, 17 digits, point, exponent, NUL. */
#define NUMBER_TEXT_SIZE 32

/* Writes into text (size >= NUMBER_TEXT_SIZE) the shortest of "%.15g", "%.16g" and "%.17g" of value that
 * strtod reads back equal (%.17g always does), with a '.' whatever the locale. Returns its length. No
 * allocation; a finite value only. */
int number_text_shortest(char *text, size_t size, double value);

G_END_DECLS

#endif
