/* Port lists (port_ranges.h): parsing, the canonical text, membership. */
#include "port_ranges.h"

#include <string.h>


static gboolean parse_port(const char *text, const char *end, guint16 *port)
{
  if (text == end || end - text > 5)
    return FALSE;
  guint value = 0;
  for (const char *p = text; p < end; p++) {
    if (!g_ascii_isdigit(*p))
      return FALSE;
    value = value * 10 + (guint)(*p - '0');
  }
  if (value < 1 || value > 65535)
    return FALSE;
  *port = (guint16)value;
  return TRUE;
}

const char *port_ranges_parse(const char *value, PortRanges *ranges)
{
  ranges->count = 0;
  if (strcmp(value, "none") == 0)
    return NULL;
  const char *item = value;
  for (;;) {
    const char *comma = strchr(item, ',');
    const char *end = comma != NULL ? comma : item + strlen(item);
    if (item == end)
      return "has an empty item";
    if (ranges->count == PORT_RANGES_MAX)
      return "has too many items";
    const char *dash = memchr(item, '-', (gsize)(end - item));
    guint16 low, high;
    if (dash == NULL) {
      if (!parse_port(item, end, &low))
        return "has an item that is not a port 1..65535";
      high = low;
    } else {
      if (!parse_port(item, dash, &low) || !parse_port(dash + 1, end, &high))
        return "has a range whose ends are not ports 1..65535";
      if (low > high)
        return "has a range whose low end is above its high end";
    }
    ranges->ranges[ranges->count].low = low;
    ranges->ranges[ranges->count].high = high;
    ranges->count++;
    if (comma == NULL)
      return NULL;
    item = comma + 1;
  }
}

const char *port_ranges_validate(const char *value, gchar **canonical)
{
  PortRanges ranges;
  const char *problem = port_ranges_parse(value, &ranges);
  if (problem != NULL)
    return problem;
  GString *text = g_string_new(ranges.count == 0 ? "none" : NULL);
  for (guint i = 0; i < ranges.count; i++) {
    g_string_append_printf(text, "%s%u", i ? "," : "", (guint)ranges.ranges[i].low);
    if (ranges.ranges[i].high != ranges.ranges[i].low)
      g_string_append_printf(text, "-%u", (guint)ranges.ranges[i].high);
  }
  *canonical = g_string_free(text, FALSE);
  return NULL;
}

gboolean port_ranges_contain(const PortRanges *ranges, guint16 port)
{
  for (guint i = 0; i < ranges->count; i++)
    if (port >= ranges->ranges[i].low && port <= ranges->ranges[i].high)
      return TRUE;
  return FALSE;
}
