/**
 * FerretDB 1.x, a MongoDB wire-compatible server on SQLite, for the suites that need Mongo.
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

/** Starts FerretDB on loopback with its state in a fresh temporary folder. */
async function startFerretDb() {
  const binary = buildFerretDb();
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "mindspaces-ferretdb-"));
  const port = await freePort();
  const child = spawn(
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
  await waitForPort(port, 30_000);
  return {
    url: `mongodb://127.0.0.1:${port}`,
    stop() {
      child.kill("SIGTERM");
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

module.exports = { buildFerretDb, startFerretDb, freePort };

if (require.main === module) buildFerretDb();
