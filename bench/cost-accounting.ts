/**
 * What one request of a workload costs on the distributed setup, by who pays it: CPU time of
 * every process (each node, FerretDB, the PostgreSQL backends, the NATS server, the load
 * generator itself) and, on PostgreSQL, the transactions and the rows written per collection.
 *
 * A distributed create is bound by the sum of what every process spends on it (they share the
 * machine's cores), and by the store's commits; this says which part is whose instead of
 * guessing from `top`. Linux only (/proc); the PostgreSQL and NATS servers are counted by their
 * process names, so other work on the machine in those servers is counted too.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds a process has used (user + system), or null when it is gone. */
function cpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Summed CPU seconds of every process whose command name is `comm`. */
function cpuSecondsOfAll(comm: string): number {
  let sum = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== comm) continue;
    } catch {
      continue;
    }
    sum += cpuSeconds(Number(entry)) ?? 0;
  }
  return sum;
}

interface StoreCounters {
  transactions: number;
  /** Rows inserted, updated or deleted, by collection. */
  writes: Record<string, number>;
  /**
   * Rows PostgreSQL read by scanning a whole table, by collection: a lookup it planned without
   * an index (a table's statistics say a scan is cheaper, or no index serves the filter).
   */
  scanned: Record<string, number>;
}

/**
 * The database's committed transactions and each FerretDB table's written rows (FerretDB names a
 * collection's table `<collection>_<hash>`). PostgreSQL publishes these counters with up to a
 * second's delay; `settledSnapshot` waits for them.
 */
function storeCounters(postgresUrl: string, schema: string): StoreCounters {
  const sql = `select 'tx', xact_commit, 0 from pg_stat_database where datname = current_database()
    union all select relname, n_tup_ins + n_tup_upd + n_tup_del, seq_tup_read from pg_stat_user_tables
    where schemaname = '${schema.replace(/'/g, "")}'`;
  const out = execFileSync("psql", [postgresUrl, "-X", "-q", "-A", "-t", "-F", "\t", "-c", sql], {
    encoding: "utf8",
  });
  const counters: StoreCounters = { transactions: 0, writes: {}, scanned: {} };
  for (const line of out.trim().split("\n")) {
    const [name, value, scanned] = line.split("\t");
    if (name === "tx") counters.transactions = Number(value);
    else if (name && !name.startsWith("_ferretdb")) {
      const collection = name.replace(/_[0-9a-f]{8}$/, "");
      counters.writes[collection] = (counters.writes[collection] ?? 0) + Number(value);
      counters.scanned[collection] = (counters.scanned[collection] ?? 0) + Number(scanned);
    }
  }
  return counters;
}

export interface CostSnapshot {
  cpu: Record<string, number>;
  store: StoreCounters | null;
}

export interface CostTarget {
  /** The processes to count by pid (the nodes, FerretDB). */
  pids: Record<string, number | undefined>;
  /** FerretDB's PostgreSQL database and the schema of MindSpaces' collections; null on SQLite. */
  store: { postgresUrl: string; schema: string } | null;
}

export function snapshot(target: CostTarget): CostSnapshot {
  const cpu: Record<string, number> = {};
  for (const [name, pid] of Object.entries(target.pids)) {
    if (pid) cpu[name] = cpuSeconds(pid) ?? 0;
  }
  cpu.postgresql = cpuSecondsOfAll("postgres");
  cpu["nats-server"] = cpuSecondsOfAll("nats-server");
  const own = process.cpuUsage();
  cpu["load generator"] = (own.user + own.system) / 1e6;
  return {
    cpu,
    store: target.store ? storeCounters(target.store.postgresUrl, target.store.schema) : null,
  };
}

/**
 * A snapshot taken once the store's write counters have stopped moving for `quietMs` (at most
 * `maxMs`): what the events' consumers write after the requests have been answered is part of
 * what a request costs. `backlogSeconds`: how long after `answeredAt` (the load's end) the last
 * write came, the work the consumers were behind by; a setup that answers fast but leaves
 * that much behind cannot keep its rate up. It includes PostgreSQL's own delay in publishing
 * its counters (up to a second), so under about a second it means no backlog.
 */
export async function settledSnapshot(
  target: CostTarget,
  answeredAt: number,
  quietMs = 2_000,
  maxMs = 120_000,
): Promise<CostSnapshot & { backlogSeconds: number | null }> {
  const deadline = Date.now() + maxMs;
  let last = snapshot(target);
  let lastMoved = answeredAt;
  while (Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 250));
    const now = snapshot(target);
    const moved = JSON.stringify(now.store?.writes) !== JSON.stringify(last.store?.writes);
    if (moved) lastMoved = Date.now();
    last = now;
    if (!moved && Date.now() - lastMoved >= quietMs) break;
  }
  return {
    ...last,
    backlogSeconds: target.store ? Math.max(0, lastMoved - answeredAt) / 1000 : null,
  };
}

export interface RequestCost {
  requests: number;
  /** Seconds after the last answer that the consumers were still writing (PostgreSQL only). */
  backlogSeconds: number | null;
  /** CPU milliseconds per request, by process. */
  cpuMs: Record<string, number>;
  /** PostgreSQL transactions per request (reads included: FerretDB runs each in one). */
  transactions: number | null;
  /** Rows written per request, by collection. */
  writes: Record<string, number> | null;
  /** Rows read by whole-table scans per request, by collection. */
  scanned: Record<string, number> | null;
}

export function costPerRequest(
  before: CostSnapshot,
  after: CostSnapshot & { backlogSeconds: number | null },
  requests: number,
): RequestCost {
  const per = (n: number) => (requests > 0 ? n / requests : NaN);
  const cpuMs: Record<string, number> = {};
  for (const [name, seconds] of Object.entries(after.cpu)) {
    cpuMs[name] = per((seconds - (before.cpu[name] ?? 0)) * 1000);
  }
  const perCollection = (key: "writes" | "scanned") => {
    if (!before.store || !after.store) return null;
    const changed: Record<string, number> = {};
    for (const [name, n] of Object.entries(after.store[key])) {
      const d = n - (before.store[key][name] ?? 0);
      if (d > 0) changed[name] = per(d);
    }
    return changed;
  };
  const writes = perCollection("writes");
  const scanned = perCollection("scanned");
  return {
    requests,
    backlogSeconds: after.backlogSeconds,
    cpuMs,
    transactions:
      before.store && after.store
        ? per(after.store.transactions - before.store.transactions)
        : null,
    writes,
    scanned,
  };
}

/** One line for the log and the report: the largest costs first. */
export function describeCost(cost: RequestCost): string {
  const cpu = Object.entries(cost.cpuMs)
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => `${name} ${ms.toFixed(1)}`)
    .join(", ");
  const total = Object.values(cost.cpuMs).reduce((a, b) => a + b, 0);
  const writes = cost.writes
    ? Object.entries(cost.writes)
        .sort((a, b) => b[1] - a[1])
        .map(([name, n]) => `${name} ${n.toFixed(2)}`)
        .join(", ")
    : null;
  const rows = cost.writes ? Object.values(cost.writes).reduce((a, b) => a + b, 0) : null;
  const scans = cost.scanned
    ? Object.entries(cost.scanned)
        .sort((a, b) => b[1] - a[1])
        .map(([name, n]) => `${name} ${n.toFixed(1)}`)
        .join(", ")
    : null;
  return [
    `CPU ms per request ${total.toFixed(1)} (${cpu})`,
    cost.transactions !== null ? `PostgreSQL transactions ${cost.transactions.toFixed(1)}` : null,
    writes !== null ? `rows written ${rows!.toFixed(2)} (${writes})` : null,
    scans ? `rows read by table scans ${scans}` : null,
    cost.backlogSeconds !== null
      ? `the last write ${cost.backlogSeconds.toFixed(1)} s after the last answer`
      : null,
  ]
    .filter(Boolean)
    .join("; ");
}
