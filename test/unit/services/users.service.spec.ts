import { describeUsersService } from "../../support/users-service-contract";
import { testConfig } from "../../support/test-env";

describeUsersService("embedded NeDB store", () => testConfig());
