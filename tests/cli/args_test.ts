import assert from "node:assert/strict";
import { parseFlags } from "../../src/cli/args.ts";

const SPEC = {
  nodes: { type: "string" as const },
  json: { type: "boolean" as const },
};

Deno.test("command flags: each parse error is one plain line naming the flag", () => {
  const problem = (argv: string[]) => {
    try {
      parseFlags("demo", argv, SPEC);
    } catch (err) {
      return (err as Error).message;
    }
    return "no error";
  };
  assert.equal(problem(["--bogus"]), "demo: unknown flag --bogus");
  assert.equal(problem(["--nodes"]), "demo: flag --nodes needs a value");
  assert.equal(
    problem(["--nodes", "-3"]),
    'demo: flag --nodes needs a value; for one that starts with "-", write --nodes=VALUE',
  );
  assert.equal(parseFlags("demo", ["--nodes=-3"], SPEC).values.nodes, "-3");
  for (const argv of [["--bogus"], ["--nodes"], ["--nodes", "-3"], ["x"]]) {
    assert.ok(!problem(argv).includes("\n"), argv.join(" "));
  }
});
