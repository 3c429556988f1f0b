/* The FTP vocabulary's texts and lengths (wire.h). */
#include "wire.h"

#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(ftpsim_wire, ftpsim_engine, "FTP commands and replies on the wire");

const char *const ftp_command_names[] = {
    [FTP_CONNECT] = "CONNECT", [FTP_USER] = "USER", [FTP_PASS] = "PASS", [FTP_PORT] = "PORT", [FTP_EPRT] = "EPRT",
    [FTP_PASV] = "PASV",       [FTP_RETR] = "RETR", [FTP_LIST] = "LIST", [FTP_STOR] = "STOR", [FTP_QUIT] = "QUIT",
};

/* CONNECT stands for the TCP handshake's SYN. */
const long ftp_command_bytes[] = {
    [FTP_CONNECT] = 0,
    [FTP_USER] = sizeof("USER anonymous\r\n") - 1,
    [FTP_PASS] = sizeof("PASS guest\r\n") - 1,
    [FTP_PORT] = 0, /* depends on address and port: ftp_port_command_length() */
    [FTP_EPRT] = 0, /* likewise: ftp_eprt_command_length() */
    [FTP_PASV] = sizeof("PASV\r\n") - 1,
    [FTP_RETR] = sizeof("RETR file\r\n") - 1,
    [FTP_LIST] = sizeof("LIST\r\n") - 1,
    [FTP_STOR] = sizeof("STOR file\r\n") - 1,
    [FTP_QUIT] = sizeof("QUIT\r\n") - 1,
};

const FtpReply reply_greeting = {220, "Service ready for new user."};
const FtpReply reply_user = {331, "User name okay, need password."};
const FtpReply reply_pass = {230, "User logged in, proceed."};
/* RFC 959 s4.1.2; the address is a placeholder of typical length, the reply is never parsed here. */
const FtpReply reply_passive = {227, "Entering Passive Mode (192,0,2,20,195,80)."};
const FtpReply reply_opening = {150, "Opening BINARY mode data connection."};
const FtpReply reply_complete = {226, "Transfer complete."};
const FtpReply reply_cannot_open = {425, "Can't open data connection."};
const FtpReply reply_no_data_port = {503, "Bad sequence of commands."};
const FtpReply reply_closing = {421, "Service not available, closing control connection."};
const FtpReply reply_quit = {221, "Goodbye."};
