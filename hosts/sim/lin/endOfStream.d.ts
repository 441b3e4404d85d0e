// ftprint/endOfStream (manifest, lin only): endOfStream.js, over a host function in endOfStream.c.
import type { TcpClass } from "network/io";
declare function withEndOfStream(TCP: TcpClass): TcpClass;
export default withEndOfStream;
