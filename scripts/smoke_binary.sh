#!/usr/bin/env bash
# Runs the compiled binary with a PATH that has neither Deno nor Bun:
# version, an agent, members and a graceful leave, all on loopback.
set -euo pipefail
bin=$(realpath "$1")
clean=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp)

if "${clean[@]}" sh -c 'command -v deno || command -v bun'; then
  echo "smoke: deno or bun is still on the clean PATH" >&2
  exit 1
fi

"${clean[@]}" "$bin" version
port=$((40000 + RANDOM % 5000))
"${clean[@]}" "$bin" agent --name smoke --bind "127.0.0.1:$port" \
  --control "127.0.0.1:$((port + 1))" 2>/tmp/smoke-agent.log &
pid=$!
for _ in $(seq 1 50); do
  "${clean[@]}" "$bin" members --control "127.0.0.1:$((port + 1))" \
    >/tmp/smoke-members.txt 2>/dev/null && break
  sleep 0.1
done
grep -q "smoke .*alive" /tmp/smoke-members.txt
"${clean[@]}" "$bin" leave --control "127.0.0.1:$((port + 1))"
wait "$pid"
echo "smoke: ok (agent, members, leave; exit $?)"
