// Replays the failing cases of a finished run to record the gateway's full responses (error
// messages included) and its log, which the audit's diff leaves out:
//   node replay.mjs FGA_DIR RUN_DIR MODE
// FGA_DIR is the audit's checkout (with gateways/tributary in it), RUN_DIR the run's folder
// (AUDIT_DIR/runs/MODE, whose logs/ it reads). Per failing suite it starts the gateway once
// more through run.sh, sends each failing query 3 times, and writes RUN_DIR/replay.json.
// Uses the audit's server on AUDIT_PORT, started here if it is not running; run.sh reads
// TRIBUTARY_BIN, TRIBUTARY_PORT and TRIBUTARY_WORK from the environment. Needs Node >= 22.
import { spawn, execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const [fga, runDir, mode] = process.argv.slice(2);
if (!fga || !runDir || !mode) {
  console.error("usage: node replay.mjs FGA_DIR RUN_DIR MODE");
  process.exit(2);
}
const auditPort = process.env.AUDIT_PORT ?? "4200";
const gwPort = process.env.TRIBUTARY_PORT ?? "4455";
const base = `http://localhost:${auditPort}`;
const gql = `http://127.0.0.1:${gwPort}/graphql`;
const adapter = join(fga, "gateways", "tributary");

const suites = JSON.parse(
  execFileSync("node", [join(import.meta.dirname, "summarize.mjs"), join(runDir, "logs"), "--json"], { encoding: "utf8" }),
);
const failing = suites
  .map((s) => ({ id: s.id, idx: s.cases.filter((c) => !c.pass).map((c) => c.index) }))
  .filter((s) => s.idx.length);

async function up(url) {
  try { return (await fetch(url)).ok; } catch { return false; }
}

let server;
if (!(await up(`${base}/_health`))) {
  server = spawn(join(fga, "node_modules", ".bin", "tsx"), ["src/cli.ts", "serve", "--port", auditPort], {
    cwd: fga, stdio: "ignore", detached: true,
  });
  for (let i = 0; i < 100 && !(await up(`${base}/_health`)); i++) await sleep(200);
}

const out = [];
try {
  for (const s of failing) {
    const tests = await (await fetch(`${base}/${s.id}/tests`)).json();
    let log = "";
    const gw = spawn("sh", [join(adapter, "run.sh"), s.id], {
      cwd: adapter,
      env: { ...process.env, TRIBUTARY_MODE: mode, TRIBUTARY_PORT: gwPort, AUDIT_PORT: auditPort },
    });
    gw.stdout.on("data", (d) => (log += d));
    gw.stderr.on("data", (d) => (log += d));
    let ready = false;
    for (let i = 0; i < 75 && !(ready = await up(`http://127.0.0.1:${gwPort}/readyz`)); i++) await sleep(200);
    for (const i of s.idx) {
      const responses = [];
      for (let k = 0; k < 3; k++) {
        try {
          const r = await fetch(gql, {
            method: "POST",
            headers: { accept: "application/json", "content-type": "application/json" },
            body: JSON.stringify({ query: tests[i].query }),
            signal: AbortSignal.timeout(10_000),
          });
          responses.push({ status: r.status, body: await r.text() });
        } catch (e) {
          responses.push({ error: String(e) });
        }
      }
      const same = responses.every((r) => JSON.stringify(r) === JSON.stringify(responses[0]));
      out.push({ suite: s.id, index: i, ready, query: tests[i].query, expected: tests[i].expected,
        received: responses[0], stableOver3: same, allResponses: same ? undefined : responses });
    }
    if (gw.exitCode === null && gw.signalCode === null) {
      gw.kill("SIGTERM");
      await new Promise((r) => gw.once("exit", r));
    }
    const gwLog = log.split("# ---- gateway output ----")[1] ?? log;
    for (const o of out.filter((o) => o.suite === s.id)) o.gatewayLog = gwLog.trim();
    process.stderr.write(`${s.id}: ${s.idx.join(",")} ready=${ready}\n`);
  }
} finally {
  if (server) process.kill(-server.pid, "SIGTERM");
}
writeFileSync(join(runDir, "replay.json"), JSON.stringify(out, null, 2));
console.log(`${out.length} failing cases replayed -> ${join(runDir, "replay.json")}`);
