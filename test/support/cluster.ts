/**
 * A distributed MindSpaces for the fault tests: one process per service group over NATS, on a
 * Mongo-wire database, each node with its own metrics port, and accounts and spaces to load it
 * with. Nodes can be added, killed, stopped and restarted by name while a load runs.
 */
import { randomBytes } from "node:crypto";
import { freePort } from "./ferretdb";
import { httpClient, type HttpRequest } from "./http-client";
import { signInAdmin, signInAs, type Session } from "./accounts";
import { startNode, waitUntilReady, type NodeProcess } from "./node-process";
import { deleteStreams, dropDatabase, mongoUri, natsUrl, TEST_ADMIN, uniqueName } from "./test-env";
import { ALWAYS_OPEN } from "./opening-hours";

export interface ClusterNode {
  id: string;
  services: string;
  metricsPort: number;
  /** The gateway's port, for `api` nodes. */
  port?: number;
  process: NodeProcess;
}

export interface ClusterOptions {
  /** NODE_ID → SERVICES; gateways are the nodes whose services are `api`. */
  layout: Record<string, string>;
  transporter?: string;
  mongoUrl?: string;
  /** Extra environment for every node. */
  env?: Record<string, string>;
}

export interface Cluster {
  namespace: string;
  /** The MONGO_URI every node was given. */
  databaseUri: string;
  nodes: Map<string, ClusterNode>;
  gateways(): HttpRequest[];
  request: HttpRequest;
  admin: Session;
  manager: Session;
  members: Session[];
  spaceIds: string[];
  /** Starts (or restarts) node `id` with `services`; resolves once it has started its services. */
  start(id: string, services?: string): Promise<ClusterNode>;
  /** Graceful stop (SIGTERM); resolves with the exit code. */
  stop(id: string): Promise<number | null>;
  kill(id: string): Promise<void>;
  shutdown(): Promise<void>;
}

/** Resolves once the node logged that it runs its services (or rejects if it exited first). */
async function started(node: NodeProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!/MindSpaces node '[^']+' runs/.test(node.output())) {
    if (node.child.exitCode !== null) throw new Error(`A node exited early:\n${node.output()}`);
    if (Date.now() > deadline) throw new Error(`Node did not start in time:\n${node.output()}`);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const namespace = uniqueName("ms-faults");
  const database = options.mongoUrl
    ? `${options.mongoUrl.replace(/\/$/, "")}/${uniqueName("faults").replace(/-/g, "_")}`
    : mongoUri(uniqueName("faults").replace(/-/g, "_"));
  const shared = {
    TRANSPORTER: options.transporter ?? natsUrl(),
    NAMESPACE: namespace,
    JWT_SECRET: randomBytes(48).toString("base64url"),
    MONGO_URI: database,
    LOG_LEVEL: "info",
    AUTH_RATE_LIMIT: "100000",
    ...options.env,
  };
  const nodes = new Map<string, ClusterNode>();

  async function start(id: string, services = nodes.get(id)?.services): Promise<ClusterNode> {
    if (!services) throw new Error(`no services known for node ${id}`);
    const previous = nodes.get(id);
    const metricsPort = previous?.metricsPort ?? (await freePort());
    const port = services === "api" ? (previous?.port ?? (await freePort())) : undefined;
    const process = startNode({
      ...shared,
      SERVICES: services,
      NODE_ID: id,
      METRICS_PORT: String(metricsPort),
      ...(port ? { PORT: String(port) } : {}),
      ...(services.split(",").includes("users")
        ? { ADMIN_EMAIL: TEST_ADMIN.email, ADMIN_PASSWORD: TEST_ADMIN.password }
        : {}),
    });
    const node = { id, services, metricsPort, port, process };
    nodes.set(id, node);
    await started(process);
    return node;
  }

  const gatewayUrls = () =>
    [...nodes.values()].filter(n => n.port).map(n => `http://127.0.0.1:${n.port}`);

  await Promise.all(Object.entries(options.layout).map(([id, services]) => start(id, services)));
  for (const url of gatewayUrls())
    await waitUntilReady(
      url,
      [...nodes.values()].map(n => n.process),
      60_000,
    );

  const request = httpClient(gatewayUrls()[0]);
  const admin = await signInAdmin(request);
  const manager = await signInAs(request, "manager", admin);
  const members: Session[] = [];
  for (let i = 0; i < 4; i++) members.push(await signInAs(request, "member", admin));
  const spaceIds: string[] = [];
  for (let i = 0; i < 4; i++) {
    const res = await request<{ id: string }>("POST", "/api/spaces", {
      token: manager.token,
      json: {
        name: uniqueName("Loaded"),
        kind: "meeting-room",
        location: { site: "Utrecht" },
        capacity: 6,
        openingHours: ALWAYS_OPEN,
      },
    });
    if (res.status !== 201) throw new Error(`space create failed: ${JSON.stringify(res.body)}`);
    spaceIds.push(res.body.id);
  }

  return {
    namespace,
    databaseUri: database,
    nodes,
    gateways: () => gatewayUrls().map(url => httpClient(url)),
    request,
    admin,
    manager,
    members,
    spaceIds,
    start,
    stop: id => nodes.get(id)!.process.stop(),
    async kill(id) {
      const node = nodes.get(id)!.process;
      node.child.kill("SIGKILL");
      await node.exited;
    },
    async shutdown() {
      await Promise.all([...nodes.values()].map(n => n.process.stop()));
      await dropDatabase(database).catch(() => undefined);
      await deleteStreams(namespace).catch(() => undefined);
    },
  };
}

/** The sum of a metric's samples on a node whose labels include `labels`, from its /metrics. */
export async function metricOn(
  node: ClusterNode,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${node.metricsPort}/metrics`, {
    signal: AbortSignal.timeout(5_000),
  });
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  let total = 0;
  for (const line of (await res.text()).split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!wanted.every(label => line.includes(label))) continue;
    total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}

/** Requests per action on a node, from its own Prometheus metrics. */
export function requestsOn(node: ClusterNode, action: string): Promise<number> {
  return metricOn(node, "moleculer_request_total", { action });
}
