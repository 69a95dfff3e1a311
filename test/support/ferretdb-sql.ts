/**
 * SQL on the PostgreSQL database under a test's FerretDB (`startFerretDb({ backend:
 * "postgresql" })`), for what only PostgreSQL can tell: its indexes, its tables, its plans.
 */
import { execFileSync } from "node:child_process";

/** `psql` on `postgresUrl` with `args`, stopping at the first error; its output, trimmed. */
export function psqlOn(postgresUrl: string): (...args: string[]) => string {
  return (...args) =>
    execFileSync("psql", [postgresUrl, "-v", "ON_ERROR_STOP=1", "-X", "-q", "-At", ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
}

/** The PostgreSQL table FerretDB keeps `collection` of MongoDB database `schema` in. */
export function tableOf(psql: (...args: string[]) => string, schema: string, collection: string) {
  return psql(
    "-c",
    `SELECT _jsonb->>'table' FROM ${schema}._ferretdb_database_metadata WHERE _jsonb->>'_id' = '${collection}'`,
  );
}
