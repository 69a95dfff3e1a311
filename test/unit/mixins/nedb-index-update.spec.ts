import DbService from "moleculer-db";
import type { DbAdapter } from "moleculer-db";
import "../../../mixins/nedb-index-update";
import { withNativePromises } from "../../../mixins/nedb-promises";

interface Tree {
  search(key: unknown): object[];
  delete(key: unknown, doc: object): void;
}
interface NeDb {
  indexes: Record<string, { tree: Tree; getAll(): object[] }>;
  ensureIndexAsync(options: object): Promise<void>;
}

async function store(): Promise<{ adapter: DbAdapter; db: NeDb }> {
  const adapter = withNativePromises(new DbService.MemoryAdapter());
  adapter.init({} as never, { schema: {}, logger: console } as never);
  await adapter.connect();
  const db = (adapter as unknown as { db: NeDb }).db;
  await db.ensureIndexAsync({ fieldName: "ownerId" });
  await db.ensureIndexAsync({ fieldName: "key", unique: true, sparse: true });
  await db.ensureIndexAsync({ fieldName: "days" });
  await db.ensureIndexAsync({ fieldName: "dueAt", sparse: true });
  return { adapter, db };
}

/** What each index holds, by value, as ids; and what a scan of the documents says it should. */
function indexed(db: NeDb, docs: Record<string, unknown>[]) {
  const held: Record<string, string[]> = {};
  const expected: Record<string, string[]> = {};
  for (const field of ["ownerId", "key", "days", "dueAt"]) {
    const values = new Set<unknown>();
    for (const doc of docs) {
      const value = doc[field];
      if (Array.isArray(value)) value.forEach(v => values.add(v));
      else if (value !== undefined || field === "ownerId" || field === "days") values.add(value);
    }
    for (const value of values) {
      const name = `${field}=${String(value)}`;
      held[name] = (db.indexes[field].tree.search(value) as { _id: string; [k: string]: unknown }[])
        .map(doc => `${doc._id}:${String(doc.n)}`)
        .sort();
      expected[name] = docs
        .filter(doc =>
          Array.isArray(doc[field])
            ? (doc[field] as unknown[]).includes(value)
            : doc[field] === value,
        )
        .map(doc => `${String(doc._id)}:${String(doc.n)}`)
        .sort();
    }
  }
  return { held, expected };
}

describe("NeDB's indexes when a document is updated (mixins/nedb-index-update.ts)", () => {
  it("leaves a document in place under a value that stays, without copying that value's list", async () => {
    const { adapter, db } = await store();
    await adapter.insertMany(
      Array.from({ length: 50 }, (_, i) => ({ _id: `r${i}`, ownerId: "anna", n: 0, days: ["d1"] })),
    );
    const ownerTree = db.indexes.ownerId.tree;
    const deleted = jest.spyOn(ownerTree, "delete");
    expect(await adapter.updateMany({ _id: "r7" }, { $set: { n: 1, dueAt: "soon" } })).toBe(1);
    expect(deleted).not.toHaveBeenCalled();
    const annas = ownerTree.search("anna") as { _id: string; n: number }[];
    expect(annas).toHaveLength(50);
    expect(annas.find(doc => doc._id === "r7")).toMatchObject({ n: 1, dueAt: "soon" });
    expect(await adapter.find({ query: { ownerId: "anna", n: 1 } })).toEqual([
      expect.objectContaining({ _id: "r7", n: 1 }),
    ]);
  });

  it("keeps every index equal to its documents through random updates, moves and refusals", async () => {
    const { adapter, db } = await store();
    const owners = ["anna", "bram", "cor"];
    const docs = Array.from({ length: 60 }, (_, i) => ({
      _id: `r${i}`,
      ownerId: owners[i % 3],
      n: 0,
      days: [`d${i % 4}`, `d${(i + 1) % 4}`],
      ...(i % 2 === 0 ? { key: `k${i}` } : {}),
    }));
    await adapter.insertMany(docs);
    let seed = 7;
    const random = (n: number) => (seed = (seed * 16807) % 2147483647) % n;
    for (let step = 0; step < 400; step++) {
      const id = `r${random(60)}`;
      const set: Record<string, unknown> = { n: step };
      const unset: Record<string, unknown> = {};
      switch (random(6)) {
        case 0:
          set.ownerId = owners[random(3)];
          break;
        case 1:
          set.days = [`d${random(4)}`];
          break;
        case 2:
          set.dueAt = `t${random(3)}`;
          break;
        case 3:
          unset.dueAt = true;
          break;
        case 4:
          // Often taken already: the update must be refused and leave everything as it was.
          set.key = `k${random(60)}`;
          break;
        default:
          break;
      }
      const update = Object.keys(unset).length > 0 ? { $set: set, $unset: unset } : { $set: set };
      try {
        const several = random(4);
        if (several === 0) {
          // Several documents at once: NeDB updates their indexes together.
          await adapter.updateMany({ ownerId: owners[random(3)] }, { $set: { n: step } });
        } else if (several === 1) {
          // Several at once, some keeping their owner and some moving to it.
          await adapter.updateMany(
            { days: `d${random(4)}` },
            { $set: { ownerId: owners[random(3)], n: step } },
          );
        } else {
          await adapter.updateMany({ _id: id }, update);
        }
      } catch (err) {
        expect((err as { errorType?: string }).errorType).toBe("uniqueViolated");
      }
    }
    const now = (await adapter.find({})) as Record<string, unknown>[];
    expect(now).toHaveLength(60);
    const { held, expected } = indexed(db, now);
    expect(held).toEqual(expected);
    // And a query through each index answers what a scan does.
    for (const owner of owners) {
      expect(((await adapter.find({ query: { ownerId: owner } })) as object[]).length).toBe(
        now.filter(doc => doc.ownerId === owner).length,
      );
    }
  });
});
