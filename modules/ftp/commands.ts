// The verb handlers. By the time one runs, the gate (connection.ts) has checked every rule of its row in verbs.ts, so
// each does its own verb only and answers through connection.reply; a verb that moves data returns what to send or
// print, and the gate starts the transfer. No IO of their own: data connections go through connection.data.

import { extendedPassiveReplyText, isAllowedActiveTarget, parseEprtArgument, parsePortArgument, passiveReplyText, EprtFamily, isIPv4, type HostPort } from "./addresses.js";
import { ListingStyle, facts, listing } from "./listing.js";
import { PathKind, baseName, canonicalDirectory, classify, resolvePath, statusFileName } from "./paths.js";
import { Reply } from "./replies.js";
import type { FtpConnection } from "./connection.js";
import { LoginState, Transfer } from "./states.js";
import { JobState } from "print/job";
import { printerStateNames } from "print/port";
import { statusReport } from "print/statusReport";

// ---- login ----

export function beginLogin(connection: FtpConnection, name: string): void {
  connection.login = LoginState.AwaitingPassword;
  connection.user = name;
  connection.reply(Reply.NeedPassword, `Password for ${name.slice(0, 32)}, please.`);
}

export function finishLogin(connection: FtpConnection, password: string): void {
  if (connection.login !== LoginState.AwaitingPassword)
    return connection.reply(Reply.BadSequence, connection.login === LoginState.LoggedIn ? "Already logged in." : "Send USER first.");
  const wanted = connection.context.credentials;
  // A password set with no user name means: any name, that password.
  if (wanted && ((wanted.user !== "" && connection.user !== wanted.user) || password !== wanted.password)) {
    connection.login = LoginState.AwaitingUser;
    connection.context.log(`session ${connection.number} login refused for "${connection.user.slice(0, 32)}"`);
    // SECURITY: answered late (vsftpd, pyftpdlib) so that guessing passwords is slow.
    return connection.answerLoginFailureLater("Login incorrect.");
  }
  connection.login = LoginState.LoggedIn;
  if (wanted) connection.context.loginSucceeded(connection.peerAddress);
  connection.context.log(`session ${connection.number} logged in as "${connection.user.slice(0, 32)}"`);
  connection.reply(Reply.LoggedIn, "Logged in; upload files to print them.");
}

export function acceptAccount(connection: FtpConnection): void {
  connection.reply(Reply.CommandSuperfluous, "No account needed.");
}

export function quit(connection: FtpConnection): void {
  if (connection.transfer !== Transfer.None) {
    connection.quitAfterTransfer = true;              // RFC 959 §4.1.1: answer the transfer first, then close
    return;
  }
  connection.reply(Reply.Goodbye, "Goodbye.");
  connection.closeAfterReplies();
}

export function reinitialize(connection: FtpConnection): void {
  connection.reinitialize();
  connection.reply(Reply.ServiceReady, "Ready for a new user.");
}

// ---- information ----

export function noOperation(connection: FtpConnection): void {
  connection.reply(Reply.Okay, "NOOP okay.");
}

export function systemType(connection: FtpConnection): void {
  connection.reply(Reply.SystemType, "UNIX Type: L8");
}

export function listFeatures(connection: FtpConnection): void {
  const verbs = connection.context.verbs;
  const lines: string[] = [];
  for (const name of Object.keys(verbs)) {
    const feature = verbs[name].feature;
    if (feature) lines.push(feature);
  }
  connection.replyLines(Reply.SystemStatus, "Features:", lines, "End.");
}

export function setOptions(connection: FtpConnection, argument: string): void {
  const words = argument.trim().toUpperCase().split(/ +/);
  if (words[0] === "UTF8" && (words.length === 1 || words[1] === "ON" || words[1] === "OFF"))
    return connection.reply(Reply.Okay, "UTF8 mode is always on.");
  if (words[0] === "MLST") return connection.reply(Reply.Okay, "MLST OPTS type;size;modify;perm;");
  connection.reply(Reply.BadArguments, "Option not understood.");
}

export function help(connection: FtpConnection, argument: string): void {
  const verbs = connection.context.verbs;
  const name = argument.trim().toUpperCase();
  if (name) {
    if (!Object.hasOwn(verbs, name)) return connection.reply(Reply.BadArguments, `Unknown command ${name.slice(0, 16)}.`);
    return connection.reply(Reply.Help, verbs[name].help);
  }
  const names = Object.keys(verbs).filter((verb) => verbs[verb].run);
  const rows: string[] = [];
  for (let i = 0; i < names.length; i += 8) rows.push(names.slice(i, i + 8).map((verb) => verb.padEnd(5)).join(" "));
  connection.replyLines(Reply.Help, "Commands understood (HELP <verb> for more):", rows, "Upload a file to /PORT1 to print it.");
}

export function status(connection: FtpConnection, argument: string): void {
  if (argument.trim()) {
    const kind = classify(resolvePath(connection.workingDirectory, pathOperand(argument)));
    if (kind === PathKind.Missing || kind === PathKind.PrintTarget) return connection.reply(Reply.FileUnavailable, "No such file or directory.");
    const lines = listingOf(connection, kind, ListingStyle.Long).split("\r\n").filter((line) => line);
    return connection.replyLines(Reply.FileStatus, "Status follows:", lines, "End of status.");
  }
  const { spool, deviceName } = connection.context;
  const lines = [`Connected from ${connection.peerAddress}`];
  lines.push(connection.login === LoginState.LoggedIn ? `Logged in as ${connection.user.slice(0, 32)}` : "Not logged in");
  lines.push(`TYPE: ${connection.asciiType ? "ASCII" : "BINARY"}; STRUcture: File; MODE: Stream`);
  lines.push(`Printer: ${printerStateNames[spool.printerState]} (${spool.port.description})`);
  const current = spool.current;
  if (current) lines.push(`Printing job ${current.id}: ${current.bytesReceived} bytes received, ${current.bytesPrinted} printed`);
  const job = connection.job;
  if (job.state === JobState.Waiting) {
    const ahead = spool.positionOf(job);
    lines.push(`Your job ${job.id} is waiting: ${ahead} job${ahead === 1 ? "" : "s"} ahead of it in the queue`);
  } else if (job.state !== JobState.Idle) {
    lines.push(`Your job ${job.id} is printing: ${job.bytesReceived} bytes received, ${job.bytesPrinted} printed`);
  }
  lines.push(`Jobs printed: ${spool.jobsPrinted}; bytes printed: ${spool.bytesPrinted}`);
  connection.replyLines(Reply.SystemStatus, `${deviceName} FTP print server status:`, lines, "End of status.");
}

// ---- the virtual tree ----

export function printDirectory(connection: FtpConnection): void {
  connection.reply(Reply.PathCreated, `"${connection.workingDirectory}" is the current directory.`);
}

export function changeDirectory(connection: FtpConnection, argument: string): void {
  const kind = classify(resolvePath(connection.workingDirectory, argument));
  if (kind !== PathKind.RootDirectory && kind !== PathKind.PrinterDirectory)
    return connection.reply(Reply.FileUnavailable, "No such directory; there are / and /PORT1.");
  connection.workingDirectory = canonicalDirectory(kind);
  connection.reply(Reply.FileActionOkay, `Directory is now ${connection.workingDirectory}.`);
}

export function changeToParent(connection: FtpConnection): void {
  connection.workingDirectory = "/";
  connection.reply(Reply.Okay, "Directory is now /.");
}

// ---- transfer parameters ----

export function setType(connection: FtpConnection, argument: string): void {
  const type = argument.trim().toUpperCase().split(/ +/).join(" ");
  if (type === "A" || type === "A N") {
    connection.asciiType = true;
    return connection.reply(Reply.Okay, "Type set to A: bare LF is printed as CRLF.");
  }
  if (type === "I" || type === "L 8") {
    connection.asciiType = false;
    return connection.reply(Reply.Okay, "Type set to I: bytes are printed exactly as sent.");
  }
  if (type === "A T" || type === "A C" || type === "E" || type === "E N" || type === "E T" || type === "E C" || type.startsWith("L "))
    return connection.reply(Reply.ParameterNotImplemented, `Type ${type} not offered; use A or I.`);
  connection.reply(Reply.BadArguments, "Unknown type.");
}

export function setMode(connection: FtpConnection, argument: string): void {
  onlyChoice(connection, argument, "S", "BC", "Mode");
}

export function setStructure(connection: FtpConnection, argument: string): void {
  onlyChoice(connection, argument, "F", "RP", "Structure");
}

function onlyChoice(connection: FtpConnection, argument: string, offered: string, known: string, what: string): void {
  const value = argument.trim().toUpperCase();
  if (value === offered) return connection.reply(Reply.Okay, `${what} set to ${offered}.`);
  if (value.length === 1 && known.includes(value)) return connection.reply(Reply.ParameterNotImplemented, `${what} ${value} not offered; use ${offered}.`);
  connection.reply(Reply.BadArguments, `Unknown ${what.toLowerCase()}.`);
}

export function allocate(connection: FtpConnection): void {
  connection.reply(Reply.CommandSuperfluous, "No storage to allocate; the printer takes any size.");
}

// ---- data connections ----

export function activeMode(connection: FtpConnection, argument: string): void {
  const target = parsePortArgument(argument.trim());
  if (!target) return connection.reply(Reply.BadArguments, "PORT wants h1,h2,h3,h4,p1,p2.");
  connectLater(connection, target, "PORT");
}

export function extendedActiveMode(connection: FtpConnection, argument: string): void {
  const target = parseEprtArgument(argument.trim());
  if (!target) return connection.reply(Reply.BadArguments, "EPRT wants |1|address|port|.");
  if (target.family !== EprtFamily.IPv4) return connection.reply(Reply.ProtocolNotSupported, "Network protocol not supported, use (1)");
  connectLater(connection, target, "EPRT");
}

function connectLater(connection: FtpConnection, target: HostPort, verb: string): void {
  // SECURITY: RFC 2577 bounce attack. Data goes only back to the control peer, never to a privileged port.
  if (!isAllowedActiveTarget(target, connection.peerAddress)) {
    connection.context.log(`session ${connection.number} refused ${verb} to ${target.address}:${target.port}`);
    return connection.reply(Reply.BadArguments, "Data connections go only to your own address and a port above 1023.");
  }
  connection.data.connectLater(target, connection.peerAddress);
  connection.reply(Reply.Okay, `${verb} command successful.`);
}

export function passiveMode(connection: FtpConnection): void {
  const address = connection.context.localAddress();
  if (!address || !isIPv4(address)) return connection.reply(Reply.CannotOpenDataConnection, "No IPv4 address to offer; try EPSV.");
  const port = connection.data.listen(connection.peerAddress);
  if (port < 0) return connection.reply(Reply.CannotOpenDataConnection, "No data port free; try again.");
  connection.reply(Reply.EnteringPassive, passiveReplyText(address, port));
}

export function extendedPassiveMode(connection: FtpConnection, argument: string): void {
  const choice = argument.trim().toUpperCase();
  if (choice === "ALL") {
    connection.extendedPassiveOnly = true;
    return connection.reply(Reply.Okay, "EPSV ALL: only EPSV from now on.");
  }
  if (choice !== "" && choice !== "1") {
    if (choice === "2" || /^[0-9]+$/.test(choice)) return connection.reply(Reply.ProtocolNotSupported, "Network protocol not supported, use (1)");
    return connection.reply(Reply.BadArguments, "EPSV wants 1 or ALL.");
  }
  const port = connection.data.listen(connection.peerAddress);
  if (port < 0) return connection.reply(Reply.CannotOpenDataConnection, "No data port free; try again.");
  connection.reply(Reply.EnteringExtendedPassive, extendedPassiveReplyText(port));
}

export function abort(connection: FtpConnection): void {
  if (!connection.abortTransfer()) return connection.reply(Reply.DataConnectionOpen, "No transfer to abort.");
  connection.context.log(`session ${connection.number} aborted its transfer`);
  connection.reply(Reply.ConnectionBroken, "Transfer aborted; the print job was cancelled.");
  connection.reply(Reply.AbortOkay, "ABOR successful.");
  // QUIT came during the transfer: it waited for the transfer's end, and this is it (found by the fuzzer: the
  // session stayed open and closed after some later transfer instead).
  if (connection.quitAfterTransfer) quit(connection);
}

// ---- listings and the status file ----

export function listLong(connection: FtpConnection, argument: string): string | undefined {
  return listingToSend(connection, argument, ListingStyle.Long);
}

export function listNames(connection: FtpConnection, argument: string): string | undefined {
  return listingToSend(connection, argument, ListingStyle.Names);
}

export function listFacts(connection: FtpConnection, argument: string): string | undefined {
  const kind = classify(resolvePath(connection.workingDirectory, argument.trim() || "."));
  if (kind !== PathKind.RootDirectory && kind !== PathKind.PrinterDirectory) return refuse(connection, Reply.FileUnavailable, "Not a directory.");
  return listingOf(connection, kind, ListingStyle.Facts);
}

export function describePath(connection: FtpConnection, argument: string): void {
  const path = resolvePath(connection.workingDirectory, argument.trim() || ".");
  const kind = classify(path);
  if (kind === PathKind.Missing || kind === PathKind.PrintTarget) return connection.reply(Reply.FileUnavailable, "No such file or directory.");
  const isDirectory = kind !== PathKind.StatusFile;
  const shown = isDirectory ? canonicalDirectory(kind) : "/" + statusFileName;
  connection.replyLines(Reply.FileActionOkay, `Listing ${shown}`, [facts(shown, isDirectory, statusText(connection).length, new Date())], "End.");
}

export function retrieve(connection: FtpConnection, argument: string): string | undefined {
  const path = resolvePath(connection.workingDirectory, argument.trim());
  const kind = classify(path);
  // "get status.txt" after "cd PORT1" names /PORT1/status.txt, a print target: say where the file is.
  if (kind === PathKind.PrintTarget && baseName(path).toLowerCase() === statusFileName)
    return refuse(connection, Reply.FileUnavailable, `${statusFileName} is in /, not in ${canonicalDirectory(PathKind.PrinterDirectory)}: get /${statusFileName}.`);
  if (kind !== PathKind.StatusFile) return refuse(connection, Reply.FileUnavailable, `Only ${statusFileName} can be read; ${PathKindText[kind]}.`);
  return statusText(connection);
}

const PathKindText = Object.freeze(["no such file", "that is a directory", "that is a directory", "", "printing is write-only"]);

function listingToSend(connection: FtpConnection, argument: string, style: ListingStyle): string | undefined {
  const kind = classify(resolvePath(connection.workingDirectory, pathOperand(argument) || "."));
  if (kind === PathKind.Missing || kind === PathKind.PrintTarget) return refuse(connection, Reply.FileUnavailable, "No such file or directory.");
  return listingOf(connection, kind, style);
}

/** A transfer verb's answer when its argument names nothing it can send or print: no transfer follows. */
function refuse(connection: FtpConnection, code: number, text: string): undefined {
  connection.reply(code, text);
  return undefined;
}

function listingOf(connection: FtpConnection, kind: PathKind, style: ListingStyle): string {
  return listing(kind, style, statusText(connection).length, new Date());
}

/** The status file as it would be sent now: LF line ends in TYPE I, CRLF in TYPE A (RFC 959 §3.1.1.1). */
function statusText(connection: FtpConnection): string {
  const text = statusReport(connection.context.spool, connection.context.deviceName);
  return connection.asciiType ? text.split("\n").join("\r\n") : text;
}

/** LIST and NLST arguments may carry ls options ("-la"), which we ignore, before the path. */
function pathOperand(argument: string): string {
  const words = argument.trim().split(/ +/).filter((word) => word && !word.startsWith("-"));
  return words.join(" ");
}

// ---- printing ----

export function storeForPrinting(connection: FtpConnection, argument: string): string | undefined {
  const path = resolvePath(connection.workingDirectory, argument.trim());
  const kind = classify(path);
  if (kind === PathKind.StatusFile) return refuse(connection, Reply.FileUnavailable, `${statusFileName} is read-only.`);
  if (kind !== PathKind.PrintTarget) return refuse(connection, Reply.BadFileName, "Files print in / or /PORT1.");
  connection.uniqueName = "";
  return baseName(path);
}

export function storeUniqueForPrinting(connection: FtpConnection): string {
  const spool = connection.context.spool;
  connection.uniqueName = `job${spool.jobsPrinted + spool.queueLength + 1}-${connection.number}.prn`;
  return connection.uniqueName;
}
