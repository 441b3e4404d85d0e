// The verb handlers. By the time one runs, the gate (session.ts) has checked the verb, its argument rule, the login
// and the transfer state, so each does its own verb only and answers through session.reply. No IO of their own:
// data connections go through session.data.

import { extendedPassiveReplyText, isAllowedActiveTarget, parseEprtArgument, parsePortArgument, passiveReplyText, EprtFamily, isIPv4, type HostPort } from "./addresses.js";
import { ListingStyle, facts, listing } from "./listing.js";
import { PathKind, baseName, canonicalDirectory, classify, resolvePath, statusFileName } from "./paths.js";
import { Reply } from "./replies.js";
import type { Session } from "./session.js";
import { LoginState, Transfer } from "./states.js";
import { verbs } from "./verbs.js";
import { JobState } from "print/job";
import { printerStateNames } from "print/port";
import { statusReport } from "print/statusReport";

// ---- login ----

export function beginLogin(session: Session, name: string): void {
  if (session.transfer !== Transfer.None) session.abortTransfer();
  session.login = LoginState.AwaitingPassword;
  session.user = name;
  session.reply(Reply.NeedPassword, `Password for ${name.slice(0, 32)}, please.`);
}

export function finishLogin(session: Session, password: string): void {
  if (session.login !== LoginState.AwaitingPassword)
    return session.reply(Reply.BadSequence, session.login === LoginState.LoggedIn ? "Already logged in." : "Send USER first.");
  const wanted = session.context.credentials;
  // A password set with no user name means: any name, that password.
  if (wanted && ((wanted.user !== "" && session.user !== wanted.user) || password !== wanted.password)) {
    session.login = LoginState.AwaitingUser;
    session.context.log(`session ${session.number} login refused for "${session.user.slice(0, 32)}"`);
    // SECURITY: answered late (vsftpd, pyftpdlib) so that guessing passwords is slow.
    return session.answerLoginFailureLater("Login incorrect.");
  }
  session.login = LoginState.LoggedIn;
  if (wanted) session.context.loginSucceeded(session.peerAddress);
  session.context.log(`session ${session.number} logged in as "${session.user.slice(0, 32)}"`);
  session.reply(Reply.LoggedIn, "Logged in; upload files to print them.");
}

export function acceptAccount(session: Session): void {
  session.reply(Reply.CommandSuperfluous, "No account needed.");
}

export function quit(session: Session): void {
  if (session.transfer !== Transfer.None) {
    session.quitAfterTransfer = true;              // RFC 959 §4.1.1: answer the transfer first, then close
    return;
  }
  session.reply(Reply.Goodbye, "Goodbye.");
  session.closeAfterReplies();
}

export function reinitialize(session: Session): void {
  session.reinitialize();
  session.reply(Reply.ServiceReady, "Ready for a new user.");
}

// ---- information ----

export function noOperation(session: Session): void {
  session.reply(Reply.Okay, "NOOP okay.");
}

export function systemType(session: Session): void {
  session.reply(Reply.SystemType, "UNIX Type: L8");
}

export function listFeatures(session: Session): void {
  const lines: string[] = [];
  for (const name of Object.keys(verbs)) {
    const feature = verbs[name as keyof typeof verbs].feature;
    if (feature) lines.push(feature);
  }
  session.replyLines(Reply.SystemStatus, "Features:", lines, "End.");
}

export function setOptions(session: Session, argument: string): void {
  const words = argument.trim().toUpperCase().split(/ +/);
  if (words[0] === "UTF8" && (words.length === 1 || words[1] === "ON" || words[1] === "OFF"))
    return session.reply(Reply.Okay, "UTF8 mode is always on.");
  if (words[0] === "MLST") return session.reply(Reply.Okay, "MLST OPTS type;size;modify;perm;");
  session.reply(Reply.BadArguments, "Option not understood.");
}

export function help(session: Session, argument: string): void {
  const name = argument.trim().toUpperCase();
  if (name) {
    if (!Object.hasOwn(verbs, name)) return session.reply(Reply.BadArguments, `Unknown command ${name.slice(0, 16)}.`);
    return session.reply(Reply.Help, verbs[name as keyof typeof verbs].help);
  }
  const names = Object.keys(verbs).filter((verb) => verbs[verb as keyof typeof verbs].run);
  const rows: string[] = [];
  for (let i = 0; i < names.length; i += 8) rows.push(names.slice(i, i + 8).map((verb) => verb.padEnd(5)).join(" "));
  session.replyLines(Reply.Help, "Commands understood (HELP <verb> for more):", rows, "Upload a file to /PORT1 to print it.");
}

export function status(session: Session, argument: string): void {
  if (argument.trim()) {
    if (session.login !== LoginState.LoggedIn) return session.reply(Reply.NotLoggedIn, "Please log in with USER and PASS.");
    const kind = classify(resolvePath(session.workingDirectory, pathOperand(argument)));
    if (kind === PathKind.Missing || kind === PathKind.PrintTarget) return session.reply(Reply.FileUnavailable, "No such file or directory.");
    const lines = listingOf(session, kind, ListingStyle.Long).split("\r\n").filter((line) => line);
    return session.replyLines(Reply.FileStatus, "Status follows:", lines, "End of status.");
  }
  const { spool, deviceName } = session.context;
  const lines = [`Connected from ${session.peerAddress}`];
  lines.push(session.login === LoginState.LoggedIn ? `Logged in as ${session.user.slice(0, 32)}` : "Not logged in");
  lines.push(`TYPE: ${session.asciiType ? "ASCII" : "BINARY"}; STRUcture: File; MODE: Stream`);
  lines.push(`Printer: ${printerStateNames[spool.printerState]} (${spool.port.description})`);
  const current = spool.current;
  if (current) lines.push(`Printing job ${current.id}: ${current.bytesReceived} bytes received, ${current.bytesPrinted} printed`);
  const job = session.job;
  if (job.state === JobState.Waiting) {
    const ahead = spool.positionOf(job);
    lines.push(`Your job ${job.id} is waiting: ${ahead} job${ahead === 1 ? "" : "s"} ahead of it in the queue`);
  } else if (job.state !== JobState.Idle) {
    lines.push(`Your job ${job.id} is printing: ${job.bytesReceived} bytes received, ${job.bytesPrinted} printed`);
  }
  lines.push(`Jobs printed: ${spool.jobsPrinted}; bytes printed: ${spool.bytesPrinted}`);
  session.replyLines(Reply.SystemStatus, `${deviceName} FTP print server status:`, lines, "End of status.");
}

// ---- the virtual tree ----

export function printDirectory(session: Session): void {
  session.reply(Reply.PathCreated, `"${session.workingDirectory}" is the current directory.`);
}

export function changeDirectory(session: Session, argument: string): void {
  const kind = classify(resolvePath(session.workingDirectory, argument));
  if (kind !== PathKind.RootDirectory && kind !== PathKind.PrinterDirectory)
    return session.reply(Reply.FileUnavailable, "No such directory; there are / and /PORT1.");
  session.workingDirectory = canonicalDirectory(kind);
  session.reply(Reply.FileActionOkay, `Directory is now ${session.workingDirectory}.`);
}

export function changeToParent(session: Session): void {
  session.workingDirectory = "/";
  session.reply(Reply.Okay, "Directory is now /.");
}

// ---- transfer parameters ----

export function setType(session: Session, argument: string): void {
  const type = argument.trim().toUpperCase().split(/ +/).join(" ");
  if (type === "A" || type === "A N") {
    session.asciiType = true;
    return session.reply(Reply.Okay, "Type set to A: bare LF is printed as CRLF.");
  }
  if (type === "I" || type === "L 8") {
    session.asciiType = false;
    return session.reply(Reply.Okay, "Type set to I: bytes are printed exactly as sent.");
  }
  if (type === "A T" || type === "A C" || type === "E" || type === "E N" || type === "E T" || type === "E C" || type.startsWith("L "))
    return session.reply(Reply.ParameterNotImplemented, `Type ${type} not offered; use A or I.`);
  session.reply(Reply.BadArguments, "Unknown type.");
}

export function setMode(session: Session, argument: string): void {
  onlyChoice(session, argument, "S", "BC", "Mode");
}

export function setStructure(session: Session, argument: string): void {
  onlyChoice(session, argument, "F", "RP", "Structure");
}

function onlyChoice(session: Session, argument: string, offered: string, known: string, what: string): void {
  const value = argument.trim().toUpperCase();
  if (value === offered) return session.reply(Reply.Okay, `${what} set to ${offered}.`);
  if (value.length === 1 && known.includes(value)) return session.reply(Reply.ParameterNotImplemented, `${what} ${value} not offered; use ${offered}.`);
  session.reply(Reply.BadArguments, `Unknown ${what.toLowerCase()}.`);
}

export function allocate(session: Session): void {
  session.reply(Reply.CommandSuperfluous, "No storage to allocate; the printer takes any size.");
}

// ---- data connections ----

export function activeMode(session: Session, argument: string): void {
  if (session.extendedPassiveOnly) return session.reply(Reply.BadSequence, "Only EPSV after EPSV ALL.");
  const target = parsePortArgument(argument.trim());
  if (!target) return session.reply(Reply.BadArguments, "PORT wants h1,h2,h3,h4,p1,p2.");
  connectLater(session, target, "PORT");
}

export function extendedActiveMode(session: Session, argument: string): void {
  if (session.extendedPassiveOnly) return session.reply(Reply.BadSequence, "Only EPSV after EPSV ALL.");
  const target = parseEprtArgument(argument.trim());
  if (!target) return session.reply(Reply.BadArguments, "EPRT wants |1|address|port|.");
  if (target.family !== EprtFamily.IPv4) return session.reply(Reply.ProtocolNotSupported, "Network protocol not supported, use (1)");
  connectLater(session, target, "EPRT");
}

function connectLater(session: Session, target: HostPort, verb: string): void {
  // SECURITY: RFC 2577 bounce attack. Data goes only back to the control peer, never to a privileged port.
  if (!isAllowedActiveTarget(target, session.peerAddress)) {
    session.context.log(`session ${session.number} refused ${verb} to ${target.address}:${target.port}`);
    return session.reply(Reply.BadArguments, "Data connections go only to your own address and a port above 1023.");
  }
  session.data.connectLater(target, session.peerAddress);
  session.reply(Reply.Okay, `${verb} command successful.`);
}

export function passiveMode(session: Session): void {
  if (session.extendedPassiveOnly) return session.reply(Reply.BadSequence, "Only EPSV after EPSV ALL.");
  const address = session.context.localAddress();
  if (!address || !isIPv4(address)) return session.reply(Reply.CannotOpenDataConnection, "No IPv4 address to offer; try EPSV.");
  const port = session.data.listen(session.peerAddress);
  if (port < 0) return session.reply(Reply.CannotOpenDataConnection, "No data port free; try again.");
  session.reply(Reply.EnteringPassive, passiveReplyText(address, port));
}

export function extendedPassiveMode(session: Session, argument: string): void {
  const choice = argument.trim().toUpperCase();
  if (choice === "ALL") {
    session.extendedPassiveOnly = true;
    return session.reply(Reply.Okay, "EPSV ALL: only EPSV from now on.");
  }
  if (choice !== "" && choice !== "1") {
    if (choice === "2" || /^[0-9]+$/.test(choice)) return session.reply(Reply.ProtocolNotSupported, "Network protocol not supported, use (1)");
    return session.reply(Reply.BadArguments, "EPSV wants 1 or ALL.");
  }
  const port = session.data.listen(session.peerAddress);
  if (port < 0) return session.reply(Reply.CannotOpenDataConnection, "No data port free; try again.");
  session.reply(Reply.EnteringExtendedPassive, extendedPassiveReplyText(port));
}

export function abort(session: Session): void {
  if (!session.abortTransfer()) return session.reply(Reply.DataConnectionOpen, "No transfer to abort.");
  session.context.log(`session ${session.number} aborted its transfer`);
  session.reply(Reply.ConnectionBroken, "Transfer aborted; the print job was cancelled.");
  session.reply(Reply.AbortOkay, "ABOR successful.");
  // QUIT came during the transfer: it waited for the transfer's end, and this is it (found by the fuzzer: the
  // session stayed open and closed after some later transfer instead).
  if (session.quitAfterTransfer) quit(session);
}

// ---- listings and the status file ----

export function listLong(session: Session, argument: string): void {
  sendListing(session, argument, ListingStyle.Long);
}

export function listNames(session: Session, argument: string): void {
  sendListing(session, argument, ListingStyle.Names);
}

export function listFacts(session: Session, argument: string): void {
  const kind = classify(resolvePath(session.workingDirectory, argument.trim() || "."));
  if (kind !== PathKind.RootDirectory && kind !== PathKind.PrinterDirectory) return session.reply(Reply.FileUnavailable, "Not a directory.");
  sendText(session, listingOf(session, kind, ListingStyle.Facts));
}

export function describePath(session: Session, argument: string): void {
  const path = resolvePath(session.workingDirectory, argument.trim() || ".");
  const kind = classify(path);
  if (kind === PathKind.Missing || kind === PathKind.PrintTarget) return session.reply(Reply.FileUnavailable, "No such file or directory.");
  const isDirectory = kind !== PathKind.StatusFile;
  const shown = isDirectory ? canonicalDirectory(kind) : "/" + statusFileName;
  session.replyLines(Reply.FileActionOkay, `Listing ${shown}`, [facts(shown, isDirectory, statusText(session).length, new Date())], "End.");
}

export function retrieve(session: Session, argument: string): void {
  const path = resolvePath(session.workingDirectory, argument.trim());
  const kind = classify(path);
  // "get status.txt" after "cd PORT1" names /PORT1/status.txt, a print target: say where the file is.
  if (kind === PathKind.PrintTarget && baseName(path).toLowerCase() === statusFileName)
    return session.reply(Reply.FileUnavailable, `${statusFileName} is in /, not in ${canonicalDirectory(PathKind.PrinterDirectory)}: get /${statusFileName}.`);
  if (kind !== PathKind.StatusFile) return session.reply(Reply.FileUnavailable, `Only ${statusFileName} can be read; ${PathKindText[kind]}.`);
  sendText(session, statusText(session));
}

const PathKindText = Object.freeze(["no such file", "that is a directory", "that is a directory", "", "printing is write-only"]);

function sendListing(session: Session, argument: string, style: ListingStyle): void {
  const kind = classify(resolvePath(session.workingDirectory, pathOperand(argument) || "."));
  if (kind === PathKind.Missing || kind === PathKind.PrintTarget) return session.reply(Reply.FileUnavailable, "No such file or directory.");
  sendText(session, listingOf(session, kind, style));
}

function sendText(session: Session, text: string): void {
  if (!session.data.prepared) return session.reply(Reply.CannotOpenDataConnection, "Use PORT, PASV, EPRT or EPSV first.");
  session.beginSend(text);
}

function listingOf(session: Session, kind: PathKind, style: ListingStyle): string {
  return listing(kind, style, statusText(session).length, new Date());
}

/** The status file as it would be sent now: LF line ends in TYPE I, CRLF in TYPE A (RFC 959 §3.1.1.1). */
function statusText(session: Session): string {
  const text = statusReport(session.context.spool, session.context.deviceName);
  return session.asciiType ? text.split("\n").join("\r\n") : text;
}

/** LIST and NLST arguments may carry ls options ("-la"), which we ignore, before the path. */
function pathOperand(argument: string): string {
  const words = argument.trim().split(/ +/).filter((word) => word && !word.startsWith("-"));
  return words.join(" ");
}

// ---- printing ----

export function storeForPrinting(session: Session, argument: string): void {
  const path = resolvePath(session.workingDirectory, argument.trim());
  const kind = classify(path);
  if (kind === PathKind.StatusFile) return session.reply(Reply.FileUnavailable, `${statusFileName} is read-only.`);
  if (kind !== PathKind.PrintTarget) return session.reply(Reply.BadFileName, "Files print in / or /PORT1.");
  if (!session.data.prepared) return session.reply(Reply.CannotOpenDataConnection, "Use PORT, PASV, EPRT or EPSV first.");
  session.uniqueName = "";
  session.beginUpload(baseName(path));
}

export function storeUniqueForPrinting(session: Session): void {
  if (!session.data.prepared) return session.reply(Reply.CannotOpenDataConnection, "Use PORT, PASV, EPRT or EPSV first.");
  session.uniqueName = `job${session.context.spool.jobsPrinted + session.context.spool.queueLength + 1}-${session.number}.prn`;
  session.beginUpload(session.uniqueName);
}
