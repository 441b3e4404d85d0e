/*
 * ftprint on the SDK's Linux simulator (mcsim): a peer's close that came while bytes were still unread must still
 * reach the firmware as onError.
 *
 * $(MODDABLE)/modules/io/socket/lin/tcp.c: when tcpTask()'s read() returns 0 (the peer's FIN) while bytesReadable
 * is not 0, it only sets tcp->error; xs_tcp_read() then triggers kTCPError once those bytes are read, but only
 * tcpTask() reports triggers, and it returns at once when tcp->error is set. So the close is never reported, and an
 * upload whose last bytes were read late (a job queued behind another, a short read) never ends: no 226, no LPD
 * acknowledgement. endOfStream.js asks this function, after the firmware has read every byte it was told of,
 * whether the kernel holds the peer's FIN.
 */

#include "xsmc.h"
#include <sys/socket.h>

void xs_ftprint_peer_ended(xsMachine *the)
{
	int *descriptor = xsmcGetHostData(xsArg(0));    // tcp.c's TCPRecord begins with its socket's descriptor; NULL once closed
	char byte;

	xsmcSetBoolean(xsResult, descriptor && (*descriptor > 0) && (0 == recv(*descriptor, &byte, 1, MSG_PEEK | MSG_DONTWAIT)));
}
