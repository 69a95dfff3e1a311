/**
 * MindSpaces as an operator runs it: a gateway process and a users process (`SERVICES=api`,
 * `SERVICES=users`) talking over NATS, users storing in the Mongo-wire server.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { DateTime } from "luxon";
import { httpClient } from "../support/http-client";
import { signInAdmin } from "../support/accounts";
import { describeHttpContract, CONTRACT_PASSWORD } from "../support/http-contract";
import { freePort } from "../support/ferretdb";
import { startGateway, startNode, waitUntilReady, type NodeProcess } from "../support/node-process";
import {
  deleteStreams,
  dropDatabase,
  mongoUri,
  natsUrl,
  TEST_ADMIN,
  uniqueName,
} from "../support/test-env";
import { ALWAYS_OPEN } from "../support/opening-hours";

const secret = randomBytes(48).toString("base64url");
// Credentials for a mail server that is not there: sending fails, and must not log them.
const smtpPassword = randomBytes(12).toString("hex");
const nodes: NodeProcess[] = [];
let database = "";

/** A booking, so the notifications service tries (and fails) to send its e-mail. */
async function bookSomething(baseUrl: string) {
  const request = httpClient(baseUrl);
  const admin = await signInAdmin(request);
  const space = await request<{ id: string }>("POST", "/api/spaces", {
    token: admin.token,
    json: {
      name: "Mail room",
      kind: "desk",
      location: { site: "Leiden" },
      capacity: 1,
      openingHours: ALWAYS_OPEN,
    },
  });
  const start = DateTime.utc().plus({ days: 2 }).startOf("day").plus({ hours: 9 });
  const booked = await request("POST", "/api/reservations", {
    token: admin.token,
    json: { spaceId: space.body.id, start: start.toISO(), end: start.plus({ hours: 1 }).toISO() },
  });
  if (booked.status !== 201) throw new Error(`booking failed: ${JSON.stringify(booked.body)}`);
}

describeHttpContract(
  "api and users in separate processes over NATS, on the Mongo-wire server",
  async () => {
    const port = await freePort();
    const namespace = uniqueName("ms-e2e");
    database = mongoUri(uniqueName("e2e").replace(/-/g, "_"));
    const shared = {
      TRANSPORTER: natsUrl(),
      NAMESPACE: namespace,
      JWT_SECRET: secret,
      LOG_LEVEL: "info",
    };
    nodes.push(
      startNode({
        ...shared,
        SERVICES: "users,spaces,reservations,notifications,reports",
        NODE_ID: "users-1",
        MONGO_URI: database,
        SMTP_URL: `smtp://mindspaces:${smtpPassword}@127.0.0.1:${await freePort()}`,
        ADMIN_EMAIL: TEST_ADMIN.email,
        ADMIN_PASSWORD: TEST_ADMIN.password,
      }),
      startGateway(shared, port),
    );
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitUntilReady(baseUrl, nodes);
    await bookSomething(baseUrl);
    return {
      baseUrl,
      secret,
      async stop() {
        const codes = await Promise.all(nodes.map(node => node.stop()));
        await dropDatabase(database);
        await deleteStreams(namespace);
        // A graceful stop on SIGTERM exits 0.
        expect(codes).toEqual([0, 0]);
      },
    };
  },
);

describe("the processes' logs", () => {
  it("never contain the JWT secret, passwords, password hashes or mail credentials", () => {
    const logs = nodes.map(node => node.output()).join("\n");
    expect(logs).toContain("users.register");
    // The e-mail for the booking was tried, and the mail server was not there.
    expect(logs).toContain("E-mail not sent yet");
    const secrets = [secret, TEST_ADMIN.password, CONTRACT_PASSWORD, "$argon2id$", smtpPassword];
    for (const secretText of secrets) {
      expect(logs).not.toContain(secretText);
    }
  });
});

describe("a node refuses to start", () => {
  async function refusal(env: Record<string, string>): Promise<string> {
    const node = startNode(env);
    const code = await node.exited;
    expect(code).toBe(1);
    return node.output();
  }

  it("when a data service gets a transporter but no MONGO_URI", async () => {
    const output = await refusal({
      SERVICES: "users",
      TRANSPORTER: natsUrl(),
      NAMESPACE: uniqueName("ms-refuse"),
      JWT_SECRET: secret,
    });
    expect(output).toContain("MONGO_URI");
    expect(output).toContain("ALLOW_EMBEDDED_STORE");
  });

  it("when a transporter is set without JWT_SECRET", async () => {
    const output = await refusal({
      SERVICES: "users",
      TRANSPORTER: natsUrl(),
      NAMESPACE: uniqueName("ms-refuse"),
      ALLOW_EMBEDDED_STORE: "true",
    });
    expect(output).toContain(
      "Configuration error in JWT_SECRET: is required when TRANSPORTER is set",
    );
  });

  it("when JWT_SECRET is the placeholder from .env.example, saying how to make one", async () => {
    const example = fs.readFileSync(path.join(__dirname, "..", "..", ".env.example"), "utf8");
    const placeholder = /^JWT_SECRET=(.*)$/m.exec(example)?.[1] ?? "";
    expect(placeholder.length).toBeGreaterThanOrEqual(32);
    const output = await refusal({ JWT_SECRET: placeholder });
    expect(output).toContain("Configuration error in JWT_SECRET: is a placeholder");
    expect(output).toContain("openssl rand");
    expect(output).not.toContain(placeholder);
  });

  it("when SERVICES names a service that does not exist", async () => {
    expect(await refusal({ SERVICES: "users,bookings" })).toContain("unknown service(s) bookings");
  });
});
