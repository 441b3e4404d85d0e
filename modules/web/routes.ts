// The page's routing table and what each route answers. Pure: the HTTP adapter (server.ts) turns a request into a
// WebRequest and writes the WebResponse; everything about the device comes through a WebContext.

import type { SavedValues } from "device/preferences";
import { contentTypes } from "./html.js";
import type { Notice } from "./frame.js";
import { renderStatusPage, renderStatusJson } from "./page.js";
import { renderPrintoutsPage, type PrintoutsView } from "./printoutsPage.js";
import { isPrintoutName, type BodySource, type PrintoutShelf } from "./printouts.js";
import { changedValues, needsRestart, parseFormBody, setupBodyMaxBytes, validateSetup } from "./setupForm.js";
import { renderSetupPage } from "./setupPage.js";
import type { StatusView } from "./status.js";
import { stylesheet } from "./style.js";

/** How many printouts /printouts shows. */
export const printoutsShown = 12;

export interface WebContext {
  status(): StatusView;
  /** The values the form shows: settings in use, with anything saved since start laid over (secrets left out). */
  currentValues(): SavedValues;
  hasFtpPassword(): boolean;
  /** Keeps the values (preference); throws if the store refuses. */
  save(values: SavedValues): void;
  removeJob(id: number): boolean;
  printouts?: PrintoutShelf | undefined;
}

export interface WebRequest {
  method: string;
  path: string;
  /** The request body as text (urlencoded forms are ASCII). */
  body: string;
}

export interface WebResponse {
  status: number;
  type: string;
  body: string | BodySource;
  /** For 405. */
  allow?: string;
  /** Seconds the browser may keep it (the stylesheet); otherwise it is never cached. */
  maxAgeSeconds?: number;
}

type Handler = (request: WebRequest, context: WebContext) => WebResponse;

interface Route {
  readonly methods: Readonly<Record<string, Handler>>;
  /** Bytes of body the route takes; more is answered 413. */
  readonly bodyMaxBytes: number;
}

function pendingPrintouts(shelf: PrintoutShelf | undefined): number {
  try {
    return shelf?.pending ? shelf.pending() : 0;
  } catch {
    return 0;
  }
}

const html = (status: number, body: string): WebResponse => ({ status, type: contentTypes.html, body });

const statusPage = (context: WebContext, status: number, notice?: Notice): WebResponse =>
  html(status, renderStatusPage(context.status(), notice, { printouts: Boolean(context.printouts), printoutsPending: pendingPrintouts(context.printouts) }));

function setupPage(context: WebContext, status: number, notice?: Notice): WebResponse {
  const now = context.status();
  return html(status, renderSetupPage(context.currentValues(), notice,
    { deviceName: now.deviceName, printerState: now.printer.state, printouts: Boolean(context.printouts) }));
}

function printoutsOf(shelf: PrintoutShelf): PrintoutsView {
  try {
    return { items: shelf.list(printoutsShown), note: shelf.note(), pending: pendingPrintouts(shelf) };
  } catch {
    return { items: [], note: "the printouts could not be read", pending: 0 };
  }
}

function printoutsPage(_request: WebRequest, context: WebContext): WebResponse {
  if (!context.printouts) return notFound();
  const now = context.status();
  return html(200, renderPrintoutsPage(printoutsOf(context.printouts),
    { deviceName: now.deviceName, printerState: now.printer.state, jobsQueued: now.queue.length }));
}

function saveSetup(request: WebRequest, context: WebContext): WebResponse {
  const fields = parseFormBody(request.body);
  if (!fields) return setupPage(context, 400, { error: true, text: "The form could not be read (a bad %-escape)." });
  const outcome = validateSetup(fields, context.hasFtpPassword());
  if ("error" in outcome) return setupPage(context, 400, { error: true, text: `Not saved. ${outcome.error}` });
  const changed = changedValues(outcome.values, context.currentValues());
  if (Object.keys(changed).length === 0) return setupPage(context, 200, { error: false, text: "Nothing changed." });
  try {
    context.save(changed);
  } catch (error) {
    return setupPage(context, 500, { error: true, text: `Not saved: the settings store said ${String(error)}` });
  }
  const restart = needsRestart(changed) ? " Restart the device for the changes marked * to apply." : "";
  return setupPage(context, 200, { error: false, text: `Saved: ${Object.keys(changed).join(", ")}.${restart}` });
}

function removeJob(request: WebRequest, context: WebContext): WebResponse {
  const fields = parseFormBody(request.body);
  const id = fields && /^\d{1,9}$/.test(fields.id ?? "") ? Number(fields.id) : NaN;
  if (!(id > 0)) return statusPage(context, 400, { error: true, text: "Which job? The form needs a job id." });
  const removed = context.removeJob(id);
  return statusPage(context, removed ? 200 : 404, { error: !removed, text: removed ? `Job ${id} removed.` : `Job ${id} is not in the queue.` });
}

function showPrintout(request: WebRequest, context: WebContext): WebResponse {
  const name = request.path.slice("/printouts/".length);
  const body = isPrintoutName(name) ? context.printouts?.open(name) : undefined;
  if (!body) return notFound();
  const type = name.endsWith(".png") ? contentTypes.png : name.endsWith(".prn") ? contentTypes.binary : contentTypes.text;
  return { status: 200, type, body };
}

function notFound(): WebResponse {
  return { status: 404, type: contentTypes.text, body: "404 not found\n" };
}

export const routes: Readonly<Record<string, Route>> = Object.freeze({
  "/": Object.freeze({ bodyMaxBytes: 0, methods: Object.freeze({ GET: (_request: WebRequest, context: WebContext) => statusPage(context, 200) }) }),
  "/style.css": Object.freeze({ bodyMaxBytes: 0, methods: Object.freeze({
    GET: () => ({ status: 200, type: contentTypes.css, body: stylesheet, maxAgeSeconds: 86400 }),
  }) }),
  "/status.json": Object.freeze({ bodyMaxBytes: 0, methods: Object.freeze({
    GET: (_request: WebRequest, context: WebContext) => ({ status: 200, type: contentTypes.json, body: renderStatusJson(context.status()) }),
  }) }),
  "/setup": Object.freeze({ bodyMaxBytes: setupBodyMaxBytes, methods: Object.freeze({
    GET: (_request: WebRequest, context: WebContext) => setupPage(context, 200), POST: saveSetup }) }),
  "/remove": Object.freeze({ bodyMaxBytes: 64, methods: Object.freeze({ POST: removeJob }) }),
  "/printouts": Object.freeze({ bodyMaxBytes: 0, methods: Object.freeze({ GET: printoutsPage }) }),
  "/printouts/": Object.freeze({ bodyMaxBytes: 0, methods: Object.freeze({ GET: showPrintout }) }),
});

/** The route for a path (query string ignored); "/printouts/<name>" shares one entry. */
export function findRoute(path: string): Route | undefined {
  const bare = path.split("?")[0];
  const key = bare.startsWith("/printouts/") ? "/printouts/" : bare;
  return Object.hasOwn(routes, key) ? routes[key] : undefined;
}

/** The answer to a request whose body (if any) has been read in full. */
export function answer(request: WebRequest, context: WebContext): WebResponse {
  const route = findRoute(request.path);
  if (!route) return notFound();
  if (!Object.hasOwn(route.methods, request.method)) return methodNotAllowed(route);
  return route.methods[request.method]({ ...request, path: request.path.split("?")[0] }, context);
}

export function methodNotAllowed(route: Route): WebResponse {
  const allow = Object.keys(route.methods).join(", ");
  return { status: 405, type: contentTypes.text, body: `405 method not allowed: use ${allow}\n`, allow };
}

export function bodyTooLarge(maxBytes: number): WebResponse {
  return { status: 413, type: contentTypes.text, body: `413 request body too large: at most ${maxBytes} bytes\n` };
}
