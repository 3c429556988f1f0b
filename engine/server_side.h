/* The server's side of a session: its answer to each command, by its PORT policy and its reaction to
 * rejections. In the shared control model a server actor per session runs it and moves a transfer's bytes
 * itself; in the uncongested one the client's driver calls it when a command arrives (control.h). */
#ifndef FTPSIM_SERVER_SIDE_H
#define FTPSIM_SERVER_SIDE_H

#include "session.h"

G_BEGIN_DECLS

/* The server's answer to one command. FALSE when it closes the connection afterwards. */
gboolean server_handle(Session *session, const FtpCommand *command);
/* A transfer's bytes have moved: the server closes the data connection (TIME_WAIT) and says 226. */
void server_close_transfer(Session *session);
/* network.control=shared: the server's side of a session, on the server host; started at connect, as
 * real FTP servers fork a process per connection (and one shared server mailbox costs O(N^2) in SimGrid). */
void server_session_actor(int argc, char *argv[]);

G_END_DECLS

#endif
