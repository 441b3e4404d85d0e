// embedded:network/http/server for the scenario host: the SDK HTTP server's emulation (simulator/httpServerCore.js)
// on the scenario's virtual-clock `timer`, over the in-memory network. Engine-neutral.

import Timer from "./timer.js";
import { makeHttpServer } from "../../simulator/httpServerCore.js";

export default makeHttpServer(Timer);
