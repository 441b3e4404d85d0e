// embedded:network/http/server for the Node simulator (npm start): the SDK HTTP server's emulation
// (simulator/httpServerCore.js, where its behaviour is written down) on Node's `timer`. Node only.

import Timer from "./timer.js";
import { makeHttpServer } from "./httpServerCore.js";

export default makeHttpServer(Timer);
