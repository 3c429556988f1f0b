#define _GNU_SOURCE /* strfromd, C2x in glibc 2.25+ */
#include "number_text.h"

#include <stdlib.h>

/* strfromd and strtod follow LC_NUMERIC; ftpsim never sets a locale, so both use '.'. A test checks the
 * text against the C locale's. Three formats at most: %.15g is exact for most values a person typed. */
int number_text_shortest(char *text, size_t size, double value)
{
  static const char *const formats[] = {"%.15g", "%.16g"};
  for (size_t i = 0; i < G_N_ELEMENTS(formats); i++) {
    int length = strfromd(text, size, formats[i], value);
    if (strtod(text, NULL) == value)
      return length;
  }
  return strfromd(text, size, "%.17g", value);
}
