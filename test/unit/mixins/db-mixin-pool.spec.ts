import { MONGO_POOL_SIZE, mongoClientOptions } from "../../../mixins/db.mixin";

describe("the MongoDB client's pool (mixins/db.mixin.ts)", () => {
  it("allows more connections than the 3.x driver's default of 10", () => {
    expect(MONGO_POOL_SIZE).toBeGreaterThan(10);
    expect(mongoClientOptions("mongodb://127.0.0.1:27017/mindspaces")).toEqual({
      useUnifiedTopology: true,
      maxPoolSize: MONGO_POOL_SIZE,
    });
  });

  it("leaves the pool to MONGO_URI when it names one", () => {
    for (const uri of [
      "mongodb://127.0.0.1:27017/mindspaces?maxPoolSize=7",
      "mongodb://127.0.0.1:27017/mindspaces?w=majority&poolSize=7",
    ]) {
      expect(mongoClientOptions(uri)).toEqual({ useUnifiedTopology: true });
    }
  });
});
