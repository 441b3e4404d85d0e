// Starts the status and setup page: what main.ts calls with the spool, the services and the settings.

import { createWebContext, type WebPageOptions } from "./context.js";
import { WebServer } from "./server.js";

export type { WebPageOptions } from "./context.js";

/** The page's server; throws when its port cannot be had (main.ts's startService logs it, printing goes on). */
export function startWebPage(options: WebPageOptions): WebServer {
  const server = new WebServer({ io: options.io, port: options.port, context: createWebContext(options), log: options.log });
  options.log(`web page on port ${options.port}`);
  return server;
}
