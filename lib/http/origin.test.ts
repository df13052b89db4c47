import { test } from "node:test";
import assert from "node:assert/strict";
import { isAllowedOrigin } from "./origin";

const allowed = ["https://photos.example", "http://127.0.0.1:8000", "http://127.0.0.1:8001"];

test("origin: no Origin header (a script) passes; a configured origin passes", () => {
  assert.equal(isAllowedOrigin(null, allowed), true);
  assert.equal(isAllowedOrigin("https://photos.example", allowed), true);
  assert.equal(isAllowedOrigin("http://127.0.0.1:8001", allowed), true);
});

test("origin: anything else is refused, whatever Host the request names (DNS rebinding)", () => {
  for (const origin of [
    "null",
    "",
    "http://evil.example",
    "http://evil.example:8000", // a rebinding page: Host would say evil.example:8000 too
    "http://photos.example", // wrong scheme
    "https://photos.example:444",
    "https://photos.example.evil.example",
    "http://127.0.0.1:8002",
    "http://localhost:8000",
    "https://photos.example/", // not a serialised origin
    "https://user@photos.example",
    "HTTPS://PHOTOS.EXAMPLE",
    "file://",
    "javascript:alert(1)",
    "not a url",
  ]) {
    assert.equal(isAllowedOrigin(origin, allowed), false, origin);
  }
});
