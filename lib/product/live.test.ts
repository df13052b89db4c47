import { test } from "node:test";
import assert from "node:assert/strict";
import { AppError } from "@/lib/errors";
import { LiveBus } from "./live";

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const text = (frame: Uint8Array) => new TextDecoder().decode(frame);

test("a change is serialised once and the same bytes reach every open page of that event only", async () => {
  const bus = new LiveBus();
  const party: Uint8Array[][] = Array.from({ length: 200 }, () => []);
  const other: Uint8Array[] = [];
  const unsubscribes = party.map((frames) => bus.subscribe("ev_party", (f) => frames.push(f)));
  bus.subscribe("ev_other", (f) => other.push(f));

  bus.notify("ev_party", "photo");
  bus.notify("ev_party", "ballot"); // the same turn: one notice
  await turn();

  assert.equal(bus.framesEncoded, 1);
  for (const frames of party) assert.equal(frames.length, 1);
  const first = party[0]?.[0];
  assert.ok(first);
  assert.ok(party.every((frames) => frames[0] === first), "one buffer, not one per page");
  assert.equal(text(first), 'data: {"type":"changed","eventId":"ev_party","reason":"ballot"}\n\n');
  assert.deepEqual(other, []);

  // A page that left gets nothing more; the count goes down with it.
  unsubscribes[0]?.();
  unsubscribes[0]?.(); // twice is once
  assert.equal(bus.openStreams, 200);
  bus.notify("ev_party", "photo");
  await turn();
  assert.equal(party[0]?.length, 1);
  assert.equal(party[1]?.length, 2);
  for (const u of unsubscribes) u();
});

test("a site holds at most its maximum of streams, and one more is refused with too_many_streams", () => {
  const bus = new LiveBus({ maxStreams: 2 });
  const a = bus.subscribe("ev_a", () => {});
  bus.subscribe("ev_b", () => {});
  assert.throws(() => bus.subscribe("ev_a", () => {}), (e) => e instanceof AppError && e.code === "too_many_streams");
  a();
  const c = bus.subscribe("ev_a", () => {});
  assert.equal(bus.openStreams, 2);
  c();
});

test("one keepalive timer serves every stream, and none runs without a stream", async () => {
  const bus = new LiveBus({ keepaliveMs: 5 });
  const frames: string[] = [];
  const stop = [bus.subscribe("ev_a", (f) => frames.push(text(f))), bus.subscribe("ev_b", (f) => frames.push(text(f)))];
  while (frames.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(frames.every((f) => f === ": keepalive\n\n"));
  for (const s of stop) s();
  const seen = frames.length;
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(frames.length, seen);
});
