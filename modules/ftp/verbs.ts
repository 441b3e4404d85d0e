// The verb table: for every FTP command we know, every rule the connection's one gate checks (login, argument,
// during a transfer, after EPSV ALL, a data connection for the verbs that move data), its HELP line and its handler.
// HELP and FEAT are made from it. A verb with no handler is known but not offered here: 502, never a 500.

import * as command from "./commands.js";
import type { Verb } from "./connection.js";
import { ArgumentRule, LoginRule, Transfer } from "./states.js";

const verb = (definition: Verb): Verb => Object.freeze(definition);
const refused = (help: string): Verb => verb({ help });
const { NotNeeded, Required: LoggedIn, ForArgument: LoggedInForArgument } = LoginRule;
const { Required, Forbidden, Optional } = ArgumentRule;
const { Send, Upload } = Transfer;

export const verbs = Object.freeze({
  USER: verb({ login: NotNeeded, argument: Required, help: "USER <name>: any name will do unless credentials are set", run: command.beginLogin }),
  PASS: verb({ login: NotNeeded, argument: Optional, help: "PASS <password>", run: command.finishLogin }),
  ACCT: verb({ login: NotNeeded, argument: Required, help: "ACCT <account>: not needed", run: command.acceptAccount }),
  QUIT: verb({ login: NotNeeded, argument: Forbidden, help: "QUIT: end the session", duringTransfer: true, run: command.quit }),
  REIN: verb({ login: NotNeeded, argument: Forbidden, help: "REIN: log out, keep the connection", run: command.reinitialize }),
  NOOP: verb({ login: NotNeeded, argument: Forbidden, help: "NOOP", duringTransfer: true, run: command.noOperation }),
  SYST: verb({ login: NotNeeded, argument: Forbidden, help: "SYST: system type", duringTransfer: true, run: command.systemType }),
  FEAT: verb({ login: NotNeeded, argument: Forbidden, help: "FEAT: list extensions", duringTransfer: true, run: command.listFeatures }),
  OPTS: verb({ login: NotNeeded, argument: Required, help: "OPTS UTF8 ON", feature: "UTF8", run: command.setOptions }),
  HELP: verb({ login: NotNeeded, argument: Optional, help: "HELP [<verb>]", duringTransfer: true, run: command.help }),
  STAT: verb({ login: LoggedInForArgument, argument: Optional, help: "STAT [<path>]: server, printer and transfer status", duringTransfer: true, run: command.status }),
  ABOR: verb({ login: LoggedIn, argument: Forbidden, help: "ABOR: cancel the transfer (a print job is dropped)", duringTransfer: true, run: command.abort }),
  PWD: verb({ login: LoggedIn, argument: Forbidden, help: "PWD: working directory", duringTransfer: true, run: command.printDirectory }),
  XPWD: verb({ login: LoggedIn, argument: Forbidden, help: "XPWD: same as PWD", duringTransfer: true, run: command.printDirectory }),
  CWD: verb({ login: LoggedIn, argument: Required, help: "CWD <dir>: / or /PORT1", run: command.changeDirectory }),
  XCWD: verb({ login: LoggedIn, argument: Required, help: "XCWD <dir>: same as CWD", run: command.changeDirectory }),
  CDUP: verb({ login: LoggedIn, argument: Forbidden, help: "CDUP: go to /", run: command.changeToParent }),
  XCUP: verb({ login: LoggedIn, argument: Forbidden, help: "XCUP: same as CDUP", run: command.changeToParent }),
  TYPE: verb({ login: LoggedIn, argument: Required, help: "TYPE A | A N | I | L 8", run: command.setType }),
  MODE: verb({ login: LoggedIn, argument: Required, help: "MODE S", run: command.setMode }),
  STRU: verb({ login: LoggedIn, argument: Required, help: "STRU F", run: command.setStructure }),
  ALLO: verb({ login: LoggedIn, argument: Required, help: "ALLO <bytes>: not needed", run: command.allocate }),
  PORT: verb({ login: LoggedIn, argument: Required, refusedAfterEpsvAll: true, help: "PORT h1,h2,h3,h4,p1,p2: active data connection", run: command.activeMode }),
  EPRT: verb({ login: LoggedIn, argument: Required, refusedAfterEpsvAll: true, help: "EPRT |1|address|port|", feature: "EPRT", run: command.extendedActiveMode }),
  PASV: verb({ login: LoggedIn, argument: Forbidden, refusedAfterEpsvAll: true, help: "PASV: passive data connection", run: command.passiveMode }),
  EPSV: verb({ login: LoggedIn, argument: Optional, help: "EPSV [1 | ALL]", feature: "EPSV", run: command.extendedPassiveMode }),
  LIST: verb({ login: LoggedIn, argument: Optional, transfer: Send, help: "LIST [<path>]", run: command.listLong }),
  NLST: verb({ login: LoggedIn, argument: Optional, transfer: Send, help: "NLST [<path>]", run: command.listNames }),
  MLSD: verb({ login: LoggedIn, argument: Optional, transfer: Send, help: "MLSD [<dir>]", run: command.listFacts }),
  MLST: verb({ login: LoggedIn, argument: Optional, help: "MLST [<path>]", feature: "MLST type*;size*;modify*;perm*;", run: command.describePath }),
  RETR: verb({ login: LoggedIn, argument: Required, transfer: Send, help: "RETR status.txt: printer status", run: command.retrieve }),
  STOR: verb({ login: LoggedIn, argument: Required, transfer: Upload, help: "STOR <name>: print it", run: command.storeForPrinting }),
  APPE: verb({ login: LoggedIn, argument: Required, transfer: Upload, help: "APPE <name>: print it", run: command.storeForPrinting }),
  STOU: verb({ login: LoggedIn, argument: Optional, transfer: Upload, help: "STOU: print under a name we choose", run: command.storeUniqueForPrinting }),
  // Known, never offered by a print server (vsftpd and pyftpdlib answer these too); AUTH refused lets lftp go on in clear text.
  AUTH: refused("AUTH: no TLS on this device"),
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
