// The verb table: for every FTP command we know, whether it needs a login, its argument rule, whether it may
// come during a transfer, its HELP line, and its handler. The session's one gate reads it; HELP and FEAT are
// made from it. A verb with no handler is known but not offered here: 502, never the 500 of an unknown verb.

import * as command from "./commands.js";
import type { Session } from "./session.js";

export type ArgumentRule = "required" | "forbidden" | "optional";

export interface Verb {
  readonly login: boolean;
  readonly argument: ArgumentRule;
  readonly help: string;
  /** May be run while a transfer is under way (RFC 959 §4.1.3 names ABOR, STAT and QUIT). */
  readonly duringTransfer?: boolean;
  /** The FEAT line this verb adds (RFC 2389). */
  readonly feature?: string;
  readonly run?: (session: Session, argument: string) => void;
}

const verb = (definition: Verb): Verb => Object.freeze(definition);
const refused = (help: string): Verb => verb({ login: true, argument: "optional", help });

export const verbs = Object.freeze({
  USER: verb({ login: false, argument: "required", help: "USER <name>: any name will do unless credentials are set", run: command.beginLogin }),
  PASS: verb({ login: false, argument: "optional", help: "PASS <password>", run: command.finishLogin }),
  ACCT: verb({ login: false, argument: "required", help: "ACCT <account>: not needed", run: command.acceptAccount }),
  QUIT: verb({ login: false, argument: "forbidden", help: "QUIT: end the session", duringTransfer: true, run: command.quit }),
  REIN: verb({ login: false, argument: "forbidden", help: "REIN: log out, keep the connection", run: command.reinitialize }),
  NOOP: verb({ login: false, argument: "forbidden", help: "NOOP", duringTransfer: true, run: command.noOperation }),
  SYST: verb({ login: false, argument: "forbidden", help: "SYST: system type", duringTransfer: true, run: command.systemType }),
  FEAT: verb({ login: false, argument: "forbidden", help: "FEAT: list extensions", duringTransfer: true, run: command.listFeatures }),
  OPTS: verb({ login: false, argument: "required", help: "OPTS UTF8 ON", feature: "UTF8", run: command.setOptions }),
  HELP: verb({ login: false, argument: "optional", help: "HELP [<verb>]", duringTransfer: true, run: command.help }),
  STAT: verb({ login: false, argument: "optional", help: "STAT [<path>]: server, printer and transfer status", duringTransfer: true, run: command.status }),
  ABOR: verb({ login: true, argument: "forbidden", help: "ABOR: cancel the transfer (a print job is dropped)", duringTransfer: true, run: command.abort }),
  PWD: verb({ login: true, argument: "forbidden", help: "PWD: working directory", duringTransfer: true, run: command.printDirectory }),
  XPWD: verb({ login: true, argument: "forbidden", help: "XPWD: same as PWD", duringTransfer: true, run: command.printDirectory }),
  CWD: verb({ login: true, argument: "required", help: "CWD <dir>: / or /PORT1", run: command.changeDirectory }),
  XCWD: verb({ login: true, argument: "required", help: "XCWD <dir>: same as CWD", run: command.changeDirectory }),
  CDUP: verb({ login: true, argument: "forbidden", help: "CDUP: go to /", run: command.changeToParent }),
  XCUP: verb({ login: true, argument: "forbidden", help: "XCUP: same as CDUP", run: command.changeToParent }),
  TYPE: verb({ login: true, argument: "required", help: "TYPE A | A N | I | L 8", run: command.setType }),
  MODE: verb({ login: true, argument: "required", help: "MODE S", run: command.setMode }),
  STRU: verb({ login: true, argument: "required", help: "STRU F", run: command.setStructure }),
  ALLO: verb({ login: true, argument: "required", help: "ALLO <bytes>: not needed", run: command.allocate }),
  PORT: verb({ login: true, argument: "required", help: "PORT h1,h2,h3,h4,p1,p2: active data connection", run: command.activeMode }),
  EPRT: verb({ login: true, argument: "required", help: "EPRT |1|address|port|", feature: "EPRT", run: command.extendedActiveMode }),
  PASV: verb({ login: true, argument: "forbidden", help: "PASV: passive data connection", run: command.passiveMode }),
  EPSV: verb({ login: true, argument: "optional", help: "EPSV [1 | ALL]", feature: "EPSV", run: command.extendedPassiveMode }),
  LIST: verb({ login: true, argument: "optional", help: "LIST [<path>]", run: command.listLong }),
  NLST: verb({ login: true, argument: "optional", help: "NLST [<path>]", run: command.listNames }),
  MLSD: verb({ login: true, argument: "optional", help: "MLSD [<dir>]", run: command.listFacts }),
  MLST: verb({ login: true, argument: "optional", help: "MLST [<path>]", feature: "MLST type*;size*;modify*;perm*;", run: command.describePath }),
  RETR: verb({ login: true, argument: "required", help: "RETR status.txt: printer status", run: command.retrieve }),
  STOR: verb({ login: true, argument: "required", help: "STOR <name>: print it", run: command.storeForPrinting }),
  APPE: verb({ login: true, argument: "required", help: "APPE <name>: print it", run: command.storeForPrinting }),
  STOU: verb({ login: true, argument: "optional", help: "STOU: print under a name we choose", run: command.storeUniqueForPrinting }),
  // Known, never offered by a print server (vsftpd and pyftpdlib answer these too); AUTH refused lets lftp go on in clear text.
  AUTH: verb({ login: false, argument: "optional", help: "AUTH: no TLS on this device" }),
  PBSZ: refused("PBSZ: no TLS"),
  PROT: refused("PROT: no TLS"),
  CCC: refused("CCC: no TLS"),
  DELE: refused("DELE: nothing to delete"),
  RMD: refused("RMD: no directories to remove"),
  XRMD: refused("XRMD: same as RMD"),
  MKD: refused("MKD: no directories to make"),
  XMKD: refused("XMKD: same as MKD"),
  RNFR: refused("RNFR: nothing to rename"),
  RNTO: refused("RNTO: nothing to rename"),
  SIZE: refused("SIZE: not offered"),
  MDTM: refused("MDTM: not offered"),
  MFMT: refused("MFMT: not offered"),
  REST: refused("REST: jobs cannot be resumed"),
  SMNT: refused("SMNT: no file systems to mount"),
  SITE: refused("SITE: no site commands"),
  LANG: refused("LANG: English only"),
} satisfies Record<string, Verb>);

export type VerbName = keyof typeof verbs;
