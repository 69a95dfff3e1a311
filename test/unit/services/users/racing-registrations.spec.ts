import argon2 from "argon2";
import DbService from "moleculer-db";
import type { DbAdapter } from "moleculer-db";
import { ServiceBroker } from "moleculer";
import { createAccount } from "../../../../services/users/accounts";

describe("racing registrations of one address in one instance", () => {
  const broker = new ServiceBroker({ logger: false });
  let users: DbAdapter;

  beforeAll(async () => {
    const adapter = new DbService.MemoryAdapter() as DbAdapter & {
      db: { ensureIndex(o: object): Promise<void> | void };
    };
    adapter.init(broker, { schema: {}, logger: broker.getLogger("test") } as never);
    await adapter.connect();
    await new Promise<void>((resolve, reject) =>
      (
        adapter.db as unknown as {
          ensureIndex(o: object, cb: (err: Error | null) => void): void;
        }
      ).ensureIndex({ fieldName: "emailKey", unique: true }, err =>
        err ? reject(err) : resolve(),
      ),
    );
    users = adapter;
  });

  afterEach(() => jest.restoreAllMocks());

  it("make one account, hash one password, and refuse the rest as EMAIL_TAKEN", async () => {
    const hash = jest.spyOn(argon2, "hash");
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        createAccount(users, {
          email: i % 2 ? "RACE@example.org" : "race@example.org",
          password: "Een-sterk-wachtwoord-2026",
          name: `Racer ${i}`,
          locale: "nl",
          role: "member",
        }),
      ),
    );
    expect(outcomes.filter(o => o.status === "fulfilled")).toHaveLength(1);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(refused).toHaveLength(19);
    for (const r of refused) expect(r.reason).toMatchObject({ type: "EMAIL_TAKEN" });
    expect(hash).toHaveBeenCalledTimes(1);
  });

  it("other addresses are not held up", async () => {
    const made = await Promise.all(
      ["a@example.org", "b@example.org"].map(email =>
        createAccount(users, {
          email,
          password: "Een-sterk-wachtwoord-2026",
          name: email,
          locale: "en",
          role: "member",
        }),
      ),
    );
    expect(made.map(u => u.email)).toEqual(["a@example.org", "b@example.org"]);
  });
});
