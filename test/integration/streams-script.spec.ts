/**
 * `npm run streams -- list|delete <namespace>` (bin/streams.ts, run from dist/ as an operator
 * would): it sees and removes the JetStream streams of one namespace and no other's.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { connect, type NatsConnection } from "nats";
import { deleteStreams, natsUrl, uniqueName } from "../support/test-env";

const SCRIPT = path.resolve(__dirname, "..", "..", "dist", "bin", "streams.js");

function streams(...args: string[]): Promise<{ code: number; output: string }> {
  return new Promise(resolve => {
    execFile(
      process.execPath,
      [SCRIPT, ...args],
      { env: { PATH: process.env.PATH ?? "", TRANSPORTER: natsUrl() }, timeout: 20_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
        resolve({ code, output: stdout + stderr });
      },
    );
  });
}

describe("npm run streams", () => {
  const mine = uniqueName("ms-streams");
  const other = uniqueName("ms-streams-other");
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connect({ servers: natsUrl().replace("nats://", "") });
    const jsm = await nc.jetstreamManager();
    for (const [ns, name] of [
      [mine, "reservation_created"],
      [mine, "DEAD_LETTER"],
      [other, "reservation_created"],
    ]) {
      await jsm.streams.add({ name: `${ns}_${name}`, subjects: [`${ns}.${name}`] });
    }
    await nc.jetstream().publish(`${mine}.reservation_created`, new TextEncoder().encode("{}"));
  });

  afterAll(async () => {
    await nc?.close();
    await deleteStreams(mine);
    await deleteStreams(other);
  });

  it("lists the streams of a namespace with their messages", async () => {
    const { code, output } = await streams("list", mine);
    expect(code).toBe(0);
    expect(output).toContain(`stream ${mine}_reservation_created (1 messages)`);
    expect(output).toContain(`stream ${mine}_DEAD_LETTER (0 messages)`);
    expect(output).not.toContain(other);
    expect(output).toContain(`2 stream(s) of namespace '${mine}'`);
  });

  it("deletes the streams of that namespace only", async () => {
    const { code, output } = await streams("delete", mine);
    expect(code).toBe(0);
    expect(output).toContain(`deleted ${mine}_reservation_created`);
    const jsm = await nc.jetstreamManager();
    const left: string[] = [];
    for await (const stream of jsm.streams.list()) left.push(stream.config.name);
    expect(left.filter(name => name.startsWith(`${mine}_`))).toEqual([]);
    expect(left).toContain(`${other}_reservation_created`);
  });

  it("refuses a missing namespace or command, and a missing TRANSPORTER", async () => {
    expect((await streams("delete")).code).toBe(2);
    expect((await streams("purge", mine)).code).toBe(2);
    const noTransporter = await new Promise<{ code: number; output: string }>(resolve =>
      execFile(
        process.execPath,
        [SCRIPT, "list", mine],
        { env: { PATH: process.env.PATH ?? "" }, timeout: 20_000 },
        (err, stdout, stderr) =>
          resolve({ code: err ? Number(err.code) : 0, output: stdout + stderr }),
      ),
    );
    expect(noTransporter.code).toBe(1);
    expect(noTransporter.output).toContain("TRANSPORTER");
  });
});
