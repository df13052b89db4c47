// Worker thread entry for product schedules: runs one range of seeds and posts the RangeResult back.
import { parentPort, workerData } from "node:worker_threads";
import { readWorkerRange } from "@/lib/twopc/sim/run-seeds";
import { isSimBug } from "./product-schedule";
import { runProductRange } from "./run-product-seeds";

void runProductRange(readWorkerRange(workerData, isSimBug)).then((result) => parentPort?.postMessage(result));
