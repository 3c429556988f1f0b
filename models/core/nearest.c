#include "nearest.h"

#include <string.h>

/* Optimal string alignment distance (Damerau-Levenshtein without moves across edits): three rows. Names are
 * short; longer words are cut at 64 bytes, still enough to tell names apart. */
#define NEAREST_MAX_LENGTH 64

guint nearest_distance(const char *a, const char *b)
{
  gsize n = MIN(strlen(a), NEAREST_MAX_LENGTH), m = MIN(strlen(b), NEAREST_MAX_LENGTH);
  guint rows[3][NEAREST_MAX_LENGTH + 1];
  guint *before = rows[0], *previous = rows[1], *current = rows[2];
  for (gsize j = 0; j <= m; j++)
    previous[j] = (guint)j;
  for (gsize i = 1; i <= n; i++) {
    current[0] = (guint)i;
    for (gsize j = 1; j <= m; j++) {
      guint cost = g_ascii_tolower(a[i - 1]) == g_ascii_tolower(b[j - 1]) ? 0 : 1;
      guint best = MIN(previous[j] + 1, current[j - 1] + 1);
      best = MIN(best, previous[j - 1] + cost);
      if (i > 1 && j > 1 && g_ascii_tolower(a[i - 1]) == g_ascii_tolower(b[j - 2]) &&
          g_ascii_tolower(a[i - 2]) == g_ascii_tolower(b[j - 1]))
        best = MIN(best, before[j - 2] + 1);
      current[j] = best;
    }
    guint *free_row = before;
    before = previous;
    previous = current;
    current = free_row;
  }
  return previous[m];
}

/* A word that names a key's last part ("start_port") or begins a name ("client.start") is one edit away. */
#define NEAREST_MIN_PREFIX 4

static guint distance_to_name(const char *word, const char *name)
{
  const char *last_part = strrchr(name, '.');
  if (last_part != NULL && strchr(word, '.') == NULL && g_ascii_strcasecmp(word, last_part + 1) == 0)
    return 1;
  gsize length = strlen(word);
  if (length >= NEAREST_MIN_PREFIX && length < strlen(name) && g_ascii_strncasecmp(word, name, length) == 0)
    return 1;
  return nearest_distance(word, name);
}

gchar *nearest_hint(const char *word, const char *const *names, gint count)
{
  guint limit = MAX(2, (guint)strlen(word) / 3);
  guint best = G_MAXUINT;
  const char *found[2] = {NULL, NULL};
  gboolean more = FALSE; /* a third name as near: a guess among many helps less than the list that follows */
  for (gint i = 0; count < 0 ? names[i] != NULL : i < count; i++) {
    guint distance = distance_to_name(word, names[i]);
    if (distance > limit || distance > best)
      continue;
    if (distance < best) {
      best = distance;
      found[0] = names[i];
      found[1] = NULL;
      more = FALSE;
    } else if (found[1] == NULL)
      found[1] = names[i];
    else
      more = TRUE;
  }
  if (found[0] == NULL || more)
    return NULL;
  if (found[1] == NULL)
    return g_strdup_printf("did you mean '%s'?", found[0]);
  return g_strdup_printf("did you mean '%s' or '%s'?", found[0], found[1]);
}
