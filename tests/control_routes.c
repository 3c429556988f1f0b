#include "control_routes.h"

#include <stdlib.h>
#include <string.h>

#include "sim_harness.h"

/* Routes that exercise each term of a message's time: a shared link (cross-traffic on the same link),
 * split-duplex links of different bandwidths (the bottleneck, cross-traffic elsewhere), a long fat link
 * where the TCP window bounds the rate, and different links each way (which way data moves: RETR down,
 * STOR up). */
const char *const control_routes[CONTROL_ROUTE_COUNT] = {
    NULL, /* the built-in KB Q140424 platform: one SHARED 10 Mbit/s segment */
    "    <link id=\"lan\" bandwidth=\"100Mbps\" latency=\"50us\" sharing_policy=\"SPLITDUPLEX\"/>\n"
    "    <link id=\"wan\" bandwidth=\"2Mbps\" latency=\"20ms\" sharing_policy=\"SPLITDUPLEX\"/>\n"
    "    <route src=\"client\" dst=\"server\"><link_ctn id=\"lan\" direction=\"UP\"/>"
    "<link_ctn id=\"wan\" direction=\"UP\"/></route>\n",
    "    <link id=\"sat\" bandwidth=\"1Gbps\" latency=\"300ms\"/>\n"
    "    <route src=\"client\" dst=\"server\"><link_ctn id=\"sat\"/></route>\n",
    "    <link id=\"up\" bandwidth=\"10Mbps\" latency=\"2ms\"/>\n"
    "    <link id=\"down\" bandwidth=\"1Mbps\" latency=\"5ms\"/>\n"
    "    <route src=\"client\" dst=\"server\" symmetrical=\"NO\"><link_ctn id=\"up\"/></route>\n"
    "    <route src=\"server\" dst=\"client\" symmetrical=\"NO\"><link_ctn id=\"down\"/></route>\n",
};

/* Workloads touching every reply path: rejections, transfers, tarpit delays, PASV with STOR. */
const char *const control_workloads[CONTROL_WORKLOAD_COUNT][8] = {
    {"session.commands=40", "client.start_port=1000", NULL},
    {"server.policy=nt351", "session.commands=5", "session.file_size=300000", NULL},
    {"server.reaction=tarpit", "session.commands=6", NULL},
    {"client.reaction=pasv-fallback", "session.mix_stor=1", "session.commands=4", "session.think_time=0.25", NULL},
};

gchar *control_route_platform_file(const char *dir, const char *links)
{
  if (links == NULL)
    return NULL;
  g_autofree gchar *xml =
      g_strdup_printf("<?xml version='1.0'?>\n"
                      "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
                      "<platform version=\"4.1\">\n"
                      "  <zone id=\"z\" routing=\"Full\">\n"
                      "    <host id=\"client\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"client\"/>"
                      "<prop id=\"ftpsim.address\" value=\"192.0.2.10\"/></host>\n"
                      "    <host id=\"server\" speed=\"1Gf\"><prop id=\"ftpsim.role\" value=\"server\"/>"
                      "<prop id=\"ftpsim.address\" value=\"192.0.2.20\"/></host>\n"
                      "%s"
                      "  </zone>\n"
                      "</platform>\n",
                      links);
  return harness_write_file(dir, "platform.xml", xml);
}

static int compare_lines(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

gchar *control_sorted_rows(const char *dir, const char *name, gboolean drop_first_column)
{
  g_autofree gchar *text = harness_read_text(dir, name);
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (guint i = 0; drop_first_column && lines[i] != NULL; i++) {
    const char *comma = strchr(lines[i], ',');
    if (comma != NULL)
      memmove(lines[i], comma, strlen(comma) + 1);
  }
  qsort(lines, g_strv_length(lines), sizeof *lines, compare_lines);
  return g_strjoinv("\n", lines);
}
