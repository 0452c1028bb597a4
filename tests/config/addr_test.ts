import assert from "node:assert/strict";
import {
  formatHostPort,
  isUnspecifiedHost,
  parseHostPort,
} from "../../src/config/mod.ts";

Deno.test("parseHostPort() reads an IPv4 address and port", () => {
  assert.deepEqual(parseHostPort("10.0.0.2:7946"), {
    host: "10.0.0.2",
    port: 7946,
  });
});

Deno.test("parseHostPort() reads DNS names, with or without dots", () => {
  assert.deepEqual(parseHostPort("localhost:80"), {
    host: "localhost",
    port: 80,
  });
  assert.deepEqual(parseHostPort("seed-1.example.internal:7946"), {
    host: "seed-1.example.internal",
    port: 7946,
  });
  assert.deepEqual(parseHostPort("my_service:1"), {
    host: "my_service",
    port: 1,
  });
});

Deno.test("parseHostPort() reads bracketed IPv6 addresses", () => {
  assert.deepEqual(parseHostPort("[::1]:7946"), { host: "::1", port: 7946 });
  assert.deepEqual(parseHostPort("[2001:db8::42]:65535"), {
    host: "2001:db8::42",
    port: 65535,
  });
  assert.deepEqual(parseHostPort("[fe80::1%eth0]:7946"), {
    host: "fe80::1%eth0",
    port: 7946,
  });
  assert.deepEqual(parseHostPort("[::ffff:10.0.0.1]:1"), {
    host: "::ffff:10.0.0.1",
    port: 1,
  });
  assert.deepEqual(parseHostPort("[1:2:3:4:5:6:7:8]:9"), {
    host: "1:2:3:4:5:6:7:8",
    port: 9,
  });
});

Deno.test("parseHostPort() gives a bare host the default port", () => {
  assert.deepEqual(parseHostPort("seed1", 7946), { host: "seed1", port: 7946 });
  assert.deepEqual(parseHostPort("[::1]", 7946), { host: "::1", port: 7946 });
  assert.deepEqual(parseHostPort("10.0.0.1:80", 7946), {
    host: "10.0.0.1",
    port: 80,
  });
});

Deno.test("parseHostPort() accepts port 0 only when told to", () => {
  assert.deepEqual(parseHostPort("0.0.0.0:0", undefined, { allowZero: true }), {
    host: "0.0.0.0",
    port: 0,
  });
  assert.throws(
    () => parseHostPort("0.0.0.0:0"),
    new TypeError(
      '"0.0.0.0:0" is not a valid address: port must be an integer from 1 to 65535',
    ),
  );
});

Deno.test("parseHostPort() refuses ports out of range or not integers", () => {
  for (const s of ["a:65536", "a:99999", "a:-1", "a:1.5", "a:http", "a:"]) {
    assert.throws(() => parseHostPort(s), TypeError, s);
  }
});

Deno.test("parseHostPort() refuses a bare host without a default port", () => {
  assert.throws(
    () => parseHostPort("seed1"),
    new TypeError(
      '"seed1" is not a valid address: missing port (write HOST:PORT)',
    ),
  );
});

Deno.test("parseHostPort() asks for brackets around an IPv6 address", () => {
  assert.throws(
    () => parseHostPort("::1:7946", 7946),
    /put an IPv6 address in brackets/,
  );
});

Deno.test("parseHostPort() refuses hosts that are neither IP nor DNS", () => {
  const bad = [
    "",
    ":7946",
    "1.2.3.256:1",
    "1.2.3:1",
    "bad host:1",
    "-lead.example:1",
    "a..b:1",
    "[::1:1",
    "[nope]:1",
    "[::1]7946",
    "[1::2::3]:1",
  ];
  for (const s of bad) {
    assert.throws(() => parseHostPort(s, 7946), TypeError, s);
  }
});

Deno.test("parseHostPort() errors are one line naming the input", () => {
  try {
    parseHostPort("x:99999");
    assert.fail("no error");
  } catch (err) {
    assert.ok(err instanceof TypeError);
    assert.match(err.message, /^"x:99999" is not a valid address: /);
    assert.equal(err.message.includes("\n"), false);
  }
});

Deno.test("formatHostPort() brackets IPv6 hosts only", () => {
  assert.equal(formatHostPort("10.0.0.1", 7946), "10.0.0.1:7946");
  assert.equal(formatHostPort("seed.local", 1), "seed.local:1");
  assert.equal(formatHostPort("::1", 7946), "[::1]:7946");
  assert.equal(formatHostPort("[::1]", 7946), "[::1]:7946");
});

Deno.test("formatHostPort() and parseHostPort() round-trip", () => {
  for (const s of ["1.2.3.4:5", "[::1]:7946", "a.b:65535", "[fe80::1%en0]:2"]) {
    const { host, port } = parseHostPort(s);
    assert.equal(formatHostPort(host, port), s);
  }
});

Deno.test("isUnspecifiedHost() knows 0.0.0.0 and :: in their forms", () => {
  for (const h of ["0.0.0.0", "::", "0:0:0:0:0:0:0:0", "::0"]) {
    assert.equal(isUnspecifiedHost(h), true, h);
  }
  for (const h of ["127.0.0.1", "::1", "localhost"]) {
    assert.equal(isUnspecifiedHost(h), false, h);
  }
});
