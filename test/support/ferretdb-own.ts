/**
 * A FerretDB of a test's own, which the test may stop and start again: same port, same data
 * (SQLite files in a temporary folder), as a database server that goes down and comes back.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { buildFerretDb, freePort } from "./ferretdb";

export interface OwnFerretDb {
  url: string;
  start(): Promise<void>;
  /** Stops the server (SIGTERM, or SIGKILL for a crash) and waits until it is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Stops it and removes its data. */
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

export async function ownFerretDb(): Promise<OwnFerretDb> {
  const binary = buildFerretDb();
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "mindspaces-ferretdb-own-"));
  const port = await freePort();
  let child: ChildProcess | null = null;

  const server: OwnFerretDb = {
    url: `mongodb://127.0.0.1:${port}`,
    async start() {
      child = spawn(
        binary,
        [
          "--handler=sqlite",
          `--sqlite-url=file:${stateDir}/`,
          `--state-dir=${stateDir}`,
          `--listen-addr=127.0.0.1:${port}`,
          "--debug-addr=127.0.0.1:0",
          "--telemetry=disable",
          "--log-level=error",
        ],
        { stdio: ["ignore", "ignore", "inherit"] },
      );
      const deadline = Date.now() + 30_000;
      while (!(await listening(port))) {
        if (child.exitCode !== null) throw new Error(`FerretDB exited with ${child.exitCode}`);
        if (Date.now() > deadline) throw new Error(`FerretDB did not listen on ${port} in time`);
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
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
