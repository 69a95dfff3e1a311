/**
 * A NATS server of the test's own (never the shared one at 127.0.0.1:4222): `nats-server` on a
 * free loopback port, with JetStream in a temporary directory and whatever authorization or TLS
 * block the test adds to its generated configuration file. It may be halted and started again on
 * the same port with the same store, as a broker restart.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./ferretdb";
import { waitFor } from "./waiting";

const BINARY = process.env.NATS_SERVER_BIN ?? "/usr/sbin/nats-server";

export interface OwnNatsServer {
  port: number;
  url: string;
  /** A directory for the test's files (certificates, seeds); removed by stop(). */
  dir: string;
  /** What the server wrote since it was last started. */
  log(): string;
  /** Stops the server, keeping its port and JetStream store for start(). */
  halt(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again after halt(). */
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  stop(): Promise<void>;
}

/** A quoted string for the NATS configuration format. */
export const natsString = (value: string) => JSON.stringify(value);

/** Starts nats-server with `settings` (configuration text) added to listen and JetStream. */
export async function startNatsServer(
  settings: (dir: string) => string = () => "",
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ms-nats-")),
  /** Added to the server's environment (a configuration may refer to `$NAME`). */
  env: Record<string, string> = {},
): Promise<OwnNatsServer> {
  const port = await freePort();
  const config = path.join(dir, "nats.conf");
  fs.writeFileSync(
    config,
    [
      `listen: "127.0.0.1:${port}"`,
      `jetstream { store_dir: ${natsString(path.join(dir, "js"))} }`,
      settings(dir),
    ].join("\n"),
  );
  let child: ChildProcess | null = null;
  let exited = Promise.resolve();
  let log = "";

  async function start() {
    log = "";
    const running = spawn(BINARY, ["-c", config], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...env },
    });
    child = running;
    running.stdout?.on("data", chunk => (log += chunk));
    running.stderr?.on("data", chunk => (log += chunk));
    exited = new Promise<void>(resolve => running.on("exit", () => resolve()));
    const failed = (why: string) => {
      running.kill("SIGKILL");
      return new Error(`nats-server ${why}:\n${log}`);
    };
    await waitFor(
      () => log.includes("Server is ready") || running.exitCode !== null,
      "nats-server to start",
      10_000,
    ).catch(() => {
      throw failed("did not start in time");
    });
    if (running.exitCode !== null) throw failed("exited");
  }

  async function halt(signal: NodeJS.Signals = "SIGTERM") {
    if (child && child.exitCode === null) child.kill(signal);
    child = null;
    await exited;
  }

  await start();
  return {
    port,
    url: `nats://127.0.0.1:${port}`,
    dir,
    log: () => log,
    halt,
    start,
    async stop() {
      await halt();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
