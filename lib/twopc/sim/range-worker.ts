// Worker thread entry: runs one range of seeds and posts the RangeResult back.
import { parentPort, workerData } from "node:worker_threads";
import { isPlantedBug } from "./planted-bugs";
import { runRange } from "./run-seeds";

function readRange(data: unknown): { from: number; count: number; plantedBug: ReturnType<typeof plantedBugOf> } {
  if (typeof data !== "object" || data === null) throw new TypeError("worker needs a seed range");
  const from: unknown = Reflect.get(data, "from");
  const count: unknown = Reflect.get(data, "count");
  if (typeof from !== "number" || typeof count !== "number") throw new TypeError("worker needs from and count");
  return { from, count, plantedBug: plantedBugOf(Reflect.get(data, "plantedBug")) };
}

function plantedBugOf(value: unknown) {
  return typeof value === "string" && isPlantedBug(value) ? value : undefined;
}

void runRange(readRange(workerData)).then((result) => parentPort?.postMessage(result));
