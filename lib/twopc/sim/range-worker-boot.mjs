// Node 20 does not apply --import loader hooks to a worker's entry file, so the worker enters
// through this plain module, registers tsx itself, then loads the TypeScript entry it was given.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
