import type { DbAdapter } from "moleculer-db";
import { MAX_LOOK_AHEAD, findPage } from "../../../lib/paging";

/** A store of `n` records that counts how often it is asked to count. */
function storeOf(n: number) {
  const records = Array.from({ length: n }, (_, i) => ({ _id: `r${i}` }));
  const calls = { find: 0, count: 0 };
  const adapter = {
    async find({ limit, offset }: { limit: number; offset: number }) {
      calls.find++;
      return records.slice(offset, offset + limit);
    },
    async count() {
      calls.count++;
      return records.length;
    },
  } as unknown as DbAdapter;
  return { adapter, calls };
}

const page = (adapter: DbAdapter, pageNumber: number, pageSize: number) =>
  findPage(
    adapter,
    { query: {}, sort: [], page: pageNumber, pageSize },
    (r: { _id: string }) => r._id,
  );

describe("findPage", () => {
  it("knows the total of a list that fits in its first page without counting", async () => {
    const { adapter, calls } = storeOf(7);
    const result = await page(adapter, 1, 20);
    expect(result).toMatchObject({ total: 7, totalPages: 1, page: 1, pageSize: 20 });
    expect(result.rows).toHaveLength(7);
    expect(calls.count).toBe(0);
  });

  it("knows the total from a last page that is not full", async () => {
    const { adapter, calls } = storeOf(45);
    const result = await page(adapter, 3, 20);
    expect(result).toMatchObject({ total: 45, totalPages: 3 });
    expect(result.rows).toEqual(["r40", "r41", "r42", "r43", "r44"]);
    expect(calls.count).toBe(0);
  });

  it("an empty store is one empty page", async () => {
    const { adapter, calls } = storeOf(0);
    expect(await page(adapter, 1, 20)).toMatchObject({ rows: [], total: 0, totalPages: 0 });
    expect(calls.count).toBe(0);
  });

  it("knows the total from the pages its first page read ahead, and returns only its own", async () => {
    const { adapter, calls } = storeOf(99);
    const result = await page(adapter, 1, 20);
    expect(result).toMatchObject({ total: 99, totalPages: 5, page: 1 });
    expect(result.rows).toEqual(Array.from({ length: 20 }, (_, i) => `r${i}`));
    expect(calls).toEqual({ find: 1, count: 0 });
  });

  it("counts when more follow than it reads ahead", async () => {
    const { adapter, calls } = storeOf(100);
    const result = await page(adapter, 1, 20);
    expect(result).toMatchObject({ total: 100, totalPages: 5 });
    expect(result.rows).toHaveLength(20);
    expect(calls.count).toBe(1);
  });

  it("a later page of a long list reads only itself, and counts", async () => {
    const { adapter } = storeOf(99);
    const find = jest.spyOn(adapter, "find");
    expect(await page(adapter, 2, 20)).toMatchObject({ total: 99, totalPages: 5 });
    expect(find).toHaveBeenCalledWith(expect.objectContaining({ limit: 20, offset: 20 }));
  });

  it("reads ahead at most MAX_LOOK_AHEAD records", async () => {
    // Page sizes above the API's 100 (MAX_PAGE_SIZE), where five pages would be more.
    const over = storeOf(MAX_LOOK_AHEAD + 1);
    expect(await page(over.adapter, 1, 200)).toMatchObject({ total: MAX_LOOK_AHEAD + 1 });
    expect(over.calls.count).toBe(1);
    const fits = storeOf(MAX_LOOK_AHEAD - 1);
    expect(await page(fits.adapter, 1, 200)).toMatchObject({ total: MAX_LOOK_AHEAD - 1 });
    expect(fits.calls.count).toBe(0);
    const larger = storeOf(1000);
    expect(await page(larger.adapter, 1, 700)).toMatchObject({ total: 1000 });
    expect((await page(larger.adapter, 1, 700)).rows).toHaveLength(700);
  });

  it("counts when asked for a page past the end: the rows say nothing of the total", async () => {
    const { adapter, calls } = storeOf(25);
    expect(await page(adapter, 5, 20)).toMatchObject({ rows: [], total: 25, totalPages: 2 });
    expect(calls.count).toBe(1);
  });
});
