// The root `preinstall`: stops `npm ci` / `npm install` on a Node.js groupshot does not support,
// with one line that says what to do (scripts/lib/node-support.mjs).
import { unsupportedNodeMessage } from "./lib/node-support.mjs";

const message = unsupportedNodeMessage();
if (message) {
  console.error(message);
  process.exit(1);
}
