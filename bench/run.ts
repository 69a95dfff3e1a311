/**
 * The MindSpaces benchmark (issue 11). Every figure is a ratio to the floor (moleculer-web → NATS
 * → a no-op action on a second node, same broker options) measured in the same run, right before
 * each workload, because this machine is shared and noisy.
 *
 *   npm run bench                 the full run (see BENCHMARKS.md for what it takes)
 *   npm run bench -- --quick      small data, short loads: checks that everything works (~2 min)
 *   npm run bench -- --setups embedded --duration 5 --full 200x10000
 *
 * Options: --setups embedded,postgresql,sqlite  --full SPACESxRESERVATIONS (embedded's largest
 * size; growth steps are 1/1000, 1/100, 1/40, 1/10 of it)  --growth 1000,100,40,10,1  --dist
 * SxR[,SxR] (distributed sizes, same reservations per space)  --days N  --duration SECONDS
 * --connections N  --seed-minutes N (per setup; the seeder stops there and says how far it got)
 * --log-level warn  --no-profile  --profile-workloads availability,find,mine  --out bench/results
 * --workloads create,reschedule (only these)  --profile-nodes DIR (distributed: a CPU profile of
 * each node's whole run, seeding included, written into DIR when it stops)
 * --no-pushdown-indexes (FerretDB on PostgreSQL without deploy/ferretdb/pushdown-indexes.sql)
 *
 * Only 127.0.0.1 targets. Everything started (processes, FerretDB, PostgreSQL databases,
 * JetStream streams) is removed at the end, also on failure and on Ctrl-C.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DateTime } from "luxon";
import { ServiceBroker } from "moleculer";
import {
  createSlot,
  rescheduleSlot,
  RESERVATIONS_PER_USER,
  SPACES_PER_SITE,
  siteName,
  ZONE,
  type DataSize,
} from "./layout";
import {
  costPerRequest,
  describeCost,
  settledSnapshot,
  snapshot,
  type CostTarget,
  type RequestCost,
} from "./cost-accounting";
import { runLoad, type LoadResult, type RequestSpec } from "./load";
import { summarise, type ProfileSummary } from "./profile-summary";
import { judge } from "./targets";
import {
  addPushdownIndexes,
  analyzeTables,
  ask,
  cleanup,
  deleteStreams,
  forkNode,
  freePort,
  NATS_URL,
  onCleanup,
  ROOT,
  rssMb,
  startFerret,
  startMindSpaces,
  stopProc,
  waitForMessage,
  waitUntilReady,
  type Proc,
} from "./processes";
import { brokerCall, seed, type SeedState, type SeedStats } from "./seed";

// ---------------------------------------------------------------- options

function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}
function opt(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}
const parseSize = (s: string) => {
  const [spaces, reservations] = s.split("x").map(Number);
  return { spaces, reservations };
};

const quick = flag("quick");
const OPTIONS = {
  quick,
  setups: opt("setups", "embedded,postgresql,sqlite").split(","),
  full: parseSize(opt("full", quick ? "20x1000" : "2000x100000")),
  growth: opt("growth", quick ? "10,1" : "1000,100,40,10,1")
    .split(",")
    .map(Number),
  minUsers: Number(opt("min-users", quick ? "10" : "50")),
  dist: opt("dist", quick ? "10x100" : "100x1000")
    .split(",")
    .map(parseSize),
  days: Number(opt("days", "182")),
  durationMs: Number(opt("duration", quick ? "2" : "10")) * 1000,
  connections: Number(opt("connections", "50")),
  /** The report is heavy: with 50 connections at 1/10 of the data half the requests timed out. */
  reportConnections: Number(opt("report-connections", "5")),
  seedMinutes: Number(opt("seed-minutes", quick ? "3" : "30")),
  logLevel: opt("log-level", "warn"),
  profile: !flag("no-profile"),
  /** FerretDB on PostgreSQL without deploy/ferretdb/pushdown-indexes.sql, to measure its effect. */
  pushdownIndexes: !flag("no-pushdown-indexes"),
  /**
   * FerretDB on PostgreSQL: the planner's statistics refreshed after seeding, as autovacuum does
   * in a deployment (the README's setup keeps it on; this machine's PostgreSQL runs with it off).
   * Off by default, so runs compare with the baselines, which had none (BENCHMARKS.md).
   */
  analyze: flag("analyze"),
  /** The embedded setup's workloads that are measured once more under the CPU profiler. */
  profiled: opt("profile-workloads", "availability,find,mine").split(","),
  /** Distributed: each node writes a CPU profile of its whole run into this folder, at its end. */
  profileNodes: flag("profile-nodes") ? path.resolve(opt("profile-nodes", "")) : null,
  /**
   * Distributed: flags for Node itself on every MindSpaces node (e.g. `--max-semi-space-size=4`),
   * space-separated, to measure what a flag an operator might set costs and saves.
   */
  nodeFlags: flag("node-flags") ? opt("node-flags", "").split(" ").filter(Boolean) : [],
  /** Only these workloads (all when not given). */
  workloads: flag("workloads") ? opt("workloads", "").split(",") : null,
  out: path.resolve(ROOT, opt("out", "bench/results")),
};

const ADMIN = { email: "bench-admin@bench.mindspaces.test", password: "Bench-beheer-2026!x" };
const runName = `msbench-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
const started = new Date();

function log(line: string) {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
}

// ---------------------------------------------------------------- results

interface Measurement {
  setup: string;
  level: string;
  workload: string;
  floor: LoadResult;
  result: LoadResult;
  /** Distributed only: CPU and store writes per request, by who paid them. */
  cost?: RequestCost;
}
/** `process.memoryUsage()` of a node, in MB. */
interface NodeMemory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}
interface SetupReport {
  setup: string;
  seeds: SeedStats[];
  rss: Record<string, number | null>;
  /**
   * Distributed only: what each node's process said of its memory after the run
   * (`$node.health`), so a resident size over the target shows whether V8's heap or the rest
   * (native buffers, the allocator) holds it.
   */
  memory?: Record<string, NodeMemory | null>;
  measurements: Measurement[];
  profiles: Record<string, ProfileSummary & { file: string }>;
  notes: string[];
}
const report = {
  run: runName,
  started: started.toISOString(),
  machine: {
    cpu: os.cpus()[0]?.model ?? "?",
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverageAtStart: os.loadavg().map(n => Math.round(n * 10) / 10),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  },
  options: OPTIONS,
  command: `node ${process.argv
    .slice(1)
    .map(a => path.relative(ROOT, a) || a)
    .join(" ")}`,
  setups: [] as SetupReport[],
  floorRss: {} as Record<string, number | null>,
};

function save() {
  fs.mkdirSync(OPTIONS.out, { recursive: true });
  const base = path.join(
    OPTIONS.out,
    `${quick ? "quick-" : ""}${started.toISOString().replace(/[:.]/g, "-")}`,
  );
  fs.writeFileSync(`${base}.json`, JSON.stringify(report, null, 2));
  fs.writeFileSync(`${base}.md`, renderMarkdown());
  return base;
}

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "–");
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "–");

function renderMarkdown(): string {
  const lines: string[] = [];
  lines.push(
    `Run \`${report.run}\`, ${report.started}, ${report.machine.cpu}, ${report.machine.cores} cores, ${report.machine.memoryGb} GB, Node ${report.machine.node}, load average at start ${report.machine.loadAverageAtStart.join(" / ")}.`,
    "",
  );
  lines.push(`Command: \`${report.command}\``, "");
  for (const s of report.setups) {
    lines.push(`### ${s.setup}`, "");
    for (const seedStats of s.seeds)
      lines.push(
        `- seeded to ${seedStats.size.spaces} spaces / ${seedStats.size.reservations} reservations / ${seedStats.size.users} users: +${seedStats.reservationsAdded} reservations in ${f1(seedStats.seconds)} s (${f0(seedStats.reservationsPerSecond)} reservations/s), ${seedStats.errors} errors${seedStats.complete ? "" : " — **stopped by the time limit**"}${seedStats.firstError ? ` (first: ${seedStats.firstError.slice(0, 120)})` : ""}`,
      );
    for (const note of s.notes) lines.push(`- ${note}`);
    lines.push("");
    lines.push(
      "| data | workload | req/s | floor req/s | ratio | p50 ms | p99 ms | floor p50 / p99 ms | errors / requests |",
    );
    lines.push("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const m of s.measurements) {
      lines.push(
        `| ${m.level} | ${m.workload} | ${f0(m.result.rps)} | ${f0(m.floor.rps)} | ${((m.result.rps / m.floor.rps) * 100).toFixed(1)} % | ${f1(m.result.p50)} | ${f1(m.result.p99)} | ${f1(m.floor.p50)} / ${f1(m.floor.p99)} | ${m.result.errors} / ${m.result.requests}${m.result.firstError ? ` (${m.result.firstError.slice(0, 80).replace(/\|/g, "/")})` : ""} |`,
      );
    }
    const costed = s.measurements.filter(m => m.cost);
    if (costed.length > 0) lines.push("", "What one answered request cost, by who paid it:", "");
    for (const m of costed) lines.push(`- ${m.workload} (${m.level}): ${describeCost(m.cost!)}`);
    lines.push(
      "",
      `RSS after the run (MB): ${Object.entries(s.rss)
        .map(([k, v]) => `${k} ${v ?? "?"}`)
        .join(", ")}`,
      "",
    );
    if (s.memory) {
      lines.push(
        `Heap after the run (MB; \`$node.health\`: RSS, V8 heap total / used, external): ${Object.entries(
          s.memory,
        )
          .map(([k, m]) =>
            m ? `${k} ${m.rss}, ${m.heapTotal} / ${m.heapUsed}, ${m.external}` : `${k} ?`,
          )
          .join("; ")}`,
        "",
      );
    }
    for (const [name, p] of Object.entries(s.profiles)) {
      lines.push(
        `Profile \`${name}\` (${p.busyMs} ms busy, ${p.idlePercent} % idle; \`${path.relative(ROOT, p.file)}\`): modules ${p.modules
          .slice(0, 8)
          .map(m => `${m.module} ${m.selfPercent} %`)
          .join(", ")}.`,
        "",
      );
      lines.push(
        `Top self time: ${p.functions
          .slice(0, 10)
          .map(fn => `\`${fn.name}\` (${fn.where}) ${fn.selfPercent} %`)
          .join("; ")}.`,
        "",
      );
      lines.push(
        `Top inclusive: ${p.inclusive
          .slice(0, 14)
          .map(fn => `\`${fn.name}\` (${fn.where}) ${fn.totalPercent} %`)
          .join("; ")}.`,
        "",
      );
    }
  }
  lines.push("### Targets of issue 11", "", judge(report), "");
  lines.push(
    `Floor processes RSS (MB): ${Object.entries(report.floorRss)
      .map(([k, v]) => `${k} ${v ?? "?"}`)
      .join(", ")}`,
  );
  return lines.join("\n") + "\n";
}

// ---------------------------------------------------------------- the floor

let floorUrl = "";
const floorProcs: Proc[] = [];

async function startFloor() {
  const namespace = `${runName}-floor`;
  onCleanup(async () => void (await deleteStreams(namespace)));
  const port = await freePort();
  const env = { TRANSPORTER: NATS_URL, NAMESPACE: namespace, LOG_LEVEL: OPTIONS.logLevel };
  const noop = forkNode("floor-noop", "bench/floor-node.js", {
    ...env,
    FLOOR_ROLE: "noop",
    NODE_ID: "floor-noop",
  });
  const gateway = forkNode("floor-gateway", "bench/floor-node.js", {
    ...env,
    FLOOR_ROLE: "gateway",
    NODE_ID: "floor-gateway",
    PORT: String(port),
  });
  floorProcs.push(noop, gateway);
  await Promise.all(
    [noop, gateway].map(p => waitForMessage<{ ready?: boolean }>(p, m => m.ready === true, 60_000)),
  );
  floorUrl = `http://127.0.0.1:${port}`;
  log(`floor up on ${floorUrl}`);
}

function measureFloor(): Promise<LoadResult> {
  return runLoad({
    baseUrl: floorUrl,
    connections: OPTIONS.connections,
    durationMs: OPTIONS.durationMs,
    next: () => ({ method: "GET", path: "/api/noop" }),
  });
}

// ---------------------------------------------------------------- workloads

interface Target {
  baseUrl: string;
  state: SeedState;
  size: DataSize;
  /** The processes (and store) whose cost per request is counted; distributed only. */
  cost?: CostTarget;
}

type Workload = (t: Target) => {
  next: (conn: number, n: number) => RequestSpec | null;
  onResponse?: (conn: number, spec: RequestSpec, status: number, body: string) => void;
  ok?: (status: number) => boolean;
};

const rand = (n: number) => Math.floor(Math.random() * n);

function weeks(days: string[]): string[] {
  // Mondays of whole weeks inside the seeded days.
  return days.filter(d => DateTime.fromISO(d, { zone: ZONE }).weekday === 1);
}

const sessionOf = (t: Target, conn: number) => t.state.users[conn % t.state.users.length];

/** Per run: what the create workload made, for reschedule to move (owner = the connection's user). */
const created = new Map<number, { id: string; space: number }[]>();
let createCounter = 0;
const rescheduleCounters = new Map<number, number>();

const WORKLOADS: Record<string, Workload> = {
  availability: t => {
    const mondays = weeks(t.state.days);
    return {
      next: conn => {
        const monday = mondays[rand(mondays.length)];
        const to = DateTime.fromISO(monday, { zone: ZONE }).plus({ days: 7 }).toISODate();
        return {
          method: "GET",
          path: `/api/spaces/${t.state.spaceIds[rand(t.state.spaceIds.length)]}/availability?from=${monday}&to=${to}`,
          token: sessionOf(t, conn).token,
        };
      },
    };
  },
  find: t => {
    const sites = Math.ceil(t.state.spaceIds.length / SPACES_PER_SITE);
    return {
      next: conn => {
        const day = t.state.days[rand(t.state.days.length)];
        const q = new URLSearchParams({
          site: siteName(rand(sites)),
          minCapacity: String([2, 4, 6, 8][rand(4)]),
          equipment: ["beamer", "whiteboard", "screen"][rand(3)],
          from: `${day}T10:00`,
          to: `${day}T11:00`,
        });
        return { method: "GET", path: `/api/spaces?${q}`, token: sessionOf(t, conn).token };
      },
    };
  },
  mine: t => ({
    next: conn => ({
      method: "GET",
      path: `/api/reservations?from=${encodeURIComponent(new Date().toISOString())}&pageSize=100`,
      token: sessionOf(t, conn).token,
    }),
  }),
  report: t => {
    const first = DateTime.fromISO(t.state.days[0], { zone: ZONE })
      .plus({ months: 1 })
      .startOf("month");
    const path = `/api/reports/utilization?from=${first.toISODate()}&to=${first.plus({ months: 1 }).toISODate()}&groupBy=space`;
    return { next: () => ({ method: "GET", path, token: t.state.admin.token }) };
  },
  create: t => ({
    next: conn => {
      const slot = createSlot(t.state.days, t.state.spaceIds.length, createCounter++);
      if (!slot) return null;
      return {
        method: "POST",
        path: "/api/reservations",
        token: sessionOf(t, conn).token,
        body: {
          spaceId: t.state.spaceIds[slot.space],
          start: slot.start,
          end: slot.end,
          title: "bench",
        },
        headers: { "x-bench-space": String(slot.space) },
      };
    },
    onResponse: (conn, spec, status, body) => {
      if (status !== 201) return;
      const list = created.get(conn) ?? [];
      list.push({
        id: (JSON.parse(body) as { id: string }).id,
        space: Number(spec.headers!["x-bench-space"]),
      });
      created.set(conn, list);
    },
  }),
  reschedule: t => ({
    next: (conn, n) => {
      const list = created.get(conn) ?? [];
      if (list.length === 0) return null;
      const r = list[n % list.length];
      const k = rescheduleCounters.get(r.space) ?? 0;
      rescheduleCounters.set(r.space, k + 1);
      const slot = rescheduleSlot(t.state.days, k);
      if (!slot) return null;
      return {
        method: "PATCH",
        path: `/api/reservations/${r.id}`,
        token: sessionOf(t, conn).token,
        body: slot,
      };
    },
  }),
};

async function measure(
  setup: SetupReport,
  level: string,
  name: string,
  target: Target,
  before?: () => Promise<void>,
  after?: () => Promise<void>,
) {
  const floor = await measureFloor();
  const w = WORKLOADS[name](target);
  await before?.();
  const quietMs = await quietProbeMs(target);
  const costBefore = target.cost ? snapshot(target.cost) : null;
  const result = await runLoad({
    baseUrl: target.baseUrl,
    connections: name === "report" ? OPTIONS.reportConnections : OPTIONS.connections,
    durationMs: OPTIONS.durationMs,
    timeoutMs: name === "report" ? 120_000 : 30_000,
    ...w,
  });
  const answeredAt = Date.now();
  // Before anything else asks the server: what the requests left behind is counted, nothing more.
  const cost =
    target.cost && costBefore
      ? costPerRequest(
          costBefore,
          await settledSnapshot(target.cost, answeredAt),
          result.requests - result.errors,
        )
      : undefined;
  await after?.();
  // Requests a client gave up on may still run on the server: wait for it to be idle again, so
  // one workload's backlog does not slow the next.
  const settled = await settle(target, quietMs);
  if (settled > 2)
    setup.notes.push(`after ${name} at ${level} the server took ${f1(settled)} s to become idle`);
  if (cost) log(`${setup.setup} ${level} ${name} cost: ${describeCost(cost)}`);
  setup.measurements.push({ setup: setup.setup, level, workload: name, floor, result, cost });
  log(
    `${setup.setup} ${level} ${name}: ${f0(result.rps)} req/s (floor ${f0(floor.rps)}, ${((result.rps / floor.rps) * 100).toFixed(1)} %), p50 ${f1(result.p50)} ms, p99 ${f1(result.p99)} ms, errors ${result.errors}/${result.requests}${result.firstError ? ` first: ${result.firstError.slice(0, 200)}` : ""}`,
  );
  save();
}

/** How long the cheap read of `settle` takes, in ms (whatever it answers), or null when it is refused or times out. */
async function probeMs(target: Target): Promise<number | null> {
  const t = Date.now();
  try {
    const res = await fetch(`${target.baseUrl}/api/reservations?pageSize=1`, {
      headers: { authorization: `Bearer ${target.state.users[0].token}` },
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer();
    return Date.now() - t;
  } catch {
    return null;
  }
}

/** The cheap read's time on the quiet server before a workload: the middle of three. */
async function quietProbeMs(target: Target): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) times.push((await probeMs(target)) ?? 30_000);
  return times.sort((a, b) => a - b)[1];
}

/**
 * Seconds until the cheap read answers 3 times in a row within 100 ms or within twice its time
 * before the workload, whichever is longer (at most 180 s): on FerretDB/SQLite even a quiet
 * server takes longer than 100 ms for it (it reads the whole collection), and every workload
 * waited the full 180 s.
 */
async function settle(target: Target, quietMs: number): Promise<number> {
  const t0 = Date.now();
  const fastEnough = Math.max(100, 2 * quietMs);
  let fast = 0;
  while (fast < 3 && Date.now() - t0 < 180_000) {
    const ms = await probeMs(target);
    fast = ms !== null && ms < fastEnough ? fast + 1 : 0;
    if (fast < 3) await new Promise(r => setTimeout(r, 200));
  }
  return (Date.now() - t0) / 1000;
}

/** `--workloads` keeps only those named (reschedule moves what create made, so needs it). */
const chosen = (names: string[]) =>
  OPTIONS.workloads ? names.filter(name => OPTIONS.workloads!.includes(name)) : names;
const READS = chosen(["availability", "find", "mine", "report"]);
const WRITES = chosen(["create", "reschedule"]);

/** Waits until the reports read model holds every seeded reservation (events are asynchronous). */
async function waitForReports(target: Target, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const from = target.state.days[0];
  const to = DateTime.fromISO(from, { zone: ZONE })
    .plus({ days: Math.min(OPTIONS.days + 7, 365) })
    .toISODate();
  let seen = -1;
  while (Date.now() < deadline) {
    const res = await fetch(
      `${target.baseUrl}/api/reports/utilization?from=${from}&to=${to}&groupBy=location`,
      {
        headers: { authorization: `Bearer ${target.state.admin.token}` },
      },
    );
    if (res.ok) {
      const body = (await res.json()) as { rows: { reservations: number }[] };
      seen = body.rows.reduce((sum, r) => sum + r.reservations, 0);
      if (seen >= target.state.reservations)
        return `reports read model caught up (${seen} reservations)`;
    }
    await new Promise(r => setTimeout(r, 2000));
  }
  return `reports read model NOT caught up within ${timeoutMs / 1000} s (${seen} of ${target.state.reservations})`;
}

/** The distributed sizes: at least `--min-users` people (50, as the peer was measured). */
const usersFor = (reservations: number) =>
  Math.max(OPTIONS.minUsers, Math.round(reservations / RESERVATIONS_PER_USER));

/**
 * The embedded growth levels: the same reservations per person at every level, so "my
 * reservations" asks for the same page (100 of a person's 100–200) at 1/1,000 as at full size.
 * With a floor of 50 people, a person had 2 at 1/1,000 and 200 at full: the ask grew with the data.
 */
const growthUsersFor = (reservations: number) =>
  Math.max(1, Math.round(reservations / RESERVATIONS_PER_USER));

// ---------------------------------------------------------------- setups

async function embedded(): Promise<SetupReport> {
  const setup: SetupReport = {
    setup: "embedded (one process, NeDB)",
    seeds: [],
    rss: {},
    measurements: [],
    profiles: {},
    notes: [],
  };
  report.setups.push(setup);
  const port = await freePort();
  const node = forkNode("embedded", "bench/embedded-node.js", {
    PORT: String(port),
    LOG_LEVEL: OPTIONS.logLevel,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    AUTH_RATE_LIMIT: "100000",
  });
  await waitForMessage<{ ready?: boolean }>(node, m => m.ready === true, 60_000);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilReady(baseUrl, [node]);
  let state: SeedState | undefined;
  const seedDeadline = Date.now() + OPTIONS.seedMinutes * 60_000;
  let size: DataSize | undefined;
  for (const divisor of OPTIONS.growth) {
    const want: DataSize = {
      spaces: Math.max(1, Math.round(OPTIONS.full.spaces / divisor)),
      reservations: Math.max(1, Math.round(OPTIONS.full.reservations / divisor)),
      users: growthUsersFor(OPTIONS.full.reservations / divisor),
      days: OPTIONS.days,
    };
    const left = seedDeadline - Date.now();
    if (left <= 0) {
      setup.notes.push(
        `level 1/${divisor} skipped: the seeding time limit (${OPTIONS.seedMinutes} min) was used up`,
      );
      break;
    }
    log(`embedded: seeding to ${want.spaces} spaces / ${want.reservations} reservations`);
    const { state: next, stats } = await ask<{ state: SeedState; stats: SeedStats }>(
      node,
      {
        type: "seed",
        size: want,
        previous: state,
        options: {
          adminEmail: ADMIN.email,
          adminPassword: ADMIN.password,
          concurrency: 8,
          timeLimitMs: left,
        },
      },
      left + 120_000,
    );
    state = next;
    size = want;
    setup.seeds.push(stats);
    const level = `${state.spaceIds.length} spaces / ${state.reservations} res. (1/${divisor}${stats.complete ? "" : ", incomplete"})`;
    const target = { baseUrl, state, size };
    setup.notes.push(`${level}: ${await waitForReports(target, 120_000)}`);
    for (const w of READS) await measure(setup, level, w, target);
    if (!stats.complete) {
      setup.notes.push(
        `seeding stopped by its time limit at 1/${divisor}; larger levels not measured`,
      );
      break;
    }
  }
  if (state && size) {
    const target = { baseUrl, state, size };
    const level = `${state.spaceIds.length} spaces / ${state.reservations} res.`;
    for (const w of WRITES) await measure(setup, level, w, target);
    if (OPTIONS.profile) {
      for (const w of OPTIONS.profiled) {
        const file = path.join(
          OPTIONS.out,
          `${quick ? "quick-" : ""}${runName}-embedded-${w}.cpuprofile`,
        );
        fs.mkdirSync(OPTIONS.out, { recursive: true });
        await measure(
          setup,
          `${level}, profiled`,
          w,
          target,
          async () => void (await ask(node, { type: "profile-start" }, 30_000)),
          async () => void (await ask(node, { type: "profile-stop", file }, 60_000)),
        );
        setup.profiles[w] = { ...summarise(JSON.parse(fs.readFileSync(file, "utf8"))), file };
        save();
      }
    }
  }
  setup.rss = { embedded: rssMb(node.child.pid) };
  await stopProc(node);
  return setup;
}

/** The MongoDB database of the distributed setups (a PostgreSQL schema on FerretDB). */
const DATABASE = "mindspaces_bench";

async function distributed(backend: "postgresql" | "sqlite"): Promise<SetupReport> {
  const setup: SetupReport = {
    setup: `distributed, FerretDB 1.24 on ${backend === "postgresql" ? "PostgreSQL" : "SQLite"}`,
    seeds: [],
    rss: {},
    measurements: [],
    profiles: {},
    notes: [],
  };
  report.setups.push(setup);
  const namespace = `${runName}-${backend}`;
  onCleanup(async () => void (await deleteStreams(namespace)));
  const ferret = await startFerret(backend, `${runName}-${backend}`);
  const port = await freePort();
  const shared = {
    TRANSPORTER: NATS_URL,
    NAMESPACE: namespace,
    JWT_SECRET: randomBytes(48).toString("base64url"),
    MONGO_URI: `${ferret.url}/${DATABASE}`,
    LOG_LEVEL: OPTIONS.logLevel,
  };
  // Every node as an operator starts it, each with its CPU profile when --profile-nodes asks.
  // Its node ID is kept to ask it for its memory after the run.
  const nodeIds: Record<string, string> = {};
  const node = (name: string, env: Record<string, string> & { NODE_ID: string }) => {
    nodeIds[name] = env.NODE_ID;
    return startMindSpaces(name, { ...shared, ...env }, [
      ...OPTIONS.nodeFlags,
      ...(OPTIONS.profileNodes
        ? ["--cpu-prof", `--cpu-prof-dir=${path.join(OPTIONS.profileNodes, name)}`]
        : []),
    ]);
  };
  const nodes = {
    "users+spaces": node("users+spaces", {
      SERVICES: "users,spaces",
      NODE_ID: "users-spaces-1",
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    }),
    reservations: node("reservations", { SERVICES: "reservations", NODE_ID: "reservations-1" }),
    "notifications+reports": node("notifications+reports", {
      SERVICES: "notifications,reports",
      NODE_ID: "notifications-reports-1",
    }),
    api: node("api", {
      SERVICES: "api",
      NODE_ID: "api-1",
      PORT: String(port),
      AUTH_RATE_LIMIT: "100000",
    }),
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilReady(baseUrl, Object.values(nodes), 90_000);
  if (ferret.postgresUrl && OPTIONS.pushdownIndexes) {
    // The services have declared their indexes; the operator's step of a FerretDB deployment.
    addPushdownIndexes(ferret.postgresUrl, DATABASE);
    setup.notes.push("deploy/ferretdb/pushdown-indexes.sql applied after the services started");
  } else if (ferret.postgresUrl) {
    setup.notes.push("without deploy/ferretdb/pushdown-indexes.sql (--no-pushdown-indexes)");
  }
  const costTarget: CostTarget = {
    pids: {
      ...Object.fromEntries(Object.entries(nodes).map(([name, p]) => [name, p.child.pid])),
      ferretdb: ferret.proc.child.pid,
    },
    store: ferret.postgresUrl ? { postgresUrl: ferret.postgresUrl, schema: DATABASE } : null,
  };
  const broker = new ServiceBroker({
    namespace,
    nodeID: `bench-seeder-${process.pid}`,
    transporter: NATS_URL as never,
    serializer: "JSON",
    logger: false,
    requestTimeout: 60_000,
    // Moleculer's own Ctrl-C handler stops the broker and exits the process, which cut off this
    // run's cleanup and left its PostgreSQL database behind; the run's own handler cleans up and
    // then exits.
    skipProcessEventRegistration: true,
  });
  await broker.start();
  try {
    await broker.waitForServices(["users", "spaces", "reservations"], 60_000);
    // The admin is made by users at start; it may need a moment.
    let state: SeedState | undefined;
    let size: DataSize | undefined;
    const seedDeadline = Date.now() + OPTIONS.seedMinutes * 60_000;
    for (const want0 of OPTIONS.dist) {
      const want: DataSize = { ...want0, users: usersFor(want0.reservations), days: OPTIONS.days };
      const left = seedDeadline - Date.now();
      if (left <= 0) {
        setup.notes.push(`${want.spaces}x${want.reservations} skipped: seeding time limit used up`);
        break;
      }
      log(`${backend}: seeding to ${want.spaces} spaces / ${want.reservations} reservations`);
      const result = await seed(
        brokerCall(broker),
        want,
        {
          adminEmail: ADMIN.email,
          adminPassword: ADMIN.password,
          concurrency: 16,
          timeLimitMs: left,
          log: l => log(`${backend} seed: ${l}`),
        },
        state,
      );
      state = result.state;
      size = want;
      setup.seeds.push(result.stats);
      const level = `${state.spaceIds.length} spaces / ${state.reservations} res.${result.stats.complete ? "" : " (incomplete)"}`;
      const target = { baseUrl, state, size, cost: costTarget };
      setup.notes.push(`${level}: ${await waitForReports(target, 300_000)}`);
      if (ferret.postgresUrl && OPTIONS.analyze) {
        const tables = analyzeTables(ferret.postgresUrl, DATABASE);
        setup.notes.push(
          `${level}: VACUUM ANALYZE of ${tables} tables after seeding (as autovacuum would)`,
        );
      }
      for (const w of READS) await measure(setup, level, w, target);
      if (!result.stats.complete) break;
    }
    if (state && size) {
      const level = `${state.spaceIds.length} spaces / ${state.reservations} res.`;
      for (const w of WRITES)
        await measure(setup, level, w, { baseUrl, state, size, cost: costTarget });
    }
    setup.memory = await nodeMemory(broker, nodeIds);
  } finally {
    await broker.stop();
  }
  for (const [name, proc] of Object.entries(nodes)) setup.rss[name] = rssMb(proc.child.pid);
  setup.rss[`ferretdb (${backend})`] = rssMb(ferret.proc.child.pid);
  await Promise.all(Object.values(nodes).map(p => stopProc(p)));
  await ferret.stop();
  return setup;
}

/** Each node's `process.memoryUsage()` in MB, as its `$node.health` tells it; null if it did not answer. */
async function nodeMemory(
  broker: ServiceBroker,
  nodeIds: Record<string, string>,
): Promise<Record<string, NodeMemory | null>> {
  const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  const entries = await Promise.all(
    Object.entries(nodeIds).map(async ([name, nodeID]) => {
      try {
        const health = (await broker.call("$node.health", {}, { nodeID, timeout: 10_000 })) as {
          process: { memory: NodeJS.MemoryUsage };
        };
        const m = health.process.memory;
        const memory: NodeMemory = {
          rss: mb(m.rss),
          heapTotal: mb(m.heapTotal),
          heapUsed: mb(m.heapUsed),
          external: mb(m.external),
          arrayBuffers: mb(m.arrayBuffers),
        };
        return [name, memory] as const;
      } catch {
        return [name, null] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}

// ---------------------------------------------------------------- main

async function main() {
  if (!fs.existsSync(path.join(ROOT, "dist", "bin", "mindspaces.js")))
    throw new Error("dist/ is missing: `npm run bench` builds it first");
  log(`run ${runName}: ${JSON.stringify(OPTIONS)}`);
  await startFloor();
  for (const s of OPTIONS.setups) {
    created.clear();
    createCounter = 0;
    rescheduleCounters.clear();
    try {
      if (s === "embedded") await embedded();
      else if (s === "postgresql" || s === "sqlite") await distributed(s);
      else throw new Error(`unknown setup ${s}`);
    } catch (err) {
      log(`setup ${s} FAILED: ${(err as Error).stack}`);
      const last = report.setups[report.setups.length - 1];
      last?.notes.push(`FAILED: ${(err as Error).message.slice(0, 500)}`);
    }
    save();
  }
  for (const p of floorProcs) report.floorRss[p.name] = rssMb(p.child.pid);
  const base = save();
  log(`results: ${path.relative(ROOT, base)}.md and .json`);
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: cleaning up`);
    save();
    void cleanup().finally(() => process.exit(130));
  });
}

main()
  .catch(err => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup();
    // Anything still holding the loop (NATS sockets) must not keep the run alive.
    setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
  });
