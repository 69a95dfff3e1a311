/** MindSpaces nodes as separate operating-system processes, started as an operator would. */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const ENTRY = path.resolve(__dirname, "..", "..", "dist", "bin", "mindspaces.js");

export interface NodeProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

export function startNode(env: Record<string, string>): NodeProcess {
  if (!fs.existsSync(ENTRY))
    throw new Error(`${ENTRY} is missing: run \`npm run build\` (npm test does)`);
  // Only what a deployment would set: the parent's test variables must not leak in.
  const child = spawn(process.execPath, [ENTRY], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", chunk => (output += chunk));
  child.stderr?.on("data", chunk => (output += chunk));
  const exited = new Promise<number | null>(resolve => child.on("exit", code => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** The gateway on `port`, its auth rate limit out of the way of a test's many sign-ins. */
export function startGateway(env: Record<string, string>, port: number): NodeProcess {
  return startNode({
    ...env,
    SERVICES: "api",
    NODE_ID: "api-1",
    PORT: String(port),
    AUTH_RATE_LIMIT: "10000",
  });
}

export async function waitUntilReady(
  baseUrl: string,
  nodes: NodeProcess[],
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = nodes.find(node => node.child.exitCode !== null);
    if (dead) throw new Error(`A node exited early:\n${dead.output()}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok && ((await res.json()) as { ready?: boolean }).ready === true) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline)
      throw new Error(`Not ready in time:\n${nodes.map(n => n.output()).join("\n")}`);
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}
