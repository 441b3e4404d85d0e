// What SDK 8.2.3's embedded:io/serial does on ESP32 (modules/io/serial/esp32/serial.c), where @moddable/typings
// 5.6.0 says otherwise: fixed 8N1, no flow-control options, write() throws "output full" past the free TX FIFO
// space and returns nothing, onWritable(count) gives the free FIFO bytes. Exported contract types only.
declare module "embedded:io/serial" {
  export interface SerialOptions {
    /** UART number; 0 is taken by the console ("port in use"), use 1 or 2. */
    port?: number;
    transmit?: number;
    receive?: number;
    baud: number;
    /** Bytes waiting in the RX FIFO. */
    onReadable?: (this: SerialPort, count: number) => void;
    /** Free TX FIFO bytes: once after construction, then each time the FIFO drains below 10 bytes. */
    onWritable?: (this: SerialPort, count: number) => void;
    format?: "buffer" | "number";
    target?: unknown;
  }

  export interface SerialPort {
    /** All bytes in the RX FIFO, or undefined when it is empty. */
    read(): ArrayBuffer | undefined;
    /** Fills `into` with up to its length from the RX FIFO (clamped on ESP32) and returns the count. */
    read(into: Uint8Array): number | undefined;
    /** Throws "output full" (writing nothing) when `data` exceeds the free TX FIFO space. */
    write(data: ArrayBuffer | Uint8Array): void;
    close(): void;
  }

  export interface SerialClass {
    new (options: SerialOptions): SerialPort;
  }
}
