// RFC 2577 and vsftpd-style defences and slot protection (test/hardening/attacks.js), on the in-memory host with
// virtual time: each scenario ends with every slot free and no socket, listener or timer left.
import { test, after } from "node:test";
import { loadHardening } from "./load.js";

const { attacks, tally, runScenario } = await loadHardening("attacks");

for (const scenario of attacks) test(scenario.name, () => runScenario(scenario));

after(() => console.log(`attacks tried: ${tally.tried}, refused: ${tally.refused}`));
