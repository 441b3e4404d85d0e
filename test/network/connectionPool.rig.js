// What test/network/connectionPool.test.js needs, bundled the way test/xs/bundle.js bundles the scenarios: the
// compiled pool with `timer` mapped to the host's virtual-clock timer, which this rig re-exports so the test can
// point it at its own event loop (one copy of that module in the bundle).
export { ConnectionPool } from "network/connectionPool";
export { useTimers } from "../xs-host/timer.js";
export { createEventLoop } from "../../simulator/io/event-loop.js";
export { createMemoryNetwork } from "../../simulator/io/memory-net.js";
