// embedded:io/socket/listener for the Node simulator (the loader maps the specifier here).
export { Listener as default } from "./node-net.js";
