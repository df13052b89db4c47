import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "./load-config";

const good = {
  SITE_ID: "s1",
  DATA_DIR: "/tmp/x",
  SITES: "s0=http://127.0.0.1:8000, s1=http://127.0.0.1:8001/",
  SITE_SECRET: "x".repeat(32),
  SESSION_PASSWORD: "y".repeat(32),
};

test("a good environment gives the site, its peers and safe defaults", () => {
  const config = loadConfig(good);
  assert.equal(config.siteId, "s1");
  assert.deepEqual(config.peers, [{ siteId: "s0", url: "http://127.0.0.1:8000" }]);
  assert.equal(config.publicUrl, "http://127.0.0.1:8001");
  assert.equal(config.ballotWindowMs, 120_000);
  assert.equal(config.limits.maxPhotoBytes, 20 * 1024 * 1024);
});

test("the bench's engine endpoint is off unless BENCH_ENGINE_ENDPOINT=1", () => {
  assert.equal(loadConfig(good).benchEngineEndpoint, false);
  assert.equal(loadConfig({ ...good, BENCH_ENGINE_ENDPOINT: "0" }).benchEngineEndpoint, false);
  assert.equal(loadConfig({ ...good, BENCH_ENGINE_ENDPOINT: "1" }).benchEngineEndpoint, true);
  assert.throws(() => loadConfig({ ...good, BENCH_ENGINE_ENDPOINT: "yes" }), /BENCH_ENGINE_ENDPOINT is invalid/);
});

const bad: Array<[string, Record<string, string | undefined>, RegExp]> = [
  ["missing secret", { ...good, SITE_SECRET: undefined }, /SITE_SECRET is missing/],
  ["short session password", { ...good, SESSION_PASSWORD: "short" }, /SESSION_PASSWORD is invalid: must be at least 32/],
  ["port out of range", { ...good, PORT: "70000" }, /PORT is invalid/],
  ["non-numeric window", { ...good, BALLOT_WINDOW_MS: "soon" }, /BALLOT_WINDOW_MS is invalid/],
  ["malformed sites", { ...good, SITES: "s0:8000" }, /SITES is invalid/],
  ["duplicate site ids", { ...good, SITES: "s1=http://a:1,s1=http://b:2" }, /lists a site id twice/],
  ["self not listed", { ...good, SITE_ID: "s7" }, /does not list SITE_ID "s7"/],
  ["bad site id", { ...good, SITE_ID: "Site One" }, /SITE_ID is invalid/],
];
for (const [name, env, message] of bad) {
  test(`bad configuration is refused with the variable named: ${name}`, () => {
    assert.throws(() => loadConfig(env), (error: unknown) => error instanceof ConfigError && message.test(error.message));
  });
}
