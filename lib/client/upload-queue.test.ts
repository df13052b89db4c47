import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError } from "./api";
import { busyRetryDelayMs, MAX_BUSY_RETRIES, uploadQueueReducer, type UploadItem } from "./upload-queue";

const acks = (missing: string[] = []) => ["s0", "s1", "s2", "s3"].map((siteId) => ({ siteId, acknowledged: !missing.includes(siteId) }));

function queue(...files: Array<[string, number]>): UploadItem[] {
  return uploadQueueReducer([], { type: "added", maxBytes: 1000, items: files.map(([id, sizeBytes]) => ({ id, fileName: `${id}.jpg`, sizeBytes, previewUrl: null })) });
}

test("a file over the limit is refused before it is sent", () => {
  const [ok, big] = queue(["a", 500], ["b", 1001]);
  assert.equal(ok?.phase, "queued");
  assert.equal(big?.phase, "failed");
  assert.match(big?.message ?? "", /the limit is 1000 B/);
  assert.equal(big?.retryable, false);
});

test("progress, then the site's answer: committed, or pending until the transaction decides", () => {
  let items = queue(["a", 100]);
  items = uploadQueueReducer(items, { type: "started", id: "a" });
  items = uploadQueueReducer(items, { type: "progress", id: "a", loadedBytes: 40 });
  assert.equal(items[0]?.phase, "uploading");
  items = uploadQueueReducer(items, { type: "progress", id: "a", loadedBytes: 100 });
  assert.equal(items[0]?.phase, "processing");
  items = uploadQueueReducer(items, {
    type: "answered",
    id: "a",
    answer: { photoId: "p", txId: "t", status: "pending", montageVersion: null, duplicate: false, sites: acks(["s2"]) },
  });
  assert.equal(items[0]?.phase, "pending");
  items = uploadQueueReducer(items, { type: "transaction", id: "a", transaction: { txId: "t", kind: "add_photo", status: "pending", reason: null, sites: acks(["s2"]) } });
  assert.equal(items[0]?.phase, "pending");
  items = uploadQueueReducer(items, { type: "transaction", id: "a", transaction: { txId: "t", kind: "add_photo", status: "committed", reason: null, sites: acks() } });
  assert.equal(items[0]?.phase, "added");
  assert.deepEqual(items[0]?.sites, acks());
});

test("an aborted transaction is a definite 'not added' with the reason", () => {
  let items = queue(["a", 100]);
  items = uploadQueueReducer(items, {
    type: "answered",
    id: "a",
    answer: { photoId: "p", txId: "t", status: "pending", montageVersion: null, duplicate: false, sites: acks(["s1"]) },
  });
  items = uploadQueueReducer(items, { type: "transaction", id: "a", transaction: { txId: "t", kind: "add_photo", status: "aborted", reason: "a ballot window opened", sites: acks() } });
  assert.equal(items[0]?.phase, "aborted");
  assert.equal(items[0]?.message, "Not added: a ballot window opened");
});

test("a retry keeps the key after no answer and takes a fresh one after a refusal", () => {
  let items = queue(["a", 100], ["b", 100], ["c", 100]);
  items = uploadQueueReducer(items, { type: "failed", id: "a", error: new ApiError({ status: 0, code: "network", message: "offline", definite: false }) });
  items = uploadQueueReducer(items, { type: "failed", id: "b", error: new ApiError({ status: 409, code: "window_open", message: "window open" }) });
  items = uploadQueueReducer(items, { type: "failed", id: "c", error: new ApiError({ status: 415, code: "unsupported_type", message: "not an image" }) });
  assert.deepEqual(
    items.map((i) => [i.phase, i.retryable, i.message]),
    [
      ["failed", true, "offline"],
      ["failed", true, "window open"],
      ["failed", false, "not an image"],
    ],
  );
  items = uploadQueueReducer(items, { type: "retry", id: "a", freshKey: "k2" });
  items = uploadQueueReducer(items, { type: "retry", id: "b", freshKey: "k3" });
  items = uploadQueueReducer(items, { type: "retry", id: "c", freshKey: "k4" });
  assert.deepEqual(
    items.map((i) => [i.phase, i.idempotencyKey]),
    [
      ["queued", "a"],
      ["queued", "k3"],
      ["failed", "c"],
    ],
  );
  items = uploadQueueReducer(items, { type: "dismissed", id: "c" });
  assert.equal(items.length, 2);
});

test("a busy site (503 uploads_busy): the file waits and is sent again by itself with the same key, a bounded number of times", () => {
  const busy = new ApiError({ status: 503, code: "uploads_busy", message: "busy", details: { retryAfterSeconds: 2 } });
  let items = queue(["a", 100]);
  const key = items[0]?.idempotencyKey;
  for (let i = 0; i < MAX_BUSY_RETRIES; i++) {
    items = uploadQueueReducer(items, { type: "started", id: "a" });
    const delay = busyRetryDelayMs(items[0] as UploadItem, busy);
    assert.equal(delay, 2_000);
    items = uploadQueueReducer(items, { type: "busy", id: "a", retryAfterMs: delay ?? 0 });
    assert.equal(items[0]?.phase, "waiting");
    assert.match(items[0]?.message ?? "", /busy .* trying again in 2 s/);
    items = uploadQueueReducer(items, { type: "resume", id: "a" });
    assert.equal(items[0]?.phase, "queued");
    assert.equal(items[0]?.idempotencyKey, key);
  }
  // Enough waiting: the next busy answer is a failure the person can retry.
  assert.equal(busyRetryDelayMs(items[0] as UploadItem, busy), null);
  items = uploadQueueReducer(items, { type: "failed", id: "a", error: busy });
  assert.equal(items[0]?.phase, "failed");
  assert.equal(items[0]?.retryable, true);
  // Other errors are never waited out; a nonsense Retry-After is bounded.
  assert.equal(busyRetryDelayMs(queue(["b", 1])[0] as UploadItem, new ApiError({ status: 503, code: "internal", message: "x" })), null);
  assert.equal(busyRetryDelayMs(queue(["c", 1])[0] as UploadItem, new ApiError({ status: 503, code: "uploads_busy", message: "x", details: { retryAfterSeconds: 9999 } })), 30_000);
  // A resume for a file that is no longer waiting changes nothing.
  assert.deepEqual(uploadQueueReducer(items, { type: "resume", id: "a" }), items);
});
