import { startSingleNode } from "../support/local-system";
import { describeReservationsContract } from "../support/reservations-contract";
import { describeReportsContract } from "../support/reports-contract";
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

const reportsUri = mongoUri(uniqueName("reports").replace(/-/g, "_"));

describeReportsContract("one process, Mongo-wire server", async () => {
  const system = await startSingleNode(testConfig({ mongoUri: reportsUri }));
  return {
    ...system,
    stop: async () => {
      await system.stop();
      await dropDatabase(reportsUri);
    },
  };
});
