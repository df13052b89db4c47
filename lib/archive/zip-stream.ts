import { PassThrough, pipeline, type Readable } from "node:stream";
import { ZipFile } from "yazl";

export interface ZipEntry {
  /** The file's path inside the archive (already safe: see safe-file-name.ts). */
  readonly name: string;
  readonly sizeBytes: number;
  /** The file's time as a wall clock: its UTC fields are written as the entry's local time. */
  readonly wallClockMs: number;
  /** Opens the file's bytes; called only when the archive reaches this entry. */
  readonly open: () => Readable;
}

export interface ZipStream {
  /** The archive's bytes, produced as fast as the consumer reads them. */
  readonly stream: Readable;
  /** The archive's exact size (entries are stored, not compressed, so it is known up front). */
  readonly sizeBytes: number;
  /** How many entry streams are open now (at most one): for tests of "a disconnect costs nothing". */
  readonly openEntries: () => number;
}

/**
 * A ZIP of `entries`, streamed by yazl: no temporary file, and memory bounded whatever the
 * archive's size — one entry is open at a time (opened lazily, when the archive reaches it) and
 * data flows with back-pressure, so a slow client holds a few chunks, not the archive. Entries
 * are stored, not deflated: photos are compressed already, deflating them would cost CPU for
 * ~1 %, and stored entries give an exact size (Content-Length) before the first byte. ZIP64
 * records are written where needed (past 4 GiB or 65,535 entries) or always with `zip64`.
 * Names are UTF-8 (yazl sets the flag). Times are DOS times only (no UTC extra field): a
 * camera's wall clock has no time zone, and this way every unzip shows the time the photo was
 * taken. If the consumer stops (`stream.destroy()`, a client gone), the open entry is closed at
 * once and no further entry is opened.
 */
export function zipStream(entries: readonly ZipEntry[], options: { zip64?: boolean } = {}): Promise<ZipStream> {
  const zip = new ZipFile();
  const open = new Set<Readable>();
  let stopped = false;
  for (const entry of entries) {
    zip.addReadStreamLazy(
      entry.name,
      { mtime: localDateOf(entry.wallClockMs), mode: 0o100644, compress: false, size: entry.sizeBytes, forceDosTimestamp: true, forceZip64Format: options.zip64 === true },
      (callback) => {
        if (stopped) return; // the consumer has gone: never open another file
        const readable = entry.open();
        open.add(readable);
        readable.once("close", () => open.delete(readable));
        callback(null, readable);
      },
    );
  }
  // yazl's output typed as a Node stream; a pass-through makes it a Readable, and pipeline
  // destroys yazl's side as soon as this one is destroyed (a client gone).
  const stream = new PassThrough({ highWaterMark: 64 * 1024 });
  pipeline(zip.outputStream, stream, () => undefined);
  stream.once("close", () => {
    stopped = true;
    for (const readable of open) readable.destroy();
    open.clear();
  });
  // A file that cannot be read (or whose size changed) ends the archive with an error: the
  // response is cut short rather than a ZIP that looks whole but is not.
  zip.on("error", (error: Error) => stream.destroy(error));
  return new Promise((resolve) => {
    zip.end({ forceZip64Format: options.zip64 === true, comment: "" }, (sizeBytes?: number) => {
      // yazl passes the total (its @types/yazl 3.3.1 signature omits the argument); -1 if unknown.
      if (sizeBytes === undefined || sizeBytes < 0) throw new Error("zipStream: the archive's size is not known (an entry without a size?)");
      resolve({ stream, sizeBytes, openEntries: () => open.size });
    });
  });
}

/** A Date whose local-time fields are `ms`'s UTC fields (yazl writes DOS times in local time). */
function localDateOf(ms: number): Date {
  const utc = new Date(ms);
  return new Date(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate(), utc.getUTCHours(), utc.getUTCMinutes(), utc.getUTCSeconds());
}
