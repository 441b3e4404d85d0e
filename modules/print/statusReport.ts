// The read-only status file (/status.txt): printer state, the job printing now, the queue, counters and the last
// jobs. Built on demand as text for RETR, LIST sizes and STAT; never on the data path.

import { jobOutcomeWords } from "./job.js";
import { printerStateNames } from "./port.js";
import type { Spool } from "./spool.js";

const nameChars = 48;

export function statusReport(spool: Spool, deviceName: string): string {
  const lines: string[] = [];
  lines.push(`${deviceName} print server`);
  lines.push(`printer: ${printerStateNames[spool.printerState]} (${spool.port.description})`);
  const job = spool.current;
  lines.push(job
    ? `printing: job ${job.id} "${shortName(job.name)}", ${job.bytesReceived} bytes received, ${job.bytesPrinted} printed`
    : "printing: nothing");
  lines.push(`waiting: ${Math.max(0, spool.queueLength - 1)} jobs`);
  lines.push(`jobs printed: ${spool.jobsPrinted}, aborted: ${spool.jobsAborted}, cut short: ${spool.jobsClientLost}`);
  lines.push(`bytes printed: ${spool.bytesPrinted}`);
  const history = spool.history();
  if (history.length) {
    lines.push("recent jobs:");
    for (const record of history)
      lines.push(`  job ${record.id} ${jobOutcomeWords[record.outcome]?.name}: ${record.bytesReceived} bytes received, ${record.bytesPrinted} printed, "${shortName(record.name)}"`);
  }
  return lines.join("\n") + "\n";
}

function shortName(name: string): string {
  return name.length > nameChars ? name.slice(0, nameChars - 3) + "..." : name;
}
