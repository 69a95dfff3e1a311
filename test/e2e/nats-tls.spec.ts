/**
 * NATS over TLS with client certificates (mutual TLS) and credentials, on a nats-server of the
 * test's own with certificates made in the test (test/support/certificates.ts): nodes with the
 * CA, their certificate and the password join and serve; a node that trusts another CA, shows a
 * certificate another CA signed, or speaks without TLS, cannot connect.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import {
  createAuthority,
  issueCertificate,
  writeCertificate,
  type CertificateFiles,
} from "../support/certificates";
import { natsString, startNatsServer, type OwnNatsServer } from "../support/nats-server";
import {
  bookAndAwaitNotification,
  failedJoin,
  startCluster,
  type Cluster,
} from "../support/nats-cluster";

describe("NATS that requires TLS with client certificates", () => {
  const password = randomBytes(18).toString("base64url");
  let server: OwnNatsServer;
  let cluster: Cluster;
  let caFile = "";
  let client: CertificateFiles;
  let rogueCaFile = "";
  let rogueClient: CertificateFiles;
  let url = "";
  const intruderLogs: string[] = [];

  beforeAll(async () => {
    server = await startNatsServer(dir => {
      const authority = createAuthority("MindSpaces test CA");
      const rogue = createAuthority("Rogue CA");
      caFile = writeCertificate(dir, "ca", authority).certFile;
      rogueCaFile = writeCertificate(dir, "rogue-ca", rogue).certFile;
      const serverFiles = writeCertificate(
        dir,
        "server",
        issueCertificate(authority, "nats", "server"),
      );
      client = writeCertificate(dir, "client", issueCertificate(authority, "node", "client"));
      rogueClient = writeCertificate(dir, "rogue", issueCertificate(rogue, "node", "client"));
      return [
        "tls {",
        `  cert_file: ${natsString(serverFiles.certFile)}`,
        `  key_file: ${natsString(serverFiles.keyFile)}`,
        `  ca_file: ${natsString(caFile)}`,
        "  verify: true",
        "  timeout: 5",
        "}",
        `authorization { user: "mindspaces", password: ${natsString(password)} }`,
      ].join("\n");
    });
    url = `tls://127.0.0.1:${server.port}`;
    cluster = await startCluster({
      TRANSPORTER: url,
      NATS_USER: "mindspaces",
      NATS_PASSWORD: password,
      NATS_TLS_CA: caFile,
      NATS_TLS_CERT: client.certFile,
      NATS_TLS_KEY: client.keyFile,
    });
  }, 90_000);

  afterAll(async () => {
    await cluster?.stop();
    await server?.stop();
  });

  it("lets nodes with the CA, a certificate and the password serve and deliver events", async () => {
    await bookAndAwaitNotification(cluster.baseUrl);
  });

  it("keeps out a node that trusts another CA: it refuses the server's certificate", async () => {
    const { log, stopped } = await failedJoin(cluster, {
      TRANSPORTER: url,
      NATS_USER: "mindspaces",
      NATS_PASSWORD: password,
      NATS_TLS_CA: rogueCaFile,
      NATS_TLS_CERT: client.certFile,
      NATS_TLS_KEY: client.keyFile,
    });
    expect(stopped).toBe(true);
    expect(log).toMatch(
      /MindSpaces cannot start\. The NATS server's certificate is not trusted \((self[- ]signed certificate|unable to verify)/i,
    );
    intruderLogs.push(log);
  }, 40_000);

  it("keeps out a node whose certificate another CA signed: the server refuses it", async () => {
    const { log, stopped } = await failedJoin(
      cluster,
      {
        TRANSPORTER: url,
        NATS_USER: "mindspaces",
        NATS_PASSWORD: password,
        NATS_TLS_CA: caFile,
        NATS_TLS_CERT: rogueClient.certFile,
        NATS_TLS_KEY: rogueClient.keyFile,
      },
      1,
    );
    // TLS 1.3 finishes the client's side of the handshake before the server checks its
    // certificate, so the node is not told why: it times out, and retries.
    expect(stopped).toBe(false);
    expect(log).toMatch(/Connection is failed. TIMEOUT/);
    expect(server.log()).toMatch(/TLS handshake error.*(certificate|unknown authority)/i);
    intruderLogs.push(log);
  }, 45_000);

  it("keeps out a node with the password but without TLS settings", async () => {
    const { log, stopped } = await failedJoin(cluster, {
      TRANSPORTER: `nats://127.0.0.1:${server.port}`,
      NATS_USER: "mindspaces",
      NATS_PASSWORD: password,
    });
    // The server asks for TLS and nats.js goes along, but trusts no CA for it.
    expect(stopped).toBe(true);
    expect(log).toMatch(/NATS server's certificate is not trusted/);
    intruderLogs.push(log);
  }, 40_000);

  it("never writes the password or a private key to a log", async () => {
    const logs = [...cluster.nodes.map(node => node.output()), ...intruderLogs].join("\n");
    expect(logs).toContain("NATS client is connected");
    expect(logs).not.toContain(password);
    expect(logs).not.toContain("PRIVATE KEY");
    expect(cluster.nodes.every(node => node.child.exitCode === null)).toBe(true);
    expect(path.dirname(caFile)).toBe(server.dir);
  });
});
