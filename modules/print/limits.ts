// The sizes of the print ring every way of printing shares (FTP, raw 9100, LPD, IPP), so its memory can be read
// off one page. Constants only: the ring is made once at start (main.ts, print/spool) and never per chunk.

/** The print ring between the data sockets and the printer: chunkCount chunks of chunkBytes, made once. */
export const chunkBytes = 1024;
export const chunkCount = 4;
