import { test } from "node:test";
import assert from "node:assert/strict";
import type { PhotoView } from "@/lib/api/contract";
import { newlyArrived, wallPhotos } from "./wall-order";

const photo = (n: number, visible = true): PhotoView => ({
  photoId: `ph_${n}`,
  uploaderId: "u_a",
  uploaderName: "Ana",
  originSite: "s0",
  version: n,
  width: 10,
  height: 10,
  createdAt: "2026-12-07T10:00:00.000Z",
  thumbUrl: visible ? `/t/${n}` : null,
  imageUrl: visible ? `/i/${n}` : null,
});

test("wall: the newest visible photos first, bounded", () => {
  assert.deepEqual(wallPhotos([photo(1), photo(3), photo(2, false), photo(4)], 2).map((p) => p.photoId), ["ph_4", "ph_3"]);
  assert.deepEqual(wallPhotos([photo(1, false)], 10), []);
});

test("wall: what arrived since the last look; nothing is 'new' on the first one", () => {
  assert.deepEqual([...newlyArrived(null, [photo(1)])], []);
  assert.deepEqual([...newlyArrived(new Set(["ph_1"]), [photo(2), photo(1)])], ["ph_2"]);
  assert.deepEqual([...newlyArrived(new Set(["ph_1", "ph_2"]), [photo(1)])], []);
});
