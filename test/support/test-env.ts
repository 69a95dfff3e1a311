/** Per-run isolation: every suite gets its own NATS namespace and its own database. */
import { randomBytes } from "node:crypto";
import { MongoClient } from "mongodb";
import { loadConfig, type AppConfig } from "../../lib/config";
import { namespaceStreams } from "../../lib/namespace-streams";

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
}

export function natsUrl(): string {
  return process.env.TEST_NATS_URL ?? "nats://127.0.0.1:4222";
}

/** A fresh database on the Mongo-wire server started by test/support/global-setup.js. */
export function mongoUri(database: string): string {
  const base = process.env.TEST_MONGO_URL;
  if (!base) throw new Error("TEST_MONGO_URL is not set; run the tests with `npm test`");
  return `${base.replace(/\/$/, "")}/${database}`;
}

export async function dropDatabase(uri: string): Promise<void> {
  const client = await MongoClient.connect(uri, { useUnifiedTopology: true });
  try {
    await client.db().dropDatabase();
  } finally {
    await client.close();
  }
}

export const TEST_ADMIN = { email: "admin@mindspaces.test", password: "Tulip-garden-2026!" };

/** The embedded default, as a test would configure it: an ephemeral port and a seeded admin. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    ...loadConfig({}),
    port: 0,
    adminEmail: TEST_ADMIN.email,
    adminPassword: TEST_ADMIN.password,
    authRateLimitPerMinute: 10_000,
    demoSpaces: false,
    ...overrides,
  };
}

/** Removes the JetStream streams a run created under its namespace (channels prefix them with it). */
export async function deleteStreams(namespace: string): Promise<string[]> {
  const deleted = await namespaceStreams("delete", namespace, { TRANSPORTER: natsUrl() });
  return deleted.map(stream => stream.name);
}
