/**
 * MindSpaces as `npm start` runs it (dist/bin/mindspaces.js, with the client from dist/web), in
 * its own process on a free port and in a fresh namespace, for the browser tests.
 */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { httpClient, type HttpRequest } from "./http-client";
import { startNode, waitUntilReady } from "./node-process";
import { TEST_ADMIN, uniqueName } from "./test-env";

const CLIENT_INDEX = path.resolve(__dirname, "..", "..", "dist", "web", "index.html");

export interface WebSystem {
  baseUrl: string;
  request: HttpRequest;
  output(): string;
  stop(): Promise<void>;
}

/** A port nobody listens on now; the node takes it a moment later. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startWebSystem(env: Record<string, string> = {}): Promise<WebSystem> {
  if (!fs.existsSync(CLIENT_INDEX)) {
    throw new Error(`${CLIENT_INDEX} is missing: run \`npm run build\` (npm test does)`);
  }
  const port = await freePort();
  const node = startNode({
    PORT: String(port),
    NAMESPACE: uniqueName("web"),
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    AUTH_RATE_LIMIT: "10000",
    LOG_LEVEL: "warn",
    // Each spec makes the spaces it needs; the newcomer spec turns the examples back on.
    DEMO_SPACES: "false",
    ...env,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(baseUrl, [node]);
  } catch (error) {
    await node.stop();
    throw error;
  }
  return {
    baseUrl,
    request: httpClient(baseUrl),
    output: node.output,
    async stop() {
      await node.stop();
    },
  };
}
