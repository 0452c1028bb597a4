import assert from "node:assert/strict";
import { runSoak } from "../../src/sim/soak.ts";

// Before a suspect answered its accusers directly, these seeds gave a
// false dead within these minutes (about one 10-minute soak in three did).
Deno.test("no live member is declared dead in simulated minutes at 10 % loss, N = 100", () => {
  for (const [seed, minutes] of [[15, 3], [19, 5]]) {
    const r = runSoak({
      nodes: 100,
      loss: 0.1,
      minutes,
      profile: "default",
      seed,
    });
    // The loss does cause false suspicions; each must be refuted in time.
    assert.ok(
      r.falseSuspectEvents > 0,
      "no suspicion at all: loss not applied?",
    );
    assert.equal(r.falseDeadEvents, 0, `seed ${seed}`);
  }
});
