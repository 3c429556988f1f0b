#include "ftp_protocol.h"

#include <stdio.h>
#include <string.h>

static guint decimal_digits(guint value)
{
  guint digits = 1;
  while (value >= 10) {
    value /= 10;
    digits++;
  }
  return digits;
}

const char *data_failure_name(DataFailure failure)
{
#define DATA_FAILURE_NAME(symbol, name) [symbol] = name,
  static const char *const names[] = {DATA_FAILURE_CHOICES(DATA_FAILURE_NAME)};
#undef DATA_FAILURE_NAME
  g_assert((guint)failure < G_N_ELEMENTS(names));
  return names[failure];
}

guint ftp_port_command_length(guint32 address, guint16 port)
{
  guint length = 5 /* "PORT " */ + 5 /* commas */ + 2 /* CRLF */;
  for (int shift = 24; shift >= 0; shift -= 8)
    length += decimal_digits((address >> shift) & 0xff);
  length += decimal_digits(port >> 8) + decimal_digits(port & 0xff);
  return length;
}

guint ftp_eprt_command_length(guint32 address, guint16 port)
{
  guint length = 5 /* "EPRT " */ + 3 /* "|1|" */ + 3 /* dots */ + 2 /* "|" twice */ + 2 /* CRLF */;
  for (int shift = 24; shift >= 0; shift -= 8)
    length += decimal_digits((address >> shift) & 0xff);
  return length + decimal_digits(port);
}

guint ftp_reply_length(FtpReply reply)
{
  if (reply.code == 0) /* no reply: what stands for a reset or for silence has no text on the wire */
    return 0;
  return 4 /* "NNN " */ + (guint)strlen(reply.text) + 2;
}

static gboolean parse_byte_list(const char *text, guint *values, guint count)
{
  const char *p = text;
  for (guint i = 0; i < count; i++) {
    if (!g_ascii_isdigit(*p))
      return FALSE;
    guint value = 0;
    guint digits = 0;
    while (g_ascii_isdigit(*p)) {
      value = value * 10 + (guint)(*p - '0');
      if (++digits > 3 || value > 255)
        return FALSE;
      p++;
    }
    values[i] = value;
    if (i + 1 < count) {
      if (*p != ',')
        return FALSE;
      p++;
    }
  }
  return *p == '\0';
}

gboolean ftp_parse_port_argument(const char *argument, guint32 *address, guint16 *port)
{
  guint v[6];
  if (argument == NULL || !parse_byte_list(argument, v, 6))
    return FALSE;
  *address = (v[0] << 24) | (v[1] << 16) | (v[2] << 8) | v[3];
  *port = (guint16)(v[4] * 256 + v[5]);
  return TRUE;
}

void ftp_format_port_argument(guint32 address, guint16 port, char *buf, gsize size)
{
  g_snprintf(buf, size, "%u,%u,%u,%u,%u,%u", (address >> 24) & 0xff, (address >> 16) & 0xff, (address >> 8) & 0xff,
             address & 0xff, (guint)(port >> 8), (guint)(port & 0xff));
}

gboolean ftp_parse_ipv4(const char *text, guint32 *address)
{
  if (text == NULL)
    return FALSE;
  /* Reuse the PORT parser on "a.b.c.d" by checking dots instead of commas. */
  char buf[16];
  gsize length = strlen(text);
  if (length == 0 || length >= sizeof buf)
    return FALSE;
  for (gsize i = 0; i <= length; i++)
    buf[i] = text[i] == '.' ? ',' : (text[i] == ',' ? '!' : text[i]);
  guint v[4];
  if (!parse_byte_list(buf, v, 4))
    return FALSE;
  *address = (v[0] << 24) | (v[1] << 16) | (v[2] << 8) | v[3];
  return TRUE;
}

void ftp_format_ipv4(guint32 address, char *buf, gsize size)
{
  g_snprintf(buf, size, "%u.%u.%u.%u", (address >> 24) & 0xff, (address >> 16) & 0xff, (address >> 8) & 0xff,
             address & 0xff);
}
