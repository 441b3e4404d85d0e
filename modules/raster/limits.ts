// The raster converter's bounds, in one place: what a page may claim before it is refused, and the sizes of the
// buffers a job makes. A header that passes these cannot make the converter allocate more than about
// 2.6 × the widest line plus the output buffer.

/** Widest page accepted, in pixels: 16.6 inches at 600 dpi, 8.3 inches at 1200. Wider is refused as absurd. */
export const maxPageWidth = 10_000;
/** Tallest page accepted, in lines: 16.6 inches at 1200 dpi. */
export const maxPageHeight = 20_000;
/** The PWG page header's size (PWG 5102.4 §4.2, CUPS's cups_page_header2_t). */
export const pwgHeaderBytes = 1796;
/** The URF file header (8-byte "UNIRAST\0" and a 32-bit page count) and page header. */
export const urfFileHeaderBytes = 12;
export const urfHeaderBytes = 32;
/** Printer bytes the converter holds until the caller takes them: at least two rows of the widest page. */
export const defaultOutputBytes = 4096;
/** Rows made per feed() at most, so that no call holds the engine for more than a few rows' work. */
export const defaultRowsPerFeed = 16;
