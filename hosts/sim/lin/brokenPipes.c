/*
 * ftprint on the SDK's Linux simulator (mcsim): writes to a peer that has reset must not end the process.
 *
 * $(MODDABLE)/modules/io/socket/lin/tcp.c, xs_tcp_write(), calls write() on the socket; it sets SO_NOSIGPIPE only
 * where that exists (macOS) and passes no MSG_NOSIGNAL, so on Linux a write to a reset peer raises SIGPIPE, whose
 * default action ends mcsim (a browser that aborts a page load did it). Ignored, the write fails with EPIPE
 * instead, which tcp.c reports ("write failed") and the firmware treats as a dead connection.
 */

#include "xsmc.h"
#include <signal.h>

void xs_ftprint_ignore_broken_pipes(xsMachine *the)
{
	signal(SIGPIPE, SIG_IGN);
}
