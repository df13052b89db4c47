// Proof that the product simulation bites: every planted bug — the engine's (lib/twopc/sim/
// planted-bugs.ts) and the product's rules and timing (./product-bugs.ts) — is found within a
// bounded number of seeds, and the violation names the guarantee that broke.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PLANTED_BUGS } from "@/lib/twopc/sim/planted-bugs";
import { PRODUCT_BUGS, type ProductBug } from "./product-bugs";
import type { SimBug } from "./product-schedule";
import { runProductRange } from "./run-product-seeds";

const MAX_SEEDS = 300;

const PRODUCT_EXPECTED: Record<ProductBug, RegExp> = {
  "photo-ignores-open-window": /^§4\.4/,
  "ballot-while-prepared": /^§4\.4/,
  "publish-without-every-accept": /^§4\.5/,
  "removal-skipped-at-one-site": /^§4\.7/,
  "removal-keeps-version": /^§4\.7/,
  "decides-before-every-accept": /^§4\.8/,
};

const bugs: Array<[SimBug, RegExp]> = [...PLANTED_BUGS.map((bug): [SimBug, RegExp] => [bug, /./]), ...PRODUCT_BUGS.map((bug): [SimBug, RegExp] => [bug, PRODUCT_EXPECTED[bug]])];

for (const [bug, expected] of bugs) {
  test(`planted bug "${bug}" is found by the product simulation within ${MAX_SEEDS} seeds`, async () => {
    const result = await runProductRange({ from: 1, count: MAX_SEEDS, plantedBug: bug });
    const failure = result.failure ?? assert.fail(`no violation in ${MAX_SEEDS} seeds`);
    const first = failure.violations[0] ?? "";
    assert.match(first, expected, `seed ${failure.seed}: ${first}`);
  });
}
