// Starts the status and setup page: what main.ts calls with the spool, the services and the settings.

import { createWebContext, type WebPageOptions } from "./context.js";
import { WebServer } from "./server.js";

export type { WebPageOptions } from "./context.js";

/** The page's server, or undefined when its port cannot be had: printing goes on without the page. */
export function startWebPage(options: WebPageOptions): WebServer | undefined {
  try {
    const server = new WebServer({ io: options.io, port: options.port, context: createWebContext(options), log: options.log });
    options.log(`web page on port ${options.port}`);
    return server;
  } catch (error) {
    // The listener throws "bind socket failed" (lin), "socket bind" or RangeError "no memory" (ESP32): the two
    // xs_listener_constructor()s in $(MODDABLE)/modules/io/socket/lin/tcp.c and lwip/tcp.c.
    options.log(`web page could not start on port ${options.port}: ${String(error)}`);
    return undefined;
  }
}
