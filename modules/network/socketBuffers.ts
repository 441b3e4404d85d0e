// What socket code does with its fixed buffers, written once: read (or write) through the head of a buffer made at
// start, and read-and-drop input nobody wants. Pure: sockets are seen only through read(view).

/** The one socket call these make: fill `into` completely (the SDK's read(view), see network/io TcpSocket.read). */
export interface ViewReader {
  read(into: Uint8Array): number | undefined;
}

/**
 * The first `count` bytes of `buffer`, for a read or write of exactly that many: the buffer itself when it is all
 * wanted, so only a short tail (the end of a line, a file or a reply) makes a view.
 */
export function headView(buffer: Uint8Array, count: number): Uint8Array {
  return count === buffer.length ? buffer : new Uint8Array(buffer.buffer, buffer.byteOffset, count);
}

/**
 * Reads `count` buffered bytes from `socket` through `scratch` and drops them. Unread input turns close() into an
 * RST on lwIP, which throws away what we wrote last; and a peer that closed its side hears onError only once every
 * byte was read ($(MODDABLE)/modules/io/socket/lwip/tcp.c, tcpDeliver; lin/tcp.c, xs_tcp_read).
 */
export function readAndDrop(socket: ViewReader, count: number, scratch: Uint8Array): void {
  while (count > 0) {
    const piece = count < scratch.length ? count : scratch.length;
    socket.read(headView(scratch, piece));
    count -= piece;
  }
}
