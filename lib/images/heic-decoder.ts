import { join } from "node:path";
import { Worker } from "node:worker_threads";

/** Upright RGBA pixels of a decoded HEIC (libheif applies its irot/imir boxes). */
export interface DecodedPixels {
  readonly data: Uint8Array;
  readonly widthPx: number;
  readonly heightPx: number;
}

/** A worker is replaced after this many decodes: libheif's wasm heap only grows (277 → 420 MB over three, STACK.md). */
const DECODES_PER_WORKER = 4;
/** An idle worker is ended after this long, so a site that saw one HEIC does not keep its heap. */
const IDLE_MS = 30_000;
/** Longest a decode may take (12 MP takes 1.4–2.1 s on one core here); then the worker is ended. */
const DECODE_TIMEOUT_MS = 60_000;

/*
 * The worker's code, run with eval so that no separate file has to survive bundling. heic-decode
 * (libheif compiled to wasm) is loaded from the project's node_modules; it is synchronous on
 * its thread, which is why it runs here and never on the event loop.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { createRequire } = require("node:module");
const decode = createRequire(workerData.base)("heic-decode");
parentPort.on("message", async ({ id, bytes }) => {
  try {
    const image = await decode({ buffer: bytes });
    const data = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
    parentPort.postMessage({ id, width: image.width, height: image.height, data }, [data.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
`;

type Reply = { id: number; width?: number; height?: number; data?: Uint8Array; error?: string };

/**
 * Decodes HEIC in a worker thread, one image at a time (callers are already one at a time: the
 * site's decode queue), recycling the worker every DECODES_PER_WORKER decodes and after
 * IDLE_MS idle so memory stays bounded. The pixel limit is checked from the header before this
 * is called (readUploadDimensions); a decode that fails rejects with the decoder's message.
 */
class HeicDecoder {
  private worker: Worker | null = null;
  private decodes = 0;
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  decode(bytes: Uint8Array): Promise<DecodedPixels> {
    const run = this.queue.then(() => this.decodeNow(bytes));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private decodeNow(bytes: Uint8Array): Promise<DecodedPixels> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.worker === null || this.decodes >= DECODES_PER_WORKER) this.restart();
    const worker = this.worker as Worker;
    this.decodes += 1;
    const id = this.nextId++;
    return new Promise<DecodedPixels>((resolve, reject) => {
      const timer = setTimeout(() => {
        finish();
        this.stop();
        reject(new Error("HEIC decoding took too long"));
      }, DECODE_TIMEOUT_MS);
      const onMessage = (reply: Reply) => {
        if (reply.id !== id) return;
        finish();
        if (reply.error !== undefined || !reply.data || !reply.width || !reply.height) reject(new Error(`HEIC decoding failed: ${reply.error ?? "no image"}`));
        else resolve({ data: reply.data, widthPx: reply.width, heightPx: reply.height });
      };
      const onExit = () => {
        finish();
        reject(new Error("the HEIC decoder stopped"));
      };
      const finish = () => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("exit", onExit);
        this.idleTimer = setTimeout(() => this.stop(), IDLE_MS);
        this.idleTimer.unref();
      };
      worker.on("message", onMessage);
      worker.once("exit", onExit);
      // A copy: the upload's buffer stays the caller's (it is hashed and stripped too).
      worker.postMessage({ id, bytes: Uint8Array.from(bytes) });
    });
  }

  private restart(): void {
    this.stop();
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { base: join(process.cwd(), "package.json") } });
    this.worker.unref();
    this.decodes = 0;
  }

  private stop(): void {
    if (this.worker) void this.worker.terminate();
    this.worker = null;
  }
}

let decoder: HeicDecoder | null = null;

/** This process's HEIC decoder (one worker, started on the first HEIC). */
export function decodeHeic(bytes: Uint8Array): Promise<DecodedPixels> {
  decoder ??= new HeicDecoder();
  return decoder.decode(bytes);
}
