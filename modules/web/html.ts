// Escaping for everything the page puts into HTML, and the one MIME table. Pure: no IO.
// The page quotes every attribute with ", so escaping & < > " ' covers text and attribute values alike.

const entities: Readonly<Record<string, string>> = Object.freeze({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" });

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (character) => entities[character]);
}

export const contentTypes = Object.freeze({
  html: "text/html; charset=utf-8",
  json: "application/json",
  text: "text/plain; charset=utf-8",
  png: "image/png",
  css: "text/css",
  binary: "application/octet-stream",
});
