import { test } from "node:test";
import assert from "node:assert/strict";
import { AppError } from "@/lib/errors";
import { multipartFile } from "./multipart-file";

/** A body as browsers and fetch send it (undici's own multipart writer). */
async function encode(form: FormData): Promise<{ body: Uint8Array<ArrayBuffer>; contentType: string }> {
  const response = new Response(form);
  return { body: new Uint8Array(await response.arrayBuffer()), contentType: response.headers.get("content-type") ?? "" };
}

function tricky(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  bytes.set(Buffer.from("\r\n--\r\n\r\n--not-the-boundary\r\n"), 100); // CRLFs and dashes inside the file
  return bytes;
}

test("finds the file field's bytes, as FormData parsing does, without copying", async () => {
  const photo = tricky(300_000);
  const form = new FormData();
  form.append("note", "first a text field");
  form.append("photo", new Blob([photo], { type: "image/jpeg" }), 'my "best"; photo.jpg');
  form.append("after", "and one after");
  const { body, contentType } = await encode(form);
  const found = multipartFile(body, contentType, "photo");
  assert.ok(found);
  assert.deepEqual(Buffer.from(found), Buffer.from(photo));
  assert.equal(found.buffer, body.buffer, "a view into the body");
  const parsed = (await new Response(body, { headers: { "content-type": contentType } }).formData()).get("photo");
  assert.ok(parsed instanceof File);
  assert.deepEqual(Buffer.from(await parsed.arrayBuffer()), Buffer.from(found));
});

test("an empty file is an empty view; a view into a larger buffer works", async () => {
  const form = new FormData();
  form.append("photo", new Blob([]), "empty.jpg");
  const { body, contentType } = await encode(form);
  assert.equal(multipartFile(body, contentType, "photo")?.length, 0);
  const padded = new Uint8Array(body.length + 20);
  padded.set(body, 10);
  assert.equal(multipartFile(padded.subarray(10, 10 + body.length), contentType, "photo")?.length, 0);
});

test("null when there is no such field, or it is text rather than a file", async () => {
  const form = new FormData();
  form.append("photo", "just text");
  form.append("other", new Blob([new Uint8Array([1, 2, 3])]), "x.jpg");
  const { body, contentType } = await encode(form);
  assert.equal(multipartFile(body, contentType, "photo"), null);
  assert.equal(multipartFile(body, contentType, "missing"), null);
  assert.deepEqual([...(multipartFile(body, contentType, "other") ?? [])], [1, 2, 3]);
});

test("a preamble and a quoted boundary are accepted", () => {
  const body = Buffer.from('ignored preamble\r\n--b "q"\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\n\r\nABC\r\n--b "q"--\r\n', "latin1");
  assert.equal(Buffer.from(multipartFile(body, 'multipart/form-data; boundary="b \\"q\\""', "photo") ?? []).toString(), "ABC");
});

test("refuses what is not well-formed multipart", () => {
  const ok = 'Content-Disposition: form-data; name="photo"; filename="a.jpg"\r\n\r\nABC';
  const cases: Array<[string, string]> = [
    ["text/plain", `--b\r\n${ok}\r\n--b--`],
    ["multipart/form-data", `--b\r\n${ok}\r\n--b--`],
    ["multipart/form-data; boundary=b", `no boundary at all`],
    ["multipart/form-data; boundary=b", `--b\r\n${ok}`],
    ["multipart/form-data; boundary=b", `--b\r\nContent-Disposition: form-data; name="photo"`],
    ["multipart/form-data; boundary=b", `--bX\r\n${ok}\r\n--b--`],
  ];
  for (const [contentType, text] of cases) {
    assert.throws(() => multipartFile(Buffer.from(text, "latin1"), contentType, "photo"), (e: unknown) => e instanceof AppError && e.code === "malformed_multipart", `${contentType} | ${text}`);
  }
});
