/**
 * The try-out's example spaces, made while `spaces` starts, reach every consumer of its events in
 * the embedded default: the report counts them, as it counts any space a manager makes.
 */
import { DateTime } from "luxon";
import { DEMO_SPACES } from "../../services/spaces/demo-spaces";
import { signInAdmin } from "../support/accounts";
import { httpClient } from "../support/http-client";
import { startSingleNode } from "../support/local-system";
import { testConfig } from "../support/test-env";
import { waitUntil } from "../support/waiting";

it("counts the example spaces in the utilisation report of the embedded default", async () => {
  const system = await startSingleNode(testConfig({ demoSpaces: true }));
  try {
    const request = httpClient(system.baseUrl);
    const admin = await signInAdmin(request);
    const from = DateTime.utc().startOf("day");
    const path =
      `/api/reports/utilization?from=${from.toISODate()}` +
      `&to=${from.plus({ days: 7 }).toISODate()}&groupBy=space`;
    const rows = async () =>
      (await request<{ rows: { space: string }[] }>("GET", path, { token: admin.token })).body.rows;
    await waitUntil(
      async () => (await rows()).length === DEMO_SPACES.length,
      "the report to list every example space",
      10_000,
    );
    expect((await rows()).map(row => row.space).sort()).toEqual(
      DEMO_SPACES.map(space => space.name).sort(),
    );
  } finally {
    await system.stop();
  }
});
