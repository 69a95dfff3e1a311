/**
 * NATS with credentials: nodes given the right ones join, call each other and get their durable
 * events; a node without them, or with wrong ones, cannot connect and never joins. Each on a
 * nats-server of the test's own that requires them (the shared one at 4222 has none).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { nkeys } from "nats";
import { namespaceStreams } from "../../lib/namespace-streams";
import { natsString, startNatsServer, type OwnNatsServer } from "../support/nats-server";
import {
  bookAndAwaitNotification,
  failedJoin,
  startCluster,
  type Cluster,
} from "../support/nats-cluster";

/** nats.js re-exports nkeys.js untyped; the two calls used here. */
interface NKeyPair {
  getSeed(): Uint8Array;
  getPublicKey(): string;
}
const ROOT = path.join(__dirname, "..", "..");
const createUserKey = () => (nkeys as { createUser(): NKeyPair }).createUser();

describe("NATS that requires a user and password", () => {
  const user = "mindspaces";
  const password = randomBytes(18).toString("base64url");
  let server: OwnNatsServer;
  let cluster: Cluster;
  const intruderLogs: string[] = [];

  beforeAll(async () => {
    server = await startNatsServer(
      () => `authorization { user: ${natsString(user)}, password: ${natsString(password)} }`,
    );
    cluster = await startCluster({
      TRANSPORTER: `nats://127.0.0.1:${server.port}`,
      NATS_USER: user,
      NATS_PASSWORD: password,
    });
  }, 90_000);

  afterAll(async () => {
    await cluster?.stop();
    await server?.stop();
  });

  it("lets nodes with the credentials call each other and deliver durable events", async () => {
    await bookAndAwaitNotification(cluster.baseUrl);
  });

  it("keeps a node without credentials out: it stops at start and says why", async () => {
    const { log, stopped } = await failedJoin(cluster, {
      TRANSPORTER: `nats://127.0.0.1:${server.port}`,
    });
    expect(stopped).toBe(true);
    expect(log).toMatch(
      /MindSpaces cannot start\. NATS refused this node's credentials \(Authorization Violation\)/i,
    );
    intruderLogs.push(log);
  }, 40_000);

  it("keeps a node with a wrong password out", async () => {
    const wrong = randomBytes(18).toString("base64url");
    const { log, stopped } = await failedJoin(cluster, {
      TRANSPORTER: `nats://127.0.0.1:${server.port}`,
      NATS_USER: user,
      NATS_PASSWORD: wrong,
    });
    expect(stopped).toBe(true);
    expect(log).toMatch(/NATS refused this node's credentials \(Authorization Violation\)/i);
    expect(log).not.toContain(wrong);
    intruderLogs.push(log);
  }, 40_000);

  it("never writes the password to a log, and the cluster keeps serving", async () => {
    const logs = [...cluster.nodes.map(node => node.output()), ...intruderLogs].join("\n");
    expect(logs).toContain("NATS client is connected");
    expect(logs).not.toContain(password);
    const ready = await fetch(`${cluster.baseUrl}/api/ready`);
    expect(ready.status).toBe(200);
    expect(cluster.nodes.every(node => node.child.exitCode === null)).toBe(true);
  });
});

/**
 * The other two ways in, through the same connection options every NATS client of MindSpaces
 * uses (lib/nats-connection.ts): here the streams script's, which a refused login makes throw.
 */
describe("NATS that requires a token or an NKey", () => {
  const servers: OwnNatsServer[] = [];
  afterAll(() => Promise.all(servers.map(server => server.stop())));

  it("admits the right token and refuses a wrong one", async () => {
    const token = randomBytes(24).toString("base64url");
    const server = await startNatsServer(() => `authorization { token: ${natsString(token)} }`);
    servers.push(server);
    const env = { TRANSPORTER: `nats://127.0.0.1:${server.port}` };
    await expect(
      namespaceStreams("list", "ms-token", { ...env, NATS_TOKEN: token }),
    ).resolves.toEqual([]);
    await expect(
      namespaceStreams("list", "ms-token", { ...env, NATS_TOKEN: `${token}x` }),
    ).rejects.toThrow(/Authorization Violation/i);
    await expect(namespaceStreams("list", "ms-token", env)).rejects.toThrow(
      /Authorization Violation/i,
    );
  });

  it("takes the deployments' credentials from the server's environment (deploy/k8s/nats.conf)", async () => {
    // The shipped file's authorization block, on a server of the test's own; docker-compose.yml
    // and the manifests start NATS with that file and the credentials in its environment only.
    const shipped = fs.readFileSync(path.join(ROOT, "deploy", "k8s", "nats.conf"), "utf8");
    const authorization = /^authorization \{[^}]*\}/m.exec(shipped)?.[0];
    expect(authorization).toContain("$NATS_PASSWORD");
    const password = randomBytes(24).toString("base64");
    const server = await startNatsServer(() => authorization!, undefined, {
      NATS_USER: "mindspaces",
      NATS_PASSWORD: password,
    });
    servers.push(server);
    const env = { TRANSPORTER: `nats://127.0.0.1:${server.port}`, NATS_USER: "mindspaces" };
    await expect(
      namespaceStreams("list", "ms-conf", { ...env, NATS_PASSWORD: password }),
    ).resolves.toEqual([]);
    await expect(
      namespaceStreams("list", "ms-conf", { ...env, NATS_PASSWORD: `${password}x` }),
    ).rejects.toThrow(/Authorization Violation/i);
  });

  it("admits the holder of the NKey seed and refuses another key", async () => {
    const admitted = createUserKey();
    const other = createUserKey();
    const server = await startNatsServer(dir => {
      for (const [name, key] of [
        ["admitted", admitted],
        ["other", other],
      ] as const) {
        fs.writeFileSync(path.join(dir, `${name}.nk`), new TextDecoder().decode(key.getSeed()), {
          mode: 0o600,
        });
      }
      const publicKey = admitted.getPublicKey();
      return `authorization { users: [ { nkey: ${natsString(publicKey)} } ] }`;
    });
    servers.push(server);
    const env = { TRANSPORTER: `nats://127.0.0.1:${server.port}` };
    const seedFile = (name: string) => path.join(server.dir, `${name}.nk`);
    await expect(
      namespaceStreams("list", "ms-nkey", { ...env, NATS_NKEY_SEED_FILE: seedFile("admitted") }),
    ).resolves.toEqual([]);
    await expect(
      namespaceStreams("list", "ms-nkey", { ...env, NATS_NKEY_SEED_FILE: seedFile("other") }),
    ).rejects.toThrow(/Authorization Violation/i);
  });
});
