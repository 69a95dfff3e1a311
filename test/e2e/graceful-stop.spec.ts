/**
 * A node stopped with SIGTERM over NATS stops once and cleanly: no error-level line. Moleculer's
 * own signal handlers and the runner's both used to call `broker.stop()`, so every service,
 * the transporter and the JetStream connection were stopped twice at once; the second drain of a
 * NATS connection already draining failed with CONNECTION_DRAINING (or the metrics server's
 * second close with ERR_SERVER_NOT_RUNNING), logged as an error with its stack.
 */
import { randomBytes } from "node:crypto";
import { freePort } from "../support/ferretdb";
import { startNode, type NodeProcess } from "../support/node-process";
import { deleteStreams, natsUrl, uniqueName } from "../support/test-env";

const SERVICES = ["users", "spaces", "reservations", "notifications", "reports", "api"];

interface LogLine {
  level: string;
  msg: string;
}

function logLines(output: string): LogLine[] {
  return output
    .split("\n")
    .filter(line => line.startsWith("{"))
    .map(line => JSON.parse(line) as LogLine);
}

async function started(node: NodeProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!node.output().includes("MindSpaces node ")) {
    if (node.child.exitCode !== null) throw new Error(`The node exited:\n${node.output()}`);
    if (Date.now() > deadline) throw new Error(`Not started in time:\n${node.output()}`);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

describe("graceful stop of a node over NATS", () => {
  const namespace = uniqueName("ms-stop");

  afterAll(() => deleteStreams(namespace));

  it("stops every part once, exits 0 and logs no error", async () => {
    const node = startNode({
      TRANSPORTER: natsUrl(),
      NAMESPACE: namespace,
      NODE_ID: "stopping-1",
      JWT_SECRET: randomBytes(48).toString("base64url"),
      // One process on purpose: its embedded store is its own.
      ALLOW_EMBEDDED_STORE: "true",
      PORT: "0",
      // The metrics server and the consumer-lag poller stop with it as well.
      METRICS_PORT: String(await freePort()),
      LOG_LEVEL: "info",
    });
    try {
      await started(node);
    } catch (err) {
      await node.stop();
      throw err;
    }
    expect(await node.stop()).toBe(0);

    const lines = logLines(node.output());
    expect(
      lines.filter(line => line.level === "error" || line.level === "fatal").map(l => l.msg),
    ).toEqual([]);
    for (const service of SERVICES) {
      expect([
        service,
        lines.filter(l => l.msg === `Service '${service}' stopped.`).length,
      ]).toEqual([service, 1]);
    }
    expect(lines.filter(l => l.msg === "ServiceBroker is stopped. Good bye.")).toHaveLength(1);
  });
});
