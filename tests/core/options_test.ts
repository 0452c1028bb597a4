import assert from "node:assert/strict";
import {
  defaultCoreOptions,
  lanProfile,
  pushPullScale,
  scaledTimings,
} from "../../src/core/options.ts";

Deno.test("push-pull scales like memberlist's: one more step per doubling above 32", () => {
  const cases: [number, number][] = [
    [1, 1],
    [32, 1],
    [33, 2],
    [64, 2],
    [65, 3],
    [128, 3],
    [1000, 6],
    [10_000, 10],
  ];
  for (const [n, scale] of cases) {
    assert.equal(pushPullScale(n), scale, `n=${n}`);
  }
  assert.equal(scaledTimings(lanProfile(), 50).pushPullIntervalMs, 60_000);
  assert.equal(
    scaledTimings(defaultCoreOptions(), 5).pushPullIntervalMs,
    30_000,
  );
});

Deno.test("suspicion timeouts follow the LAN profile's formula", () => {
  // 4 x max(1, log10 n) x 1 s, up to 6 times that, 2 confirmations.
  const t5 = scaledTimings(lanProfile(), 5);
  assert.equal(t5.suspicionMinMs, 4000);
  assert.equal(t5.suspicionMaxMs, 24_000);
  assert.equal(t5.expectedConfirmations, 2);
  const t100 = scaledTimings(lanProfile(), 100);
  assert.equal(t100.suspicionMinMs, 8000);
  assert.equal(t100.retransmitLimit, 4 * 3);
});
