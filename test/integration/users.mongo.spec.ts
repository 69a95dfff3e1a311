import { describeUsersService } from "../support/users-service-contract";
import { dropDatabase, mongoUri, testConfig, uniqueName } from "../support/test-env";

const uri = mongoUri(uniqueName("users").replace(/-/g, "_"));

describeUsersService(
  "Mongo-wire server",
  () => testConfig({ mongoUri: uri }),
  () => dropDatabase(uri),
);
