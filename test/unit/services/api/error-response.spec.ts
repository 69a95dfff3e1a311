import { Errors } from "moleculer";
import { MindSpacesError } from "../../../../lib/errors";
import { toClientError } from "../../../../services/api/error-response";
import { findOperatorKey } from "../../../../services/api/operator-guard";

describe("operator guard", () => {
  it("finds operator and dotted keys at any depth", () => {
    expect(findOperatorKey({ email: { $ne: "x" } })).toBe("email.$ne");
    expect(findOperatorKey({ a: [{ b: { $where: "1" } }] })).toBe("a.0.b.$where");
    expect(findOperatorKey({ "profile.role": "admin" })).toBe("profile.role");
    expect(findOperatorKey({ email: "a@b.nl", tags: ["$not-a-key"] })).toBeNull();
    expect(findOperatorKey(undefined)).toBeNull();
  });
});

describe("client error mapping", () => {
  it("maps validation errors to 400 and drops the rejected values", () => {
    const err = new Errors.ValidationError("bad", "VALIDATION_ERROR", [
      {
        type: "email",
        field: "email",
        message: "The 'email' field must be a valid e-mail.",
        actual: "hunter2-secret",
      },
    ]);
    const mapped = toClientError(err);
    expect(mapped).toMatchObject({ code: 400, type: "VALIDATION_ERROR", internal: false });
    expect(JSON.stringify(mapped)).not.toContain("hunter2-secret");
  });

  it("answers 503 when the database cannot be reached, as the driver or the broker hands it on", () => {
    for (const name of ["MongoNetworkError", "MongoServerSelectionError", "MongoTimeoutError"]) {
      const local = Object.assign(new Error("connection 3 to 127.0.0.1:27017 closed"), { name });
      const remote = { name, message: "connection closed", code: 500, nodeID: "res-1" };
      for (const err of [local, remote]) {
        expect(toClientError(err)).toMatchObject({
          code: 503,
          type: "SERVICE_UNAVAILABLE",
          internal: false,
        });
      }
    }
    // The server's own "cannot serve now": FerretDB's InternalError when its backend transaction
    // is cut off by a shutdown, MongoDB's ShutdownInProgress.
    const cutOff = {
      name: "MongoError",
      message:
        "[db.go:167 fsql.(*DB).InTransaction] sql: transaction has already been committed or rolled back",
      code: 1,
      nodeID: "res-1",
    };
    // An update FerretDB cancelled as it shut down (CI, the database-outage fault test).
    const cancelled = {
      name: "MongoError",
      message:
        "[msg_update.go:133 handler.(*Handler).updateDocument] [update.go:114 common.UpdateDocument] [collection.go:191 sqlite.(*collection).UpdateAll] [collection.go:177 sqlite.(*collection).UpdateAll.func1] context canceled",
      code: 1,
      nodeID: "res-1",
    };
    const interrupted = { name: "MongoError", message: "sqlite: interrupted (9)", code: 1 };
    const shuttingDown = { name: "MongoServerError", message: "shutdown in progress", code: 91 };
    for (const err of [cutOff, cancelled, interrupted, shuttingDown]) {
      expect(toClientError(err)).toMatchObject({ code: 503, storeDown: true, internal: false });
    }
    // A query the server rejects is our bug: 500. So is any other failure FerretDB does not
    // classify, which it also answers with code 1.
    const badQuery = { name: "MongoError", message: "unknown operator: $foo", code: 2 };
    const refusedData = {
      name: "MongoError",
      message: "ERROR: unsupported Unicode escape sequence (SQLSTATE 22P05)",
      code: 1,
    };
    for (const err of [badQuery, refusedData]) {
      expect(toClientError(err)).toMatchObject({ code: 500, internal: true });
    }
    // PostgreSQL under FerretDB refusing connections, or shutting down.
    for (const message of [
      "failed to connect to `host=127.0.0.1 user=postgres database=ms`: dial error (dial tcp 127.0.0.1:5432: connect: connection refused)",
      "FATAL: terminating connection due to administrator command (SQLSTATE 57P01)",
    ]) {
      expect(toClientError({ name: "MongoError", message, code: 1 })).toMatchObject({ code: 503 });
    }
    // Any other failure stays ours: 500, its details logged and not shown.
    expect(toClientError(new TypeError("x is undefined"))).toMatchObject({
      code: 500,
      internal: true,
    });
  });

  it("keeps our own client errors, also when they crossed the broker as plain data", () => {
    expect(toClientError(new MindSpacesError("EMAIL_TAKEN"))).toMatchObject({
      code: 409,
      type: "EMAIL_TAKEN",
    });
    expect(toClientError({ code: 403, type: "FORBIDDEN", name: "MoleculerError" })).toMatchObject({
      code: 403,
      type: "FORBIDDEN",
    });
  });

  it("turns unavailable services into 503 and anything unknown into an internal 500", () => {
    expect(
      toClientError(new Errors.ServiceNotAvailableError({ action: "users.me" })),
    ).toMatchObject({ code: 503 });
    expect(toClientError(new Errors.RequestTimeoutError({ action: "users.me" }))).toMatchObject({
      code: 503,
    });
    // Its time ran out while it queued behind a hanging service (faults-failing-dependency).
    expect(
      toClientError(new Errors.RequestSkippedError({ action: "spaces.get", nodeID: "res-1" })),
    ).toMatchObject({ code: 503, type: "SERVICE_UNAVAILABLE" });
    expect(toClientError(new Error("boom"))).toEqual({
      code: 500,
      type: "INTERNAL_ERROR",
      internal: true,
    });
    expect(toClientError({ code: 418, type: "SOMETHING_ELSE" })).toMatchObject({
      code: 500,
      internal: true,
    });
  });
});
