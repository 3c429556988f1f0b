/* The real-server PORT policies (vsftpd, ProFTPD, pure-ftpd, pyftpdlib): reply codes and texts for
 * ports 20, 21, 1023, 1024, 65535, own and foreign address, PORT and EPRT, and the order of checks.
 * The expected texts are the ones the real Debian 12 servers sent (tests/conformance). */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "server_policy.h"

#define OWN 0x7f000001u     /* 127.0.0.1 */
#define FOREIGN 0x7f000002u /* 127.0.0.2 */

typedef struct {
  guint16 code;
  gchar *text;
} Rendered;

/* Build the policy with the given "KEY=VALUE" knobs (NULL-terminated), check one request, render. */
static Rendered check(const char *policy_name, const char *const *knobs, guint32 address, guint16 port,
                      gboolean extended)
{
  GError *error = NULL;
  const ServerPolicy *policy = server_policy_find(policy_name, &error);
  ck_assert_ptr_nonnull(policy);
  g_autoptr(ParamSet) params = param_set_new();
  for (guint i = 0; knobs != NULL && knobs[i] != NULL; i++)
    ck_assert_msg(param_set_assign_text(params, knobs[i], &error), "%s", knobs[i]);
  PortGate gate;
  ck_assert(port_gate_init(&gate, policy, params, &error));
  const PortRequest request = {.port = port, .address = address, .peer_address = OWN, .extended = extended};
  FtpReply reply = port_gate_check(&gate, &request);
  Rendered rendered = {reply.code, server_policy_render_text(reply, &request)};
  port_gate_clear(&gate);
  return rendered;
}

#define ASSERT_REPLY(policy, knobs, address, port, extended, want_code, want_text)                                     \
  do {                                                                                                                 \
    Rendered r = check(policy, knobs, address, port, extended);                                                        \
    ck_assert_msg(r.code == (want_code), "%s port %u: code %u, want %u", policy, (guint)(port), (guint)r.code,         \
                  (guint)(want_code));                                                                                 \
    ck_assert_str_eq(r.text, want_text);                                                                               \
    g_free(r.text);                                                                                                    \
  } while (0)

static const char *const no_knobs[] = {NULL};

START_TEST(vsftpd_default)
{
  const char *bad = "Illegal PORT command.", *good = "PORT command successful. Consider using PASV.";
  ASSERT_REPLY("vsftpd", no_knobs, OWN, 20, FALSE, 500, bad); /* no port 20 exemption */
  ASSERT_REPLY("vsftpd", no_knobs, OWN, 21, FALSE, 500, bad);
  ASSERT_REPLY("vsftpd", no_knobs, OWN, 1023, FALSE, 500, bad);
  ASSERT_REPLY("vsftpd", no_knobs, OWN, 1024, FALSE, 200, good);
  ASSERT_REPLY("vsftpd", no_knobs, OWN, 65535, FALSE, 200, good);
  ASSERT_REPLY("vsftpd", no_knobs, FOREIGN, 1024, FALSE, 500, bad);
  ASSERT_REPLY("vsftpd", no_knobs, FOREIGN, 1023, FALSE, 500, bad);
  ASSERT_REPLY("vsftpd", no_knobs, OWN, 1023, TRUE, 500, "Illegal EPRT command.");
  ASSERT_REPLY("vsftpd", no_knobs, OWN, 1024, TRUE, 200, "EPRT command successful. Consider using EPSV.");
}
END_TEST

START_TEST(vsftpd_promiscuous)
{
  static const char *const knobs[] = {"server.port_promiscuous=1", NULL};
  ASSERT_REPLY("vsftpd", knobs, OWN, 20, FALSE, 200, "PORT command successful. Consider using PASV.");
  ASSERT_REPLY("vsftpd", knobs, FOREIGN, 1023, FALSE, 200, "PORT command successful. Consider using PASV.");
  ASSERT_REPLY("vsftpd", knobs, FOREIGN, 21, TRUE, 200, "EPRT command successful. Consider using EPSV.");
}
END_TEST

START_TEST(proftpd_default_and_foreign)
{
  static const char *const knobs[] = {"server.allow_foreign_address=1", NULL};
  ASSERT_REPLY("proftpd", no_knobs, OWN, 20, FALSE, 500, "Illegal PORT command");
  ASSERT_REPLY("proftpd", no_knobs, OWN, 1023, FALSE, 500, "Illegal PORT command");
  ASSERT_REPLY("proftpd", no_knobs, OWN, 1024, FALSE, 200, "PORT command successful");
  ASSERT_REPLY("proftpd", no_knobs, OWN, 65535, TRUE, 200, "EPRT command successful");
  ASSERT_REPLY("proftpd", no_knobs, FOREIGN, 65535, FALSE, 500, "Illegal PORT command");
  ASSERT_REPLY("proftpd", no_knobs, FOREIGN, 1024, TRUE, 500, "Illegal EPRT command");
  /* AllowForeignAddress lifts the address check only: the port check has no knob. */
  ASSERT_REPLY("proftpd", knobs, FOREIGN, 1024, FALSE, 200, "PORT command successful");
  ASSERT_REPLY("proftpd", knobs, FOREIGN, 1023, FALSE, 500, "Illegal PORT command");
  ASSERT_REPLY("proftpd", knobs, OWN, 21, FALSE, 500, "Illegal PORT command");
}
END_TEST

START_TEST(pure_ftpd_port_checked_first)
{
  static const char *const fxp[] = {"server.fxp=1", NULL};
  const char *low = "Sorry, but I won't connect to ports < 1024";
  ASSERT_REPLY("pure-ftpd", no_knobs, OWN, 20, FALSE, 501, low);
  ASSERT_REPLY("pure-ftpd", no_knobs, OWN, 1023, TRUE, 501, low);
  /* Foreign and privileged: the port check comes first, so 501, not 500. */
  ASSERT_REPLY("pure-ftpd", no_knobs, FOREIGN, 1023, FALSE, 501, low);
  ASSERT_REPLY("pure-ftpd", no_knobs, FOREIGN, 1024, FALSE, 500,
               "I won't open a connection to 127.0.0.2 (only to 127.0.0.1)");
  ASSERT_REPLY("pure-ftpd", no_knobs, OWN, 1024, FALSE, 200, "PORT command successful");
  ASSERT_REPLY("pure-ftpd", no_knobs, OWN, 65535, TRUE, 200, "PORT command successful"); /* EPRT too */
  ASSERT_REPLY("pure-ftpd", fxp, FOREIGN, 1024, FALSE, 200, "PORT command successful");
  ASSERT_REPLY("pure-ftpd", fxp, FOREIGN, 21, FALSE, 501, low); /* FXP does not lift the port check */
}
END_TEST

START_TEST(pyftpdlib_address_checked_first)
{
  static const char *const privileged[] = {"server.permit_privileged_ports=1", NULL};
  static const char *const foreign[] = {"server.permit_foreign_addresses=1", NULL};
  ASSERT_REPLY("pyftpdlib", no_knobs, OWN, 20, FALSE, 501, "PORT against the privileged port \"20\" refused.");
  ASSERT_REPLY("pyftpdlib", no_knobs, OWN, 1023, TRUE, 501, "PORT against the privileged port \"1023\" refused.");
  /* Foreign and privileged: the address check comes first. */
  ASSERT_REPLY("pyftpdlib", no_knobs, FOREIGN, 1023, FALSE, 501,
               "Rejected data connection to foreign address 127.0.0.2:1023.");
  ASSERT_REPLY("pyftpdlib", no_knobs, OWN, 1024, FALSE, 200, "Active data connection established.");
  ASSERT_REPLY("pyftpdlib", no_knobs, OWN, 65535, FALSE, 200, "Active data connection established.");
  ASSERT_REPLY("pyftpdlib", privileged, OWN, 21, FALSE, 200, "Active data connection established.");
  ASSERT_REPLY("pyftpdlib", privileged, FOREIGN, 21, FALSE, 501,
               "Rejected data connection to foreign address 127.0.0.2:21.");
  ASSERT_REPLY("pyftpdlib", foreign, FOREIGN, 21, TRUE, 501, "PORT against the privileged port \"21\" refused.");
  ASSERT_REPLY("pyftpdlib", foreign, FOREIGN, 1024, TRUE, 200, "Active data connection established.");
}
END_TEST

START_TEST(texts_without_placeholders_render_unchanged)
{
  const PortRequest request = {.port = 1, .address = FOREIGN, .peer_address = OWN};
  g_autofree gchar *text = server_policy_render_text((FtpReply){500, "Illegal PORT command."}, &request);
  ck_assert_str_eq(text, "Illegal PORT command.");
}
END_TEST

static Suite *real_policies_suite(void)
{
  Suite *suite = suite_create("real_policies");
  TCase *tc = tcase_create("policies");
  tcase_add_test(tc, vsftpd_default);
  tcase_add_test(tc, vsftpd_promiscuous);
  tcase_add_test(tc, proftpd_default_and_foreign);
  tcase_add_test(tc, pure_ftpd_port_checked_first);
  tcase_add_test(tc, pyftpdlib_address_checked_first);
  tcase_add_test(tc, texts_without_placeholders_render_unchanged);
  suite_add_tcase(suite, tc);
  return suite;
}

int main(void)
{
  return check_main(real_policies_suite);
}
