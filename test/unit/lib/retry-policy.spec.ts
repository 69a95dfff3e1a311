import { Errors } from "moleculer";
import { isUnreachable } from "../../../lib/channels/retry-policy";

describe("which handler failures wait for a dependency instead of using up an attempt", () => {
  it("waits for what is down: a service, the database's connection, a database shutting down", () => {
    const unreachable = [
      new Errors.ServiceNotAvailableError({ action: "spaces.get", nodeID: "n1" }),
      new Errors.RequestTimeoutError({ action: "spaces.get", nodeID: "n1" }),
      Object.assign(new Error("connection closed"), { name: "MongoNetworkError" }),
      { name: "MongoServerSelectionError", message: "no server" },
      {
        name: "MongoError",
        message: "sql: transaction has already been committed or rolled back",
        code: 1,
      },
      { name: "MongoServerError", message: "interrupted at shutdown", code: 11600 },
    ];
    for (const err of unreachable)
      expect({ err, waits: isUnreachable(err) }).toEqual({ err, waits: true });
  });

  it("does not wait for what is wrong: our errors, a rejected query, a duplicate key", () => {
    const wrong = [
      new TypeError("x is undefined"),
      { name: "MongoError", message: "unknown operator: $foo", code: 2 },
      // FerretDB's catch-all for what it does not classify, here data PostgreSQL refuses: a
      // message that always fails must use up its attempts, not wait two minutes on each.
      {
        name: "MongoError",
        message: "unsupported Unicode escape sequence (SQLSTATE 22P05)",
        code: 1,
      },
      { name: "MongoServerError", message: "E11000 duplicate key", code: 11000 },
      null,
      "text",
    ];
    for (const err of wrong)
      expect({ err, waits: isUnreachable(err) }).toEqual({ err, waits: false });
  });
});
