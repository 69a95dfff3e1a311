/**
 * A report may take longer than the broker's request timeout (REPORT_TIMEOUT_MS): a year over
 * thousands of spaces reads hundreds of thousands of facts, and a manager asking for it is
 * answered, slowly, rather than refused with 503 after 10 s.
 */
import { createReportsService, REPORT_TIMEOUT_MS } from "../../services/reports.service";
import * as store from "../../lib/store";
import { testBroker } from "../support/local-system";
import { testConfig } from "../support/test-env";

const manager = { user: { id: "manager-1", role: "manager", locale: "en" } };
const BROKER_TIMEOUT_MS = 300;

describe("a slow report", () => {
  it("is answered after the broker's request timeout, where another call is not", async () => {
    expect(REPORT_TIMEOUT_MS).toBeGreaterThan(10_000);
    const broker = testBroker({ requestTimeout: BROKER_TIMEOUT_MS });
    broker.createService(createReportsService(testConfig({ mongoUri: null })));
    broker.createService({
      name: "slow",
      actions: { wait: () => new Promise(resolve => setTimeout(resolve, 3 * BROKER_TIMEOUT_MS)) },
    });
    await broker.start();
    const read = store.forEachRecord;
    jest.spyOn(store, "forEachRecord").mockImplementation(async (...args) => {
      // A store taking its time over a long window.
      await new Promise(resolve => setTimeout(resolve, 3 * BROKER_TIMEOUT_MS));
      return read(...args);
    });
    try {
      await expect(broker.call("slow.wait")).rejects.toMatchObject({ type: "REQUEST_TIMEOUT" });
      const report = await broker.call<{ rows: unknown[] }, object>(
        "reports.utilization",
        { from: "2027-01-01T00:00:00.000Z", to: "2027-12-31T00:00:00.000Z" },
        { meta: manager },
      );
      expect(report.rows).toEqual([]);
    } finally {
      jest.restoreAllMocks();
      await broker.stop();
    }
  });
});
