// The one body reader, for both kinds of request it is given: a web Request (route handlers) and
// a node:http IncomingMessage (the internal API).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { AppError } from "@/lib/errors";
import { readBody } from "./read-body";

function streamOf(chunks: readonly string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(Buffer.from(chunk));
      controller.close();
    },
  });
}

const webRequest = (body: ReadableStream<Uint8Array> | string | null, headers: Record<string, string> = {}) =>
  new Request("http://127.0.0.1/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);

const isTooLarge = (error: unknown) => error instanceof AppError && error.code === "too_large";

test("readBody (web): the whole body within the limit; an empty one; a declared or streamed excess is a 413", async () => {
  assert.equal(Buffer.from(await readBody(webRequest(streamOf(["ab", "cd"])), 4)).toString(), "abcd");
  assert.equal((await readBody(webRequest(null), 4)).byteLength, 0);
  await assert.rejects(readBody(webRequest("abcdef", { "content-length": "6" }), 4), isTooLarge);
  await assert.rejects(readBody(webRequest(streamOf(["abc", "def"])), 4), isTooLarge);
});

/** Serves one request at a time to `handle`, answering what it returns. */
async function withServer(handle: (req: IncomingMessage) => Promise<string>, run: (port: number) => Promise<void>): Promise<void> {
  const server = createServer((req, res) => {
    void handle(req).then(
      (text) => res.writeHead(200).end(text),
      (error: unknown) => res.writeHead(isTooLarge(error) ? 413 : 500, { connection: "close" }).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await run((server.address() as AddressInfo).port);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function post(port: number, chunks: readonly string[], headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method: "POST", path: "/", headers }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (chunk: Buffer) => parts.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString() }));
    });
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

test("readBody (node:http): the whole body within the limit; a declared or streamed excess is answered 413 on the same socket", async () => {
  await withServer(
    async (req) => Buffer.from(await readBody(req, 4)).toString(),
    async (port) => {
      assert.deepEqual(await post(port, ["ab", "cd"]), { status: 200, text: "abcd" });
      assert.deepEqual(await post(port, []), { status: 200, text: "" });
      assert.equal((await post(port, ["abcdef"], { "content-length": "6" })).status, 413);
      assert.equal((await post(port, ["abc", "def"], { "transfer-encoding": "chunked" })).status, 413);
    },
  );
});
