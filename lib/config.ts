/**
 * The configuration contract (see docs/ARCHITECTURE.md, "Configuration").
 *
 * Everything MindSpaces reads from the environment is read here, once, into a typed object, so
 * a typo in a variable name is a compile error and a bad value is refused at start with a
 * message that names the variable.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { isIP } from "node:net";
import { isValidTimeZone } from "./time-zones";

export type Locale = "nl" | "en";

export interface TransporterConfig {
  /** Server addresses without credentials, safe to log. */
  servers: string[];
  user?: string;
  pass?: string;
  /** A token the server expects instead of a user name and password. */
  token?: string;
  /** A file holding an NKey seed (`SU…`): the node proves it holds the key, no secret is sent. */
  nkeySeedFile?: string;
  /** TLS to NATS: required when set (a server without it is refused); files are paths. */
  tls?: NatsTlsFiles;
}

export interface NatsTlsFiles {
  /** The CA that signed the server's certificate; the system's CAs without it. */
  caFile?: string;
  /** A client certificate and its key, for a server that verifies its clients (mutual TLS). */
  certFile?: string;
  keyFile?: string;
}

export interface AppConfig {
  transporter: TransporterConfig | null;
  mongoUri: string | null;
  dataDir: string | null;
  /** Services this node runs; `null` means all of them. */
  services: string[] | null;
  namespace: string;
  nodeID: string | null;
  port: number;
  /**
   * The listen address of the gateway and of the metrics (METRICS_PORT): loopback by default, so
   * a try-out is not open to the network; the container image sets 0.0.0.0 (all interfaces).
   */
  host: string;
  jwtExpiresIn: string;
  adminEmail: string | null;
  adminPassword: string | null;
  smtpUrl: string | null;
  mailFrom: string;
  /** Minutes before a reservation starts that its owner is reminded. */
  reminderMinutes: number;
  /** How often each notifications instance looks for due reminders and unsent e-mails. */
  reminderCheckSeconds: number;
  defaultTimeZone: string;
  defaultLocale: Locale;
  logLevel: string;
  metricsPort: number | null;
  corsOrigins: string[];
  selfRegistration: boolean;
  authRateLimitPerMinute: number;
  bodyLimit: string;
  /** The whole request, body included, must arrive within this; then 408 and the socket closes. */
  httpRequestTimeoutMs: number;
  /** The request's headers must arrive within this (capped at the request timeout). */
  httpHeadersTimeoutMs: number;
  /** Open connections one client address may hold; 0 turns the bound off (behind a proxy). */
  maxConnectionsPerClient: number;
  trustProxy: boolean;
  allowEmbeddedStore: boolean;
  /** A few example spaces in an empty catalogue, so a try-out can book at once. */
  demoSpaces: boolean;
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Configuration error in ${variable}: ${problem}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const value = text(env, name);
  if (value === null) return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(name, `expected true or false, got "${value}"`);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = text(env, name);
  if (value === null) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new ConfigError(name, `expected a whole number from ${min} to ${max}, got "${value}"`);
  }
  return parsed;
}

function list(env: Env, name: string): string[] {
  return (text(env, name) ?? "")
    .split(",")
    .map(item => item.trim())
    .filter(Boolean);
}

/** An IP address (v4 or v6) or a host name such as `localhost`. */
function listenAddress(env: Env, name: string, fallback: string): string {
  const value = text(env, name);
  if (value === null) return fallback;
  const hostName =
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
  if (isIP(value) === 0 && !hostName.test(value)) {
    throw new ConfigError(
      name,
      `expected an address to listen on, such as 127.0.0.1 or 0.0.0.0, got "${value}"`,
    );
  }
  return value;
}

/** A file the node must read at start: refused now, naming the variable, if it cannot. */
function readableFile(env: Env, name: string): string | undefined {
  const file = text(env, name);
  if (file === null) return undefined;
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw new ConfigError(name, `cannot read the file "${file}"`);
  }
  return file;
}

/**
 * TLS is on when TRANSPORTER uses `tls://` or any NATS_TLS_* file is named; then a server that
 * does not offer TLS is refused rather than spoken to in clear text.
 */
function parseNatsTls(env: Env, tlsScheme: boolean): NatsTlsFiles | undefined {
  const files: NatsTlsFiles = {
    caFile: readableFile(env, "NATS_TLS_CA"),
    certFile: readableFile(env, "NATS_TLS_CERT"),
    keyFile: readableFile(env, "NATS_TLS_KEY"),
  };
  if (Boolean(files.certFile) !== Boolean(files.keyFile)) {
    throw new ConfigError(
      files.certFile ? "NATS_TLS_KEY" : "NATS_TLS_CERT",
      "a client certificate needs both NATS_TLS_CERT and NATS_TLS_KEY",
    );
  }
  if (!tlsScheme && !files.caFile && !files.certFile) return undefined;
  return Object.fromEntries(Object.entries(files).filter(([, file]) => file)) as NatsTlsFiles;
}

/**
 * Credentials may come inside the URL (`nats://user:pass@host:4222`), as NATS_USER and
 * NATS_PASSWORD, as NATS_TOKEN or as an NKey seed file (NATS_NKEY_SEED_FILE); they are split off
 * here so the URL that is logged carries none. One way at a time: a server accepts one.
 */
export function parseTransporter(env: Env): TransporterConfig | null {
  const raw = text(env, "TRANSPORTER");
  if (raw === null) return null;
  let user = text(env, "NATS_USER") ?? undefined;
  let pass = text(env, "NATS_PASSWORD") ?? undefined;
  let tlsScheme = false;
  const servers = raw.split(",").map(entry => {
    let url: URL;
    try {
      url = new URL(entry.trim());
    } catch {
      throw new ConfigError("TRANSPORTER", "expected a URL such as nats://127.0.0.1:4222");
    }
    if (url.protocol !== "nats:" && url.protocol !== "tls:") {
      throw new ConfigError(
        "TRANSPORTER",
        "only NATS (nats://host:port or tls://host:port) is supported",
      );
    }
    tlsScheme ||= url.protocol === "tls:";
    user ??= url.username ? decodeURIComponent(url.username) : undefined;
    pass ??= url.password ? decodeURIComponent(url.password) : undefined;
    return `nats://${url.host}`;
  });
  const token = text(env, "NATS_TOKEN") ?? undefined;
  const nkeySeedFile = readableFile(env, "NATS_NKEY_SEED_FILE");
  const ways = [user || pass ? "NATS_USER" : null, token ? "NATS_TOKEN" : null];
  ways.push(nkeySeedFile ? "NATS_NKEY_SEED_FILE" : null);
  const named = ways.filter(Boolean);
  if (named.length > 1) {
    throw new ConfigError(named[1]!, `use one way to sign in to NATS, not ${named.join(" and ")}`);
  }
  if (Boolean(user) !== Boolean(pass)) {
    throw new ConfigError(user ? "NATS_PASSWORD" : "NATS_USER", "a NATS user needs a password");
  }
  const transporter: TransporterConfig = { servers };
  if (user) Object.assign(transporter, { user, pass });
  if (token) transporter.token = token;
  if (nkeySeedFile) transporter.nkeySeedFile = nkeySeedFile;
  const tls = parseNatsTls(env, tlsScheme);
  if (tls) transporter.tls = tls;
  return transporter;
}

/** A space's default zone: refused here, not on every space made without one of its own. */
function timeZone(env: Env, name: string, fallback: string): string {
  const zone = text(env, name) ?? fallback;
  if (!isValidTimeZone(zone)) {
    throw new ConfigError(
      name,
      `expected an IANA time zone such as Europe/Amsterdam, got "${zone}"`,
    );
  }
  return zone;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const services = list(env, "SERVICES");
  const locale = text(env, "DEFAULT_LOCALE") ?? "nl";
  if (locale !== "nl" && locale !== "en") {
    throw new ConfigError("DEFAULT_LOCALE", `expected nl or en, got "${locale}"`);
  }
  return {
    transporter: parseTransporter(env),
    mongoUri: text(env, "MONGO_URI"),
    dataDir: text(env, "DATA_DIR"),
    services: services.length === 0 || services.includes("all") ? null : services,
    namespace: text(env, "NAMESPACE") ?? "",
    nodeID: text(env, "NODE_ID"),
    port: integer(env, "PORT", 3000, 0, 65535),
    host: listenAddress(env, "HOST", "127.0.0.1"),
    jwtExpiresIn: text(env, "JWT_EXPIRES_IN") ?? "8h",
    adminEmail: text(env, "ADMIN_EMAIL"),
    adminPassword: text(env, "ADMIN_PASSWORD"),
    smtpUrl: text(env, "SMTP_URL"),
    mailFrom: text(env, "MAIL_FROM") ?? "MindSpaces <no-reply@mindspaces.invalid>",
    reminderMinutes: integer(env, "REMINDER_MINUTES", 30, 1, 7 * 24 * 60),
    reminderCheckSeconds: integer(env, "REMINDER_CHECK_SECONDS", 15, 1, 3600),
    defaultTimeZone: timeZone(env, "TZ_DEFAULT", "Europe/Amsterdam"),
    defaultLocale: locale,
    logLevel: text(env, "LOG_LEVEL") ?? "info",
    metricsPort: text(env, "METRICS_PORT") ? integer(env, "METRICS_PORT", 0, 1, 65535) : null,
    corsOrigins: list(env, "CORS_ORIGINS"),
    selfRegistration: flag(env, "SELF_REGISTRATION", true),
    authRateLimitPerMinute: integer(env, "AUTH_RATE_LIMIT", 20, 1, 1_000_000),
    bodyLimit: text(env, "BODY_LIMIT") ?? "100kb",
    httpRequestTimeoutMs: integer(env, "HTTP_REQUEST_TIMEOUT_MS", 30_000, 1_000, 600_000),
    httpHeadersTimeoutMs: integer(env, "HTTP_HEADERS_TIMEOUT_MS", 10_000, 1_000, 600_000),
    maxConnectionsPerClient: integer(env, "MAX_CONNECTIONS_PER_CLIENT", 100, 0, 1_000_000),
    trustProxy: flag(env, "TRUST_PROXY", false),
    allowEmbeddedStore: flag(env, "ALLOW_EMBEDDED_STORE", false),
    // On by default only for the in-memory try-out, whose catalogue is empty at every start.
    demoSpaces: flag(
      env,
      "DEMO_SPACES",
      !text(env, "TRANSPORTER") && !text(env, "MONGO_URI") && !text(env, "DATA_DIR"),
    ),
  };
}

/** Words of the placeholders in .env.example and in documentation everywhere. */
const PLACEHOLDER_WORDS = /change-?me|replace-?me|placeholder|example|your-?secret|secret-?key/i;

/** Why a secret is too easy to guess, or `null`. Length alone let the placeholder through. */
export function secretWeakness(secret: string): string | null {
  if (PLACEHOLDER_WORDS.test(secret)) return "is a placeholder, not a secret";
  if (/^(.{1,8}?)\1+$/.test(secret)) return "repeats a short pattern";
  if (new Set(secret).size < 12) return "uses too few different characters";
  return null;
}

let generatedSecret: string | null = null;

/**
 * The JWT secret is never part of the config object, broker options or service settings, so it
 * cannot leak through `$node.options`, INFO packets or logs. In the embedded default one is
 * generated per process start (tokens then end with the process, which is what a try-out wants);
 * with a transporter several nodes must agree on it, so it is required.
 */
export function jwtSecret(env: Env = process.env): string {
  const configured = text(env, "JWT_SECRET");
  if (configured !== null) {
    if (configured.length < 32) {
      throw new ConfigError("JWT_SECRET", "must be at least 32 characters long");
    }
    const weakness = secretWeakness(configured);
    if (weakness) {
      throw new ConfigError(
        "JWT_SECRET",
        `${weakness}; generate a random one, e.g. with \`openssl rand -base64 48\``,
      );
    }
    return configured;
  }
  if (text(env, "TRANSPORTER") !== null) {
    throw new ConfigError("JWT_SECRET", "is required when TRANSPORTER is set");
  }
  generatedSecret ??= randomBytes(48).toString("base64url");
  return generatedSecret;
}
