/* The FTP control connection as the engine plays it: the commands a client sends and their names,
 * the fixed replies a server sends, and the wire length of each fixed command, which is what a message
 * costs on its route. PORT and EPRT lengths depend on the address and port (ftp_protocol.h). */
#ifndef FTPSIM_WIRE_H
#define FTPSIM_WIRE_H

#include <glib.h>

#include "ftp_protocol.h"

G_BEGIN_DECLS

typedef enum {
  FTP_CONNECT,
  FTP_USER,
  FTP_PASS,
  FTP_PORT,
  FTP_EPRT,
  FTP_PASV,
  FTP_RETR,
  FTP_LIST,
  FTP_STOR,
  FTP_QUIT,
} FtpCommandType;

typedef struct FtpCommand {
  FtpCommandType type;
  guint16 port;
  guint64 bytes; /* STOR: what the client will send */
} FtpCommand;

/* Indexed by FtpCommandType: the name a trace shows, and the bytes on the wire, CRLF included. */
extern const char *const ftp_command_names[];
extern const long ftp_command_bytes[];

extern const FtpReply reply_greeting;
extern const FtpReply reply_user;
extern const FtpReply reply_pass;
extern const FtpReply reply_passive;
extern const FtpReply reply_opening;
extern const FtpReply reply_complete;
extern const FtpReply reply_cannot_open;
extern const FtpReply reply_no_data_port;
extern const FtpReply reply_closing;
extern const FtpReply reply_quit;

G_END_DECLS

#endif
