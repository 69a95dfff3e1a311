/**
 * A NATS server with JetStream of a test's own (never the shared one at 4222), which the test may
 * stop and start again on the same port with the same store, as a broker restart.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort } from "./ferretdb";

const BINARY = "/usr/sbin/nats-server";

export interface OwnNats {
  url: string;
  start(): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Stops it and removes its JetStream store. */
  remove(): Promise<void>;
}

function listening(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.end();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export async function ownNats(): Promise<OwnNats> {
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), "mindspaces-nats-own-"));
  const port = await freePort();
  let child: ChildProcess | null = null;

  const server: OwnNats = {
    url: `nats://127.0.0.1:${port}`,
    async start() {
      child = spawn(BINARY, ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", storeDir], {
        stdio: ["ignore", "ignore", "ignore"],
      });
      const deadline = Date.now() + 15_000;
      while (!(await listening(port))) {
        if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}`);
        if (Date.now() > deadline) throw new Error(`nats-server did not listen on ${port} in time`);
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    },
    async stop(signal = "SIGTERM") {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise(resolve => running.once("exit", resolve));
      running.kill(signal);
      await exited;
    },
    async remove() {
      await server.stop();
      fs.rmSync(storeDir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
