// embedded:io/socket/tcp for the Node simulator (the loader maps the specifier here).
export { TCP as default } from "./node-net.js";
