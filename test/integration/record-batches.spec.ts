/**
 * `forEachRecord` (lib/store.ts) reads a MongoDB collection through a cursor, a batch at a time,
 * with only the fields asked for: a report sums a month or a year of facts as they pass and holds
 * one batch of them, where moleculer-db's `find` holds every match at once. Checked against the
 * Mongo-wire server the tests run on (FerretDB), by the commands its driver sends.
 */
import { MongoClient } from "mongodb";
import type { DbAdapter } from "moleculer-db";
import { forEachRecord } from "../../lib/store";
import { dropDatabase, mongoUri, uniqueName } from "../support/test-env";

interface CommandEvent {
  commandName: string;
  reply?: { cursor?: { firstBatch?: unknown[]; nextBatch?: unknown[] } };
}

describe("records read a batch at a time (Mongo-wire server)", () => {
  it("hands over every match with the fields asked, in batches of the size asked", async () => {
    const uri = mongoUri(uniqueName("batches").replace(/-/g, "_"));
    const client = await MongoClient.connect(uri, {
      useUnifiedTopology: true,
      monitorCommands: true,
    });
    try {
      const facts = client.db().collection("facts");
      await facts.insertMany(
        Array.from({ length: 2500 }, (_, i) => ({
          _id: `f-${i}`,
          spaceId: `s-${i % 7}`,
          months: i % 5 === 0 ? ["2030-11"] : ["2030-12"],
          title: "not asked for",
        })),
      );
      const batches: number[] = [];
      client.on("commandSucceeded", (event: CommandEvent) => {
        const cursor = event.reply?.cursor;
        const batch = cursor?.firstBatch ?? cursor?.nextBatch;
        if (event.commandName === "find" || event.commandName === "getMore") {
          batches.push(batch?.length ?? -1);
        }
      });

      const visited: Record<string, unknown>[] = [];
      await forEachRecord<Record<string, unknown>>(
        { collection: facts } as unknown as DbAdapter,
        { months: "2030-12" },
        record => visited.push(record),
        { fields: ["spaceId"], batch: 800 },
      );

      expect(visited).toHaveLength(2000);
      expect(new Set(visited.map(record => record._id)).size).toBe(2000);
      expect(visited.every(record => Object.keys(record).sort().join() === "_id,spaceId")).toBe(
        true,
      );
      // Never more than a batch at once: a server that ignored the size would answer all 2,000.
      expect(batches).toEqual([800, 800, 400]);
    } finally {
      await client.close();
      await dropDatabase(uri);
    }
  });
});
