/**
 * Before any suite: the servers the integration and end-to-end suites need. NATS is expected
 * to run (it does on this machine and in CI); Mongo-wire is FerretDB, started here unless
 * TEST_MONGO_URL points at a server already (test/support/ferretdb.js; on SQLite, or with
 * TEST_FERRETDB_BACKEND=postgresql on a fresh PostgreSQL database dropped afterwards). Nothing
 * is skipped: a missing server fails the run.
 */
const net = require("node:net");
const { startFerretDb } = require("./ferretdb");

function reachable(url) {
  const { hostname, port } = new URL(url);
  return new Promise(resolve => {
    const socket = net.connect(Number(port), hostname);
    socket.setTimeout(2000);
    socket.once("connect", () => {
      socket.end();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

module.exports = async function globalSetup() {
  process.env.TEST_NATS_URL ??= "nats://127.0.0.1:4222";
  if (!(await reachable(process.env.TEST_NATS_URL))) {
    throw new Error(
      `NATS is not reachable at ${process.env.TEST_NATS_URL}; start nats-server -js (see README).`,
    );
  }
  if (!process.env.TEST_MONGO_URL) {
    // SQLite unless TEST_FERRETDB_BACKEND says postgresql (or auto: PostgreSQL when reachable).
    // Measured on reservations.mongo.spec.ts, PostgreSQL did not make the suites faster here.
    const ferret = await startFerretDb({ backend: process.env.TEST_FERRETDB_BACKEND ?? "sqlite" });
    globalThis.__FERRETDB__ = ferret;
    process.env.TEST_MONGO_URL = ferret.url;
  }
};
