/**
 * MindSpaces as separate processes on a NATS server of the test's own (test/support/nats-server.ts):
 * a gateway node and a node with every other service, given the connection settings (TRANSPORTER,
 * credentials, TLS files) a test wants to prove; and a node that tries to join with wrong ones.
 */
import { randomBytes } from "node:crypto";
import { DateTime } from "luxon";
import { httpClient } from "./http-client";
import { signInAdmin } from "./accounts";
import { freePort } from "./ferretdb";
import { startGateway, startNode, waitUntilReady, type NodeProcess } from "./node-process";
import { TEST_ADMIN, uniqueName } from "./test-env";
import { ALWAYS_OPEN } from "./opening-hours";
import { waitFor } from "./waiting";

export interface Cluster {
  baseUrl: string;
  nodes: NodeProcess[];
  /** The settings every node of the cluster shares (JWT_SECRET, NAMESPACE); not the NATS ones. */
  shared: Record<string, string>;
  stop(): Promise<(number | null)[]>;
}

/** Starts the two nodes with `nats` (TRANSPORTER and the NATS_* variables) and waits until ready. */
export async function startCluster(nats: Record<string, string>): Promise<Cluster> {
  const port = await freePort();
  const shared = {
    NAMESPACE: uniqueName("ms-nats"),
    JWT_SECRET: randomBytes(48).toString("base64url"),
    LOG_LEVEL: "info",
  };
  const nodes = [
    startNode({
      ...shared,
      ...nats,
      SERVICES: "users,spaces,reservations,notifications,reports",
      NODE_ID: "services-1",
      ALLOW_EMBEDDED_STORE: "true",
      ADMIN_EMAIL: TEST_ADMIN.email,
      ADMIN_PASSWORD: TEST_ADMIN.password,
    }),
    startGateway({ ...shared, ...nats }, port),
  ];
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(baseUrl, nodes, 75_000);
  } catch (err) {
    await Promise.all(nodes.map(node => node.stop()));
    throw err;
  }
  return { baseUrl, nodes, shared, stop: () => Promise.all(nodes.map(node => node.stop())) };
}

/**
 * Signs in (the gateway calls `users` on the other node), books a space, and waits for the
 * booking's in-app notification: `reservation.created` travels as a JetStream durable event.
 */
export async function bookAndAwaitNotification(baseUrl: string): Promise<void> {
  const request = httpClient(baseUrl);
  const admin = await signInAdmin(request);
  const space = await request<{ id: string }>("POST", "/api/spaces", {
    token: admin.token,
    json: {
      name: "Signal room",
      kind: "desk",
      location: { site: "Delft" },
      capacity: 1,
      openingHours: ALWAYS_OPEN,
    },
  });
  if (space.status !== 201) throw new Error(`space not created: ${JSON.stringify(space.body)}`);
  const start = DateTime.utc().plus({ days: 2 }).startOf("day").plus({ hours: 9 });
  const booked = await request("POST", "/api/reservations", {
    token: admin.token,
    json: { spaceId: space.body.id, start: start.toISO(), end: start.plus({ hours: 1 }).toISO() },
  });
  if (booked.status !== 201) throw new Error(`booking failed: ${JSON.stringify(booked.body)}`);
  let total = 0;
  const deadline = Date.now() + 20_000;
  while (total === 0 && Date.now() < deadline) {
    const page = await request<{ total: number }>("GET", "/api/notifications", {
      token: admin.token,
    });
    total = page.body.total;
    if (total === 0) await new Promise(resolve => setTimeout(resolve, 250));
  }
  if (total === 0) throw new Error("the booking's notification never arrived");
}

/** How a node that was kept out of NATS ended: stopped at once with the reason, or retrying. */
export interface KeptOut {
  log: string;
  /** True when it stopped at start (a refusal for good); false when it kept retrying. */
  stopped: boolean;
}

/**
 * A `reports` node that tries to join `cluster` with `nats`. Resolves once it has stopped at start
 * (the server refused it for good: lib/nats-refusal.ts) or has failed to connect `attempts` times
 * (Moleculer retries every 5 s and never gets further); rejects if it ever connects. A refusal the
 * client is not told of (the server drops a TLS 1.3 client certificate after the handshake) takes
 * nats.js' connect timeout.
 */
export async function failedJoin(
  cluster: Cluster,
  nats: Record<string, string>,
  attempts = 2,
): Promise<KeptOut> {
  const intruder = startNode({
    ...cluster.shared,
    ...nats,
    SERVICES: "reports",
    NODE_ID: "intruder-1",
    ALLOW_EMBEDDED_STORE: "true",
  });
  try {
    const failures = () => intruder.output().split("Connection is failed").length - 1;
    await waitFor(
      () =>
        failures() >= attempts ||
        intruder.output().includes("NATS client is connected") ||
        intruder.child.exitCode !== null,
      "the intruding node to stop or give up connecting",
      attempts * 25_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; its log:\n${intruder.output()}`);
    });
    if (intruder.output().includes("NATS client is connected")) {
      throw new Error(`the node connected:\n${intruder.output()}`);
    }
    const stopped = intruder.child.exitCode !== null;
    if (stopped && intruder.child.exitCode !== 1) {
      throw new Error(`the node exited with ${intruder.child.exitCode}:\n${intruder.output()}`);
    }
    return { log: intruder.output(), stopped };
  } finally {
    await intruder.stop();
  }
}
