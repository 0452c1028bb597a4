/**
 * Installs Debian packages the benchmark needs when they are missing and
 * the script runs as root on a machine with apt-get; otherwise says why not.
 *
 * @module
 */

/** Whether `cmd --version`-style probing finds `cmd` on PATH. */
async function hasCommand(cmd: string): Promise<boolean> {
  try {
    const out = await new Deno.Command("sh", {
      args: ["-c", `command -v ${cmd}`],
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success;
  } catch {
    return false;
  }
}

/**
 * Makes sure each command in `commands` (command name -> Debian package)
 * exists, installing the missing packages with apt-get. Returns the
 * commands still missing afterwards, with the reason.
 */
export async function ensureCommands(
  commands: Record<string, string>,
  log: (line: string) => void = (l) => console.error(l),
): Promise<Record<string, string>> {
  const missing: Record<string, string> = {};
  for (const [cmd, pkg] of Object.entries(commands)) {
    if (!(await hasCommand(cmd))) missing[cmd] = pkg;
  }
  const pkgs = [...new Set(Object.values(missing))];
  if (pkgs.length === 0) return {};

  const why: Record<string, string> = {};
  if (Deno.uid() !== 0 || !(await hasCommand("apt-get"))) {
    for (const [cmd, pkg] of Object.entries(missing)) {
      why[cmd] = `not installed (apt-get install -y ${pkg}, as root)`;
    }
    return why;
  }
  log(`installing ${pkgs.join(", ")} with apt-get`);
  const run = async (args: string[]) =>
    (await new Deno.Command("apt-get", {
      args,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
      env: { DEBIAN_FRONTEND: "noninteractive" },
    }).output()).success;
  await run(["update", "-qq"]);
  await run(["install", "-y", "-qq", ...pkgs]);
  for (const [cmd, pkg] of Object.entries(missing)) {
    if (!(await hasCommand(cmd))) {
      why[cmd] = `apt-get install -y ${pkg} did not provide it`;
    }
  }
  return why;
}
