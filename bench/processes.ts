/**
 * Starting and stopping what a benchmark run needs, and nothing else: node processes, FerretDB,
 * a PostgreSQL database, JetStream streams. Everything started is recorded here and removed by
 * `cleanup()`, which the runner calls at the end, on failure and on Ctrl-C.
 */
import { execFileSync, fork, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { namespaceStreams } from "../lib/namespace-streams";

export const ROOT = path.resolve(__dirname, "..", "..");
export const DIST = path.join(ROOT, "dist");
export const NATS_URL = process.env.BENCH_NATS_URL ?? "nats://127.0.0.1:4222";
export const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
const PG_POOL_MAX_CONNS = 25;

export interface Proc {
  name: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

const procs: Proc[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

function track(name: string, child: ChildProcess): Proc {
  let output = "";
  const keep = (chunk: Buffer) => {
    // The seeder's progress (plain lines; the broker's logs are JSON lines) goes to the run's log.
    for (const line of String(chunk).split("\n"))
      if (/^(users|spaces|reservations|seeded)\b/.test(line)) console.log(`  ${name}: ${line}`);
    output += chunk;
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>(resolve => child.on("exit", code => resolve(code)));
  const proc = { name, child, output: () => output, exited };
  procs.push(proc);
  return proc;
}

const baseEnv = () => ({ PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" });

/** A node script from dist/ with an IPC channel (embedded node, floor nodes). */
export function forkNode(name: string, script: string, env: Record<string, string>): Proc {
  const child = fork(path.join(DIST, script), [], {
    env: { ...baseEnv(), ...env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  return track(name, child);
}

/**
 * A MindSpaces node exactly as an operator starts one: `node dist/bin/mindspaces.js`, with
 * `nodeArgs` for Node itself (a CPU profile).
 */
export function startMindSpaces(
  name: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Proc {
  const child = spawn(process.execPath, [...nodeArgs, path.join(DIST, "bin", "mindspaces.js")], {
    env: { ...baseEnv(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return track(name, child);
}

export function waitForMessage<T>(proc: Proc, test: (m: T) => boolean, timeoutMs: number) {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`${proc.name}: no answer in ${timeoutMs} ms\n${proc.output().slice(-3000)}`),
        ),
      timeoutMs,
    );
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${proc.name} exited (${code})\n${proc.output().slice(-3000)}`));
    };
    const onMessage = (m: T) => {
      if (!test(m)) return;
      clearTimeout(timer);
      proc.child.off("message", onMessage);
      proc.child.off("exit", onExit);
      resolve(m);
    };
    proc.child.on("message", onMessage);
    proc.child.once("exit", onExit);
  });
}

let nextId = 1;
/** Sends a request over IPC and waits for the answer with the same id. */
export async function ask<T>(proc: Proc, message: object, timeoutMs: number): Promise<T> {
  const id = nextId++;
  const answer = waitForMessage<{ id?: number; error?: string }>(proc, m => m.id === id, timeoutMs);
  proc.child.send({ ...message, id });
  const result = await answer;
  if (result.error) throw new Error(`${proc.name}: ${result.error}`);
  return result as T;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const okay = await new Promise<boolean>(resolve => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.end(), resolve(true)));
      socket.once("error", () => (socket.destroy(), resolve(false)));
    });
    if (okay) return;
    if (Date.now() > deadline) throw new Error(`Nothing listens on ${port} after ${timeoutMs} ms`);
    await new Promise(r => setTimeout(r, 100));
  }
}

export async function waitUntilReady(baseUrl: string, nodes: Proc[], timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = nodes.find(node => node.child.exitCode !== null);
    if (dead) throw new Error(`${dead.name} exited early:\n${dead.output().slice(-3000)}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok && ((await res.json()) as { ready?: boolean }).ready === true) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline)
      throw new Error(`Not ready in time:\n${nodes.map(n => n.output().slice(-2000)).join("\n")}`);
    await new Promise(r => setTimeout(r, 250));
  }
}

/** Resident set size of a process in MB, from /proc (Linux). */
export function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

export async function stopProc(proc: Proc, graceMs = 10_000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill("SIGTERM");
  const timer = setTimeout(() => proc.child.kill("SIGKILL"), graceMs);
  await proc.exited;
  clearTimeout(timer);
}

export type FerretBackend = "postgresql" | "sqlite";

export interface Ferret {
  url: string;
  proc: Proc;
  /** The PostgreSQL database FerretDB keeps its data in; null on SQLite. */
  postgresUrl: string | null;
  stop(): Promise<void>;
}

function ferretBinary(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildFerretDb } = require(path.join(ROOT, "test", "support", "ferretdb.js")) as {
    buildFerretDb(): string;
  };
  return buildFerretDb();
}

/**
 * FerretDB 1.24 on loopback, telemetry off, on a fresh PostgreSQL database (created here, dropped
 * by stop) or a fresh SQLite folder (removed by stop).
 */
export async function startFerret(backend: FerretBackend, runName: string): Promise<Ferret> {
  const binary = ferretBinary();
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "mindspaces-bench-ferretdb-"));
  const port = await freePort();
  const args = [
    `--state-dir=${stateDir}`,
    `--listen-addr=127.0.0.1:${port}`,
    "--debug-addr=127.0.0.1:0",
    "--telemetry=disable",
    "--log-level=error",
  ];
  let database: string | null = null;
  if (backend === "postgresql") {
    database = runName.replace(/[^a-z0-9_]/gi, "_").toLowerCase();
    const pg = new URL(PG_URL);
    execFileSync("createdb", [
      "-h",
      pg.hostname,
      "-p",
      pg.port || "5432",
      "-U",
      pg.username || "postgres",
      database,
    ]);
    // Capped as the peer's pool was (25): FerretDB's own default let one benchmark open up to 50
    // of PostgreSQL's 100 connections, so two runs at once failed with "too many clients". Custom
    // plans only, as the README tells operators (deploy/ferretdb/pushdown-indexes.sql says why).
    args.push(
      "--handler=postgresql",
      `--postgresql-url=${PG_URL}/${database}?pool_max_conns=${PG_POOL_MAX_CONNS}&plan_cache_mode=force_custom_plan`,
    );
  } else {
    args.push("--handler=sqlite", `--sqlite-url=file:${stateDir}/`);
  }
  const dropDatabase = () => {
    if (!database) return;
    const pg = new URL(PG_URL);
    try {
      execFileSync("dropdb", [
        "--if-exists",
        "--force",
        "-h",
        pg.hostname,
        "-p",
        pg.port || "5432",
        "-U",
        pg.username || "postgres",
        database,
      ]);
    } catch (err) {
      console.error(`Could not drop database ${database}: ${(err as Error).message}`);
    }
    database = null;
  };
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  const proc = track(`ferretdb-${backend}`, child);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopProc(proc, 5_000);
    dropDatabase();
    fs.rmSync(stateDir, { recursive: true, force: true });
  };
  cleanups.push(stop);
  await waitForPort(port, 30_000);
  const postgresUrl = database ? `${PG_URL}/${database}` : null;
  return { url: `mongodb://127.0.0.1:${port}`, proc, postgresUrl, stop };
}

/**
 * deploy/ferretdb/pushdown-indexes.sql on FerretDB's PostgreSQL database, for the MongoDB
 * database `schema`, as an operator would run it once the services have started.
 */
export function addPushdownIndexes(postgresUrl: string, schema: string): void {
  execFileSync(
    "psql",
    [
      postgresUrl,
      "-X",
      "-q",
      "-v",
      "ON_ERROR_STOP=1",
      "-v",
      `schema=${schema}`,
      "-f",
      path.join(ROOT, "deploy", "ferretdb", "pushdown-indexes.sql"),
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
}

/**
 * Vacuums every table of a FerretDB database (`schema`) and refreshes its statistics, as
 * PostgreSQL's autovacuum does in a deployment after a table has grown or changed; how many
 * tables. Without the statistics the planner estimates the seeded tables from what it saw while
 * they were empty; without the vacuum every row the seeding updated (a create confirms its
 * record and empties its outbox) stays behind as a dead version that lookups and index inserts
 * step over. This machine's PostgreSQL runs without autovacuum.
 */
export function analyzeTables(postgresUrl: string, schema: string): number {
  const psql = (sql: string) =>
    execFileSync("psql", [postgresUrl, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  const tables = psql(
    `SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname = '${schema.replace(/'/g, "''")}'`,
  )
    .split("\n")
    .filter(Boolean);
  if (tables.length > 0) psql(`VACUUM (ANALYZE) ${tables.join(", ")}`);
  return tables.length;
}

/** Removes the JetStream streams of a namespace. */
export async function deleteStreams(namespace: string): Promise<string[]> {
  const deleted = await namespaceStreams("delete", namespace, { TRANSPORTER: NATS_URL });
  return deleted.map(stream => stream.name);
}

export function onCleanup(fn: () => Promise<void> | void) {
  cleanups.push(fn);
}

let cleaning: Promise<void> | null = null;
/** Stops every process this run started and removes what it created; safe to call twice. */
export function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.all(procs.map(p => stopProc(p, 10_000).catch(() => undefined)));
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        console.error(`cleanup: ${(err as Error).message}`);
      }
    }
  })();
  return cleaning;
}
