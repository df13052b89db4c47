// Exits 0 when better-sqlite3 loads on the Node.js running this, else prints one line that says
// what to do and exits 1 (scripts/lib/node-support.mjs). Used after the native build.
import { nativeProblemMessage } from "./lib/node-support.mjs";

const message = nativeProblemMessage();
if (message) {
  console.error(message);
  process.exit(1);
}
