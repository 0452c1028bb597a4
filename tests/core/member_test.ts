import assert from "node:assert/strict";
import fc from "fast-check";
import {
  MEMBER_STATES,
  type MemberState,
  supersedes,
} from "../../src/core/member.ts";

const at = (incarnation: number, state: MemberState) => ({
  incarnation,
  state,
});

Deno.test("supersedes() accepts anything about an unknown member", () => {
  assert.equal(supersedes(at(0, "dead"), undefined), true);
});

Deno.test("supersedes() lets a higher incarnation win in any state", () => {
  for (const from of MEMBER_STATES) {
    for (const to of MEMBER_STATES) {
      assert.equal(supersedes(at(5, to), at(4, from)), true, `${from}->${to}`);
      assert.equal(supersedes(at(3, to), at(4, from)), false, `${from}->${to}`);
    }
  }
});

Deno.test("supersedes() at an equal incarnation: suspect beats alive", () => {
  assert.equal(supersedes(at(2, "suspect"), at(2, "alive")), true);
  assert.equal(supersedes(at(2, "alive"), at(2, "suspect")), false);
});

Deno.test("supersedes() at an equal incarnation: dead and left beat both", () => {
  for (const down of ["dead", "left"] as const) {
    assert.equal(supersedes(at(2, down), at(2, "alive")), true);
    assert.equal(supersedes(at(2, down), at(2, "suspect")), true);
    assert.equal(supersedes(at(2, "alive"), at(2, down)), false);
    assert.equal(supersedes(at(2, "suspect"), at(2, down)), false);
  }
});

Deno.test("supersedes() never lets a failure overwrite a graceful leave", () => {
  assert.equal(supersedes(at(2, "dead"), at(2, "left")), false);
  assert.equal(supersedes(at(2, "left"), at(2, "dead")), true);
});

Deno.test("supersedes() ignores a repeat of what is already known", () => {
  for (const s of MEMBER_STATES) {
    assert.equal(supersedes(at(7, s), at(7, s)), false);
  }
});

Deno.test("supersedes() orders reports totally, so all nodes agree", () => {
  const report = fc.record({
    incarnation: fc.integer({ min: 0, max: 5 }),
    state: fc.constantFrom(...MEMBER_STATES),
  });
  // Whatever order reports arrive in, the survivor is the same one: the
  // maximum under (incarnation, rank).
  fc.assert(
    fc.property(fc.array(report, { minLength: 1, maxLength: 8 }), (rs) => {
      const fold = (list: typeof rs) =>
        list.reduce((cur, r) => supersedes(r, cur) ? r : cur);
      const forward = fold(rs);
      const backward = fold([...rs].reverse());
      assert.deepEqual({ ...forward }, { ...backward });
    }),
  );
});
