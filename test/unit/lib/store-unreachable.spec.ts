/**
 * The driver errors that mean "the database cannot be reached" are matched by name, since they
 * cross the broker as plain data: the names must be ones the installed driver raises, or a
 * driver upgrade that renames one would turn its outage answers back into 500s unnoticed.
 */
import * as mongodb from "mongodb";
import { isUnreachable } from "../../../lib/channels/retry-policy";
import { isStoreUnreachable, STORE_UNREACHABLE_ERRORS } from "../../../lib/errors";

function errorNames(exports: Record<string, unknown>): string[] {
  return Object.values(exports)
    .filter((value): value is new () => Error => typeof value === "function")
    .filter(cls => cls.prototype instanceof Error)
    .map(cls => cls.prototype.name);
}

describe("driver errors for a database that cannot be reached", () => {
  it("are all raised by the installed driver", () => {
    // The pool's errors (cleared after a lost connection) are not exported from the package root.
    const poolErrors = jest.requireActual<Record<string, unknown>>("mongodb/lib/cmap/errors");
    const raised = new Set([...errorNames({ ...mongodb }), ...errorNames(poolErrors)]);
    expect(STORE_UNREACHABLE_ERRORS.filter(name => !raised.has(name))).toEqual([]);
  });

  it("are recognised thrown or handed on, and a handler failing with one waits for the store", () => {
    const lost = new mongodb.MongoNetworkError("connection 3 to 127.0.0.1:27017 closed");
    const remote = { name: "MongoPoolClearedError", message: "pool cleared", nodeID: "res-1" };
    for (const err of [lost, remote]) {
      expect(isStoreUnreachable(err)).toBe(true);
      expect(isUnreachable(err)).toBe(true);
    }
    const refused = new mongodb.MongoServerError({ message: "E11000 duplicate key", code: 11000 });
    for (const err of [refused, new TypeError("x is undefined"), null, "MongoNetworkError"]) {
      expect(isStoreUnreachable(err)).toBe(false);
      expect(isUnreachable(err)).toBe(false);
    }
  });
});
