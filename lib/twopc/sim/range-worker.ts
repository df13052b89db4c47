// Worker thread entry for the engine's own schedules: runs one range of seeds and posts the RangeResult back.
import { parentPort, workerData } from "node:worker_threads";
import { isPlantedBug } from "./planted-bugs";
import { readWorkerRange, runRange } from "./run-seeds";

void runRange(readWorkerRange(workerData, isPlantedBug)).then((result) => parentPort?.postMessage(result));
