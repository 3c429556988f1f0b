/* Server reaction none: what every real server does by default */
#include "server_reaction.h"

static ServerVerdict none_on_rejection(gpointer state, guint32 address, guint64 rejections, double now)
{
  (void)state;
  (void)address;
  (void)rejections;
  (void)now;
  return (ServerVerdict){SERVER_KEEP, 0};
}

const ServerReaction server_reaction_none = {
    .name = "none",
    .summary = "keeps answering (vsftpd, ProFTPD, pure-ftpd, pyftpdlib all do by default)",
    .source = "tested against the real servers with 500 rejected PORTs in one session (ftp-facts.md)",
    .on_rejection = none_on_rejection,
};
