/**
 * Builds the single-file rads-node binary with `bun build --compile`, which
 * works offline (Bun comes from the npm registry, pinned).
 *
 *   deno task compile:bun                # dist/rads-node for this machine
 *   deno task compile:bun --all          # plus linux x64/arm64, glibc/musl
 *   deno task compile:bun --target bun-linux-arm64 --out dist/rads-node-arm64
 *
 * Bun does not read deno.json, so the sources are copied to a scratch
 * folder with a package.json made from deno.json's npm imports (same pinned
 * versions) and the commit written into src/_build_info.ts.
 *
 * @module
 */

import { scriptFlags } from "./lib/script_args.ts";

const USAGE_COMPILE_BUN =
  `Builds the single-file rads-node binary with \`bun build --compile\`, which
works offline (Bun comes from the npm registry, pinned).

  deno task compile:bun                # dist/rads-node for this machine
  deno task compile:bun --all          # plus linux x64/arm64, glibc/musl
  deno task compile:bun --target bun-linux-arm64 --out dist/rads-node-arm64

Bun does not read deno.json, so the sources are copied to a scratch
folder with a package.json made from deno.json's npm imports (same pinned
versions) and the commit written into src/_build_info.ts.
`;

const BUN = ["npx", "-y", "bun@1.4.5"];

/** Cross targets built by --all, and the file each goes to. */
const ALL_TARGETS: Record<string, string> = {
  "bun-linux-x64": "dist/rads-node-linux-x64",
  "bun-linux-arm64": "dist/rads-node-linux-arm64",
  "bun-linux-x64-musl": "dist/rads-node-linux-x64-musl",
  "bun-linux-arm64-musl": "dist/rads-node-linux-arm64-musl",
};

const values = scriptFlags("compile_bun", USAGE_COMPILE_BUN, {
  all: { type: "boolean" },
  target: { type: "string" },
  out: { type: "string", default: "dist/rads-node" },
});

const root = new URL("..", import.meta.url).pathname;

async function run(cmd: string[], cwd: string): Promise<string> {
  const out = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr);
    throw new Error(`${cmd.join(" ")} failed:\n${text}${err}`);
  }
  return text;
}

/** package.json dependencies from deno.json's `npm:` imports. */
function dependencies(): Record<string, string> {
  const deno = JSON.parse(Deno.readTextFileSync(`${root}/deno.json`));
  const deps: Record<string, string> = {};
  for (const spec of Object.values(deno.imports as Record<string, string>)) {
    const m = spec.match(/^npm:(@?[^@]+)@(.+)$/);
    if (m) deps[m[1]] = m[2];
  }
  return deps;
}

async function commit(): Promise<string> {
  try {
    return (await run(["git", "rev-parse", "--short", "HEAD"], root)).trim();
  } catch {
    return "unknown";
  }
}

async function stage(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "rads-build-" });
  await run(["cp", "-r", `${root}/src`, `${root}/main.ts`, dir], root);
  await Deno.writeTextFile(
    `${dir}/package.json`,
    JSON.stringify({ private: true, dependencies: dependencies() }, null, 2),
  );
  await Deno.writeTextFile(
    `${dir}/src/_build_info.ts`,
    `/** Written by scripts/compile_bun.ts. */\n` +
      `export const COMMIT = ${JSON.stringify(await commit())};\n`,
  );
  await run([...BUN, "install", "--silent"], dir);
  return dir;
}

async function build(dir: string, target: string | undefined, out: string) {
  const outfile = out.startsWith("/") ? out : `${root}/${out}`;
  await Deno.mkdir(outfile.replace(/\/[^/]+$/, ""), { recursive: true });
  const args = [
    ...BUN,
    "build",
    "--compile",
    "--minify",
    ...(target ? [`--target=${target}`] : []),
    "main.ts",
    "--outfile",
    outfile,
  ];
  await run(args, dir);
  const size = (await Deno.stat(outfile)).size;
  console.log(
    `built ${out} (${target ?? "this machine"}, ${
      (size / 2 ** 20).toFixed(1)
    } MiB)`,
  );
}

if (import.meta.main) {
  const dir = await stage();
  try {
    await build(dir, values.target, values.out!);
    if (values.all) {
      for (const [target, out] of Object.entries(ALL_TARGETS)) {
        await build(dir, target, out);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
