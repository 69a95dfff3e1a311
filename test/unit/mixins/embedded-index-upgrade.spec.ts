/**
 * An embedded store kept under DATA_DIR brings back the indexes an older version made. The
 * service gets exactly the ones it declares now: one it no longer declares is removed, and one
 * declared with other flags is made again with them (mixins/db.mixin.ts, `embeddedIndexes`).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Datastore from "@seald-io/nedb";
import { embeddedIndexes, type NeDbHandle } from "../../../mixins/db.mixin";

describe("the indexes of an embedded store an older version wrote", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ms-nedb-indexes-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const open = async () => {
    const db = new Datastore({ filename: path.join(dir, "notifications.db") });
    await db.loadDatabaseAsync();
    return db;
  };
  const flags = (db: Datastore) =>
    Object.fromEntries(
      Object.entries((db as unknown as NeDbHandle).indexes).map(([field, index]) => [
        field,
        { unique: index.unique, sparse: index.sparse },
      ]),
    );

  it("removes what is no longer declared and remakes what is declared otherwise, for good", async () => {
    const older = await open();
    await older.ensureIndexAsync({ fieldName: "createdAt" });
    await older.ensureIndexAsync({ fieldName: "emailAt" });
    await older.ensureIndexAsync({ fieldName: "key", unique: true });
    await older.insertAsync([
      { _id: "a", key: "k1", createdAt: "2026-01-01", emailAt: "2026-01-01" },
      { _id: "b", key: "k2", createdAt: "2026-01-02" },
    ]);

    const now = await open();
    expect(Object.keys(flags(now)).sort()).toEqual(["_id", "createdAt", "emailAt", "key"]);
    await embeddedIndexes(now as unknown as NeDbHandle, [
      { fields: { key: 1 }, unique: true },
      { fields: { email: 1, emailAt: 1 }, embeddedField: "emailAt", sparse: true },
      { fields: { status: 1, createdAt: 1 }, only: "mongo" },
    ]);
    const expected = {
      _id: { unique: true, sparse: false },
      key: { unique: true, sparse: false },
      emailAt: { unique: false, sparse: true },
    };
    expect(flags(now)).toEqual(expected);
    // The sparse index leaves out the record without the field.
    expect(await now.findAsync({ emailAt: { $lt: "2027" } })).toHaveLength(1);
    // And so it stays when the file is read again.
    expect(flags(await open())).toEqual(expected);
  });
});
