/**
 * A NATS server of the test's own (never the shared one at 127.0.0.1:4222): `nats-server` on a
 * free loopback port, with JetStream in a temporary directory and whatever authorization or TLS
 * block the test adds to its generated configuration file.
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
  /** A directory for the test's files (certificates, seeds); removed by stop(). */
  dir: string;
  log(): string;
  stop(): Promise<void>;
}

/** A quoted string for the NATS configuration format. */
export const natsString = (value: string) => JSON.stringify(value);

/** Starts nats-server with `settings` (configuration text) added to listen and JetStream. */
export async function startNatsServer(
  settings: (dir: string) => string,
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ms-nats-")),
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
  const child: ChildProcess = spawn(BINARY, ["-c", config], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout?.on("data", chunk => (log += chunk));
  child.stderr?.on("data", chunk => (log += chunk));
  const exited = new Promise<void>(resolve => child.on("exit", () => resolve()));
  const failed = (why: string) => {
    child.kill("SIGKILL");
    return new Error(`nats-server ${why}:\n${log}`);
  };
  await waitFor(
    () => log.includes("Server is ready") || child.exitCode !== null,
    "nats-server to start",
    10_000,
  ).catch(() => {
    throw failed("did not start in time");
  });
  if (child.exitCode !== null) throw failed("exited");
  return {
    port,
    dir,
    log: () => log,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
