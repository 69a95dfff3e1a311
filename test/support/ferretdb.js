/**
 * FerretDB 1.x, a MongoDB wire-compatible server on PostgreSQL (when one is reachable) or SQLite,
 * for the suites that need Mongo.
 * There is no MongoDB package for this machine; FerretDB builds from its Go module. The module
 * source has no build/version/version.txt (normally written from git), so it is built from a
 * copy with that file added. The binary is cached under .cache/ and reused.
 */
const { execFileSync, spawn } = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");

const VERSION = "v1.24.2";
const MODULE = "github.com/FerretDB/FerretDB";
const ROOT = path.resolve(__dirname, "..", "..");
const BINARY = path.join(ROOT, ".cache", "ferretdb", VERSION, "ferretdb");

function buildFerretDb() {
  if (fs.existsSync(BINARY)) return BINARY;
  console.log(`Building FerretDB ${VERSION} with Go (once; cached in .cache/ferretdb)...`);
  const info = JSON.parse(
    execFileSync("go", ["mod", "download", "-json", `${MODULE}@${VERSION}`], { encoding: "utf8" }),
  );
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "ferretdb-src-"));
  try {
    fs.cpSync(info.Dir, work, { recursive: true });
    execFileSync("chmod", ["-R", "u+w", work]);
    fs.writeFileSync(path.join(work, "build", "version", "version.txt"), `${VERSION}\n`);
    fs.mkdirSync(path.dirname(BINARY), { recursive: true });
    execFileSync("go", ["build", "-o", BINARY, "./cmd/ferretdb"], {
      cwd: work,
      stdio: "inherit",
      env: { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=mod" },
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return BINARY;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.end();
        resolve();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`FerretDB did not listen on ${port} in time`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

const PG_URL = process.env.TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432";

/** The connection arguments of PostgreSQL's command-line tools for TEST_PG_URL. */
function pgConnection() {
  const pg = new URL(PG_URL);
  return ["-h", pg.hostname, "-p", pg.port || "5432", "-U", pg.username || "postgres"];
}

/** Whether PostgreSQL answers at TEST_PG_URL (trust auth, createdb/dropdb on the PATH). */
function postgresReachable() {
  try {
    execFileSync("pg_isready", [...pgConnection(), "-q"], {
      stdio: "ignore",
      timeout: 5_000,
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts FerretDB on loopback: on a fresh PostgreSQL database (`backend: "postgresql"`, dropped
 * by stop), on SQLite in a fresh temporary folder (`"sqlite"`), or on PostgreSQL when it is
 * reachable and SQLite otherwise (`"auto"`, the default).
 */
async function startFerretDb({ backend = "auto" } = {}) {
  const binary = buildFerretDb();
  const usePostgres = backend === "postgresql" || (backend === "auto" && postgresReachable());
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "mindspaces-ferretdb-"));
  const port = await freePort();
  let database = null;
  const storage = [];
  if (usePostgres) {
    database = `mindspaces_test_${process.pid}_${Date.now().toString(36)}`;
    execFileSync("createdb", [...pgConnection(), database]);
    // A small pool: PostgreSQL's connections are shared by everything on the machine. Custom
    // plans only, as in production (deploy/ferretdb/pushdown-indexes.sql says why).
    storage.push(
      "--handler=postgresql",
      `--postgresql-url=${PG_URL}/${database}?pool_max_conns=10&plan_cache_mode=force_custom_plan`,
    );
  } else {
    storage.push("--handler=sqlite", `--sqlite-url=file:${stateDir}/`);
  }
  const child = spawn(
    binary,
    [
      ...storage,
      `--state-dir=${stateDir}`,
      `--listen-addr=127.0.0.1:${port}`,
      "--debug-addr=127.0.0.1:0",
      "--telemetry=disable",
      "--log-level=error",
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const exited = new Promise(resolve => child.once("exit", resolve));
  await waitForPort(port, 30_000);
  return {
    url: `mongodb://127.0.0.1:${port}`,
    backend: usePostgres ? "postgresql" : "sqlite",
    /** The PostgreSQL database FerretDB keeps its data in (null on SQLite), and how to reach it. */
    database,
    postgresUrl: database ? `${PG_URL}/${database}` : null,
    async stop() {
      child.kill("SIGTERM");
      await exited;
      fs.rmSync(stateDir, { recursive: true, force: true });
      if (database) {
        execFileSync("dropdb", ["--if-exists", "--force", ...pgConnection(), database]);
      }
    },
  };
}

module.exports = { buildFerretDb, startFerretDb, freePort };

if (require.main === module) buildFerretDb();
