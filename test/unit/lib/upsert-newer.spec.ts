import DbService from "moleculer-db";
import type { DbAdapter } from "moleculer-db";
import { upsertNewer } from "../../../lib/store";
import { withNativePromises } from "../../../mixins/nedb-promises";

async function store(): Promise<DbAdapter> {
  const adapter = withNativePromises(new DbService.MemoryAdapter());
  adapter.init({} as never, { schema: {}, logger: console } as never);
  await adapter.connect();
  return adapter;
}

const at = (minute: number) => `2026-12-01T10:${String(minute).padStart(2, "0")}:00.000Z`;

describe.each([false, true])("upsertNewer (insert tried first: %s)", likelyNew => {
  const write = (adapter: DbAdapter, fields: { state: string; updatedAt: string }) =>
    upsertNewer(adapter, "r1", fields, [], { likelyNew });

  it("makes the record, then applies only newer versions, whatever order they arrive in", async () => {
    const adapter = await store();
    await write(adapter, { state: "second", updatedAt: at(2) });
    await write(adapter, { state: "first", updatedAt: at(1) });
    await write(adapter, { state: "second again", updatedAt: at(2) });
    expect(await adapter.findById("r1")).toEqual({ _id: "r1", state: "second", updatedAt: at(2) });
    await write(adapter, { state: "third", updatedAt: at(3) });
    expect(await adapter.findById("r1")).toEqual({ _id: "r1", state: "third", updatedAt: at(3) });
    expect(await adapter.count({ query: {} })).toBe(1);
  });

  it("lets the newest of concurrent writers win", async () => {
    const adapter = await store();
    await Promise.all(
      [4, 1, 3, 2].map(minute => write(adapter, { state: `v${minute}`, updatedAt: at(minute) })),
    );
    expect(await adapter.findById("r1")).toMatchObject({ state: "v4" });
  });
});

it("with likelyNew, makes a new record with one insert and no update", async () => {
  const adapter = await store();
  const update = jest.spyOn(adapter, "updateMany");
  await upsertNewer(adapter, "r1", { state: "new", updatedAt: at(1) }, [], { likelyNew: true });
  expect(update).not.toHaveBeenCalled();
  expect(await adapter.findById("r1")).toMatchObject({ state: "new" });
});
