import { startSingleNode } from "../support/local-system";
import { describeSpacesContract } from "../support/spaces-contract";
import { dropDatabase, mongoUri, testConfig, uniqueName } from "../support/test-env";

const uri = mongoUri(uniqueName("spaces").replace(/-/g, "_"));

describeSpacesContract("one process, Mongo-wire server", async () => {
  const system = await startSingleNode(testConfig({ mongoUri: uri }));
  return {
    ...system,
    stop: async () => {
      await system.stop();
      await dropDatabase(uri);
    },
  };
});
