// Summarizes the audit's per-suite TAP logs (AUDIT_DIR/runs/MODE/logs/SUITE-tests.log):
//   node summarize.mjs LOGDIR [--json]
// Prints the totals (the line "Cases: N passed P failed F (x%)" is for scripts), one line
// of dots per suite (X for a failing case), and every failing case with its query and the
// audit's diff. --json prints the parsed suites instead (replay.mjs reads that).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
const asJson = process.argv.includes("--json");
const suites = [];
for (const f of readdirSync(dir).filter((f) => f.endsWith("-tests.log")).sort((a, b) => a.slice(0, -10).localeCompare(b.slice(0, -10)))) {
  const id = f.slice(0, -"-tests.log".length);
  const lines = readFileSync(join(dir, f), "utf8").split("\n");
  const cases = [];
  const healthFailed = lines.some((l) => l.includes("Health check failed"));
  for (let i = 0; i < lines.length; i++) {
    const m = /^    (not ok|ok) \d+ - (.+)_(\d+)$/.exec(lines[i]);
    if (!m) continue;
    const c = { suite: id, index: Number(m[3]), pass: m[1] === "ok" };
    if (!c.pass) {
      // the assertion's message: query and diff, up to the second diff view
      const start = lines.findIndex((l, j) => j > i && /^      error: /.test(l));
      const out = [];
      if (start > 0) {
        const first = lines[start].replace(/^      error: /, "");
        if (first !== "|-" && first !== "|") out.push(first);
        for (let j = start + 1; j < lines.length; j++) {
          const l = lines[j];
          if (!l.startsWith("        ") && l.trim() !== "") break;
          if (l.includes("+ actual - expected")) break;
          out.push(l.slice(8));
        }
      }
      c.message = out.join("\n").trimEnd();
    }
    cases.push(c);
  }
  suites.push({ id, healthFailed, cases });
}

if (asJson) {
  console.log(JSON.stringify(suites, null, 2));
  process.exit(0);
}

let pass = 0, fail = 0, suitesOk = 0;
for (const s of suites) {
  const p = s.cases.filter((c) => c.pass).length;
  pass += p;
  fail += s.cases.length - p;
  if (p === s.cases.length && s.cases.length) suitesOk++;
}
console.log("## Summary");
console.log(`Cases: ${pass + fail} passed ${pass} failed ${fail} (${((100 * pass) / (pass + fail || 1)).toFixed(2)}%)`);
console.log(`Suites: ${suites.length} fully passing ${suitesOk} with failures ${suites.length - suitesOk}`);
console.log();
for (const s of suites) {
  const dots = s.cases.map((c) => (c.pass ? "." : "X")).join("");
  console.log(`${s.id.padEnd(38)} ${dots || "(no cases ran)"}${s.healthFailed ? "  [health check failed]" : ""}`);
}
console.log();
console.log("## Failing cases");
if (!fail) console.log("(none)");
for (const s of suites)
  for (const c of s.cases.filter((c) => !c.pass)) {
    console.log(`\n### ${s.id} #${c.index}`);
    console.log(c.message);
  }
