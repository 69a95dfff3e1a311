/**
 * A sustained mixed load for the fault tests: readers that read reservations and a space's
 * availability, and writers that book free slots, each in a loop until stopped. Every answer is
 * recorded, so a test can assert what each kind of request got while a node died or restarted.
 *
 * Writers behave as a careful client: every create carries an Idempotency-Key, and a create that
 * got 503 (or 409 REQUEST_IN_PROGRESS: the first attempt is still settling) is retried with the
 * same key, so a create is stored at most once however often it is sent.
 */
import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import type { HttpRequest, HttpResponse } from "./http-client";

export interface Outcome {
  kind: "read" | "create";
  status: number;
  /** The error type of a refused request; "NO_ANSWER" when the connection failed or hung. */
  type?: string;
  ms: number;
  at: number;
}

export interface CreateAttempts {
  key: string;
  spaceId: string;
  start: string;
  end: string;
  statuses: number[];
  /** The reservation id of the 201, when one came. */
  id?: string;
}

export interface LoadOptions {
  /** Requests go to these gateways in turn; a refused connection is tried on the next one. */
  request: HttpRequest | HttpRequest[];
  /** If given, asked before each request instead, as a load balancer asks for its live targets. */
  gateways?: () => HttpRequest[];
  readerTokens: string[];
  writerTokens: string[];
  spaceIds: string[];
  /** Reservations the readers read; the writers' new ones are added. */
  reservationIds: string[];
  readers?: number;
  writers?: number;
  /** How long a client waits for an answer before it counts the request as hung. */
  clientTimeoutMs?: number;
  /** How often a writer resends a create that got 503, with the same key. */
  createRetries?: number;
  /** A pause between a worker's requests, so a 2-core machine keeps breathing. */
  pauseMs?: number;
}

export interface Load {
  outcomes: Outcome[];
  creates: CreateAttempts[];
  stop(): Promise<void>;
  /** Outcomes since `since` (Date.now()), of one kind. */
  of(kind: Outcome["kind"], since?: number): Outcome[];
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const RETRYABLE_CREATE = (res: { status: number; type?: string }) =>
  res.status === 503 || (res.status === 409 && res.type === "REQUEST_IN_PROGRESS");

/** Writers book 30-minute slots from two days ahead on; each slot is used once per run. */
function slotMaker(spaceIds: string[]) {
  const day0 = DateTime.utc().plus({ days: 2 }).startOf("day");
  let next = 0;
  return () => {
    const n = next++;
    const spaceId = spaceIds[n % spaceIds.length];
    const start = day0.plus({ minutes: 30 * Math.floor(n / spaceIds.length) });
    return { spaceId, start: start.toISO()!, end: start.plus({ minutes: 30 }).toISO()! };
  };
}

export function startLoad(options: LoadOptions): Load {
  const fixed = Array.isArray(options.request) ? options.request : [options.request];
  const currentGateways = options.gateways ?? (() => fixed);
  const clientTimeoutMs = options.clientTimeoutMs ?? 30_000;
  const pauseMs = options.pauseMs ?? 20;
  const outcomes: Outcome[] = [];
  const creates: CreateAttempts[] = [];
  const reservationIds = [...options.reservationIds];
  const nextSlot = slotMaker(options.spaceIds);
  let running = true;
  let turn = 0;

  async function send(
    kind: Outcome["kind"],
    method: string,
    path: string,
    token: string,
    extra: { json?: unknown; headers?: Record<string, string> } = {},
  ): Promise<HttpResponse & { type?: string }> {
    const began = Date.now();
    let res: (HttpResponse & { type?: string }) | null = null;
    const gateways = currentGateways();
    // A refused connection never reached a gateway: a load balancer would try the next one.
    for (let tried = 0; tried < gateways.length && res === null; tried++) {
      const request = gateways[turn++ % gateways.length];
      try {
        const answer = await withTimeout(
          request(method, path, { token, ...extra }),
          clientTimeoutMs,
        );
        const body = answer.body as { type?: unknown } | null;
        res = { ...answer, type: typeof body?.type === "string" ? body.type : undefined };
      } catch (err) {
        if (!refused(err) || tried === gateways.length - 1) {
          res = { status: 0, headers: new Headers(), body: {}, type: "NO_ANSWER" };
        }
      }
    }
    const outcome = { kind, status: res!.status, ms: Date.now() - began, at: began };
    outcomes.push(
      res!.status >= 400 || res!.status === 0 ? { ...outcome, type: res!.type } : outcome,
    );
    return res!;
  }

  async function reader(i: number) {
    const token = options.readerTokens[i % options.readerTokens.length];
    for (let n = 0; running; n++) {
      if (n % 2 === 0 && reservationIds.length > 0) {
        const id = reservationIds[Math.floor(Math.random() * reservationIds.length)];
        await send("read", "GET", `/api/reservations/${id}`, token);
      } else {
        const spaceId = options.spaceIds[n % options.spaceIds.length];
        const from = DateTime.utc().plus({ days: 2 }).startOf("day");
        const window = `from=${encodeURIComponent(from.toISO()!)}&to=${encodeURIComponent(
          from.plus({ days: 1 }).toISO()!,
        )}`;
        await send("read", "GET", `/api/spaces/${spaceId}/availability?${window}`, token);
      }
      await sleep(pauseMs);
    }
  }

  async function writer(i: number) {
    const token = options.writerTokens[i % options.writerTokens.length];
    while (running) {
      const slot = nextSlot();
      const attempts: CreateAttempts = { key: randomUUID(), ...slot, statuses: [] };
      creates.push(attempts);
      for (let attempt = 0; attempt <= (options.createRetries ?? 10); attempt++) {
        const res = await send("create", "POST", "/api/reservations", token, {
          json: { ...slot, title: "load" },
          headers: { "idempotency-key": attempts.key },
        });
        attempts.statuses.push(res.status);
        if (res.status === 201) {
          attempts.id = (res.body as { id: string }).id;
          reservationIds.push(attempts.id);
        }
        if (!RETRYABLE_CREATE(res)) break;
        await sleep(500);
      }
      await sleep(pauseMs);
    }
  }

  const workers = [
    ...Array.from({ length: options.readers ?? 8 }, (_, i) => reader(i)),
    ...Array.from({ length: options.writers ?? 3 }, (_, i) => writer(i)),
  ];

  return {
    outcomes,
    creates,
    of: (kind, since = 0) => outcomes.filter(o => o.kind === kind && o.at >= since),
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

function refused(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string } })?.cause;
  return cause?.code === "ECONNREFUSED";
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A short account of outcomes for a failure message: counts per kind, status and type. */
export function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const key = `${o.kind} ${o.status}${o.type ? ` ${o.type}` : ""}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** A deployment the load runs against (test/support/cluster.ts). */
interface LoadTarget {
  request: HttpRequest;
  manager: { token: string };
  members: { token: string }[];
  spaceIds: string[];
}

/** The fault tests' mixed load on a cluster: its manager reads, its members book its spaces. */
export function startLoadOn(target: LoadTarget, options: Partial<LoadOptions> = {}): Load {
  return startLoad({
    request: target.request,
    readerTokens: [target.manager.token],
    writerTokens: target.members.map(m => m.token),
    spaceIds: target.spaceIds,
    reservationIds: [],
    ...options,
  });
}
