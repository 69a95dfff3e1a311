import { startSingleNode } from "../support/local-system";
import { describeReservationsContract } from "../support/reservations-contract";
import { dropDatabase, mongoUri, testConfig, uniqueName } from "../support/test-env";

const uri = mongoUri(uniqueName("reservations").replace(/-/g, "_"));

describeReservationsContract("one process, Mongo-wire server", async () => {
  const system = await startSingleNode(testConfig({ mongoUri: uri }));
  return {
    ...system,
    stop: async () => {
      await system.stop();
      await dropDatabase(uri);
    },
  };
});
