/**
 * HOST: the gateway listens on loopback unless told otherwise, as `npm start` runs it (a node
 * process from dist/, SERVICES=api alone, no transporter), and on all interfaces with
 * HOST=0.0.0.0, as the container image sets it.
 */
import os from "node:os";
import { freePort } from "../support/ferretdb";
import { startNode, type NodeProcess } from "../support/node-process";

/** An address of this machine that is not loopback, when it has one. */
function externalAddress(): string | null {
  for (const entries of Object.values(os.networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.family === "IPv4" && !entry.internal) return entry.address;
    }
  }
  return null;
}

async function reachable(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

async function startGatewayOnly(env: Record<string, string>): Promise<{
  node: NodeProcess;
  port: number;
}> {
  const port = await freePort();
  const node = startNode({ SERVICES: "api", PORT: String(port), LOG_LEVEL: "info", ...env });
  const deadline = Date.now() + 20_000;
  while (!/MindSpaces node '.*' runs/.test(node.output())) {
    if (node.child.exitCode !== null) throw new Error(`The node exited:\n${node.output()}`);
    if (Date.now() > deadline) throw new Error(`The node did not start:\n${node.output()}`);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return { node, port };
}

describe("the gateway's listen address (HOST)", () => {
  const external = externalAddress();

  it("is loopback by default: reachable on 127.0.0.1 and nowhere else", async () => {
    const { node, port } = await startGatewayOnly({});
    try {
      expect(node.output()).toContain(`http://127.0.0.1:${port}/api, listening on 127.0.0.1`);
      expect(await reachable(`http://127.0.0.1:${port}/api/health`)).toBe(true);
      if (external) expect(await reachable(`http://${external}:${port}/api/health`)).toBe(false);
    } finally {
      await node.stop();
    }
  });

  it("is the address HOST names: 127.0.0.1 explicitly, or every interface with 0.0.0.0", async () => {
    const loopback = await startGatewayOnly({ HOST: "127.0.0.1" });
    try {
      expect(loopback.node.output()).toContain("listening on 127.0.0.1");
      expect(await reachable(`http://127.0.0.1:${loopback.port}/api/health`)).toBe(true);
    } finally {
      await loopback.node.stop();
    }
    const everywhere = await startGatewayOnly({ HOST: "0.0.0.0" });
    try {
      expect(everywhere.node.output()).toContain("listening on all interfaces");
      expect(await reachable(`http://127.0.0.1:${everywhere.port}/api/health`)).toBe(true);
      if (external)
        expect(await reachable(`http://${external}:${everywhere.port}/api/health`)).toBe(true);
    } finally {
      await everywhere.node.stop();
    }
  });

  it("refuses to start with a HOST that is no address, naming the variable", async () => {
    const node = startNode({ SERVICES: "api", HOST: "http://0.0.0.0" });
    expect(await node.exited).toBe(1);
    expect(node.output()).toContain("Configuration error in HOST");
  });
});
