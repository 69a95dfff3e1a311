/**
 * The targets of issue 11, judged from a run's results JSON (bench/results/*.json):
 *   node dist/bench/targets.js bench/results/<run>.json
 * Prints a Markdown table: target, setup, measured, met or missed. `npm run bench` appends it to
 * the run's Markdown file too.
 */
import fs from "node:fs";
import { SPACES_PER_SITE } from "./layout";

interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
}
interface Measurement {
  level: string;
  workload: string;
  floor: Load;
  result: Load;
}
interface Setup {
  setup: string;
  rss: Record<string, number | null>;
  measurements: Measurement[];
}
interface Results {
  setups: Setup[];
  floorRss?: Record<string, number | null>;
}

const pct = (m: Measurement) => (100 * m.result.rps) / m.floor.rps;

/** A growth level's divisor, from its label: "100 spaces / 5000 res. (1/20)" → 20. */
const divisorOf = (m: Measurement) =>
  Number(/\(1\/([\d,]+)/.exec(m.level)?.[1].replace(/,/g, "") ?? NaN);
const spacesOf = (m: Measurement) => Number(/^(\d+) spaces/.exec(m.level)?.[1] ?? NaN);

/**
 * The smallest level that asks the same of a read as the full size. Find asks about one site's
 * spaces for an hour: below one full site (SPACES_PER_SITE spaces) it asks about fewer, so those
 * levels say nothing of growth. The others ask the same window at every level (one space's week,
 * a page of one person's reservations, a month per space).
 */
function smallestComparable(workload: string, ms: Measurement[]): Measurement | undefined {
  const comparable = ms.filter(m => workload !== "find" || spacesOf(m) >= SPACES_PER_SITE);
  return comparable.sort((a, b) => divisorOf(b) - divisorOf(a))[0];
}
const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "–");

export function judge(results: Results): string {
  const rows: string[][] = [];
  const add = (target: string, setup: string, measured: string, met: boolean | null) =>
    rows.push([
      target,
      setup,
      measured,
      met === null ? "not measured" : met ? "met" : "**missed**",
    ]);
  const unprofiled = (s: Setup) => s.measurements.filter(m => !m.level.includes("profiled"));
  /** The measurement of a workload at the largest data of the setup (the last one taken). */
  const last = (s: Setup, w: string) =>
    unprofiled(s)
      .filter(m => m.workload === w)
      .pop();
  const embedded = results.setups.find(s => s.setup.startsWith("embedded"));
  const pg = results.setups.find(s => s.setup.includes("PostgreSQL"));

  for (const s of [embedded, pg]) {
    if (!s) continue;
    const m = last(s, "availability");
    if (!m) continue;
    add(
      "availability ≥ 50 % of floor req/s",
      s.setup,
      `${f(pct(m), 1)} % (${m.level})`,
      pct(m) >= 50,
    );
    add("availability p99 < 50 ms", s.setup, `${f(m.result.p99, 1)} ms`, m.result.p99 < 50);
  }
  for (const s of results.setups) {
    const m = last(s, "find");
    if (m) {
      add(
        "find p50 < 100 ms",
        s.setup,
        `${f(m.result.p50, 1)} ms (${m.level})`,
        m.result.p50 < 100,
      );
      add("find p99 < 250 ms", s.setup, `${f(m.result.p99, 1)} ms`, m.result.p99 < 250);
    }
    const c = last(s, "create");
    if (c)
      add("create ≥ 25 % of floor req/s", s.setup, `${f(pct(c), 1)} % (${c.level})`, pct(c) >= 25);
  }
  if (pg) {
    const at = (w: string) =>
      unprofiled(pg).find(m => m.workload === w && m.level.startsWith("100 spaces / 1000 res"));
    const wanted: [string, string, number][] = [
      ["find", "find > 700 req/s", 700],
      ["availability", "one space for a week > 600 req/s", 600],
      ["mine", "my reservations > 380 req/s", 380],
      ["create", "create > 210 req/s", 210],
    ];
    for (const [w, label, min] of wanted) {
      const m = at(w) ?? (w === "create" ? last(pg, "create") : undefined);
      add(
        `FerretDB/PostgreSQL, 100 spaces / 1,000 res., 50 conn.: ${label}`,
        pg.setup,
        m ? `${f(m.result.rps)} req/s (floor ${f(m.floor.rps)}; ${m.level})` : "–",
        m ? m.result.rps > min : null,
      );
    }
  }
  for (const s of results.setups) {
    for (const [name, mb] of Object.entries(s.rss)) {
      if (name.startsWith("ferretdb")) continue;
      add(
        "every process < 150 MB RSS",
        `${s.setup}: ${name}`,
        mb === null ? "–" : `${mb} MB`,
        mb === null ? null : mb < 150,
      );
    }
  }
  if (embedded) {
    for (const w of ["availability", "find", "mine", "report"]) {
      const ms = unprofiled(embedded).filter(m => m.workload === w && m.level.includes("(1/"));
      const full = ms.filter(m => divisorOf(m) === 1).pop();
      const small = smallestComparable(w, ms);
      const name = `growth ${small ? `1/${divisorOf(small).toLocaleString("en")}` : "smallest"} → full < 2× (${w})`;
      if (!small || !full || small === full) {
        add(name, embedded.setup, "–", null);
        continue;
      }
      // Cost per request relative to the floor: floor-normalised throughput and p50. The report
      // is over all spaces, a window that grows with the organisation: its cost is per space.
      const perWindow = w === "report" ? spacesOf(full) / spacesOf(small) : 1;
      const growth = pct(small) / pct(full) / perWindow;
      add(
        name,
        embedded.setup,
        `${f(growth, 1)}× in cost per request${w === "report" ? " per space reported" : ""} (floor-normalised req/s), p50 ${f(small.result.p50, 1)} → ${f(full.result.p50, 1)} ms`,
        growth < 2,
      );
    }
  }
  return [
    "| target | setup | measured | |",
    "| --- | --- | --- | --- |",
    ...rows.map(r => `| ${r.join(" | ")} |`),
  ].join("\n");
}

if (require.main === module) {
  console.log(judge(JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as Results));
}
