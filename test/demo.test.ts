import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";

/** `npm run demo` is the newcomer's first look: it must keep working, every step of it. */
test("npm run demo: every step answers, the security steps show what they promise", async () => {
  const root = join(import.meta.dirname, "..");
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, "scripts/demo.ts")], { cwd: root, timeout: 60_000 });
  for (const said of ["Hello from the demo", "Translate me through Chat", "Hello Claude", "Native passthrough"]) assert.match(stdout, new RegExp(`You said: ${said}`));
  assert.match(stdout, /finish_reason=stop, tool_calls=0\n\s+Portcullis blocked a call of the tool "send_email"/);
  assert.match(stdout, /"content":"Is \[SECRET_1\] a valid key\? Mail \[EMAIL_1\]"/);
  assert.match(stdout, /You said: Is sk-proj-\S+ a valid key\? Mail jane\.doe@example\.com/);
  assert.match(stdout, /429 retry-after=\d+s: 429 Rate limit 'externalAgent\.demo-agent\.requests\.minute' reached/);
  assert.match(stdout, /interaction log \(1[01] rows\)/);
});
