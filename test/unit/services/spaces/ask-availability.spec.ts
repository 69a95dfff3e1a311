import { Errors, type Context } from "moleculer";
import { askAvailability } from "../../../../services/spaces/search";

const params = { spaces: [{ id: "a" }, { id: "b" }], from: "2027-01-04T09:00:00Z", to: "x" };

function contextAnswering(answers: Record<string, () => unknown>) {
  const asked: string[] = [];
  const ctx = {
    call: async (action: string) => {
      asked.push(action);
      return answers[action]();
    },
  } as unknown as Context;
  return { ctx, asked };
}

describe("askAvailability", () => {
  it("asks spacesAvailability, and gets each space's reason", async () => {
    const { ctx, asked } = contextAnswering({
      "reservations.spacesAvailability": () => ({
        free: ["a"],
        unavailable: { b: "OUTSIDE_OPENING_HOURS" },
      }),
    });
    const found = await askAvailability(ctx, params);
    expect(asked).toEqual(["reservations.spacesAvailability"]);
    expect([...found.free]).toEqual(["a"]);
    expect(found.unavailable).toEqual({ b: "OUTSIDE_OPENING_HOURS" });
  });

  it("falls back to freeSpaces where no reservations instance has spacesAvailability yet", async () => {
    const { ctx, asked } = contextAnswering({
      "reservations.spacesAvailability": () => {
        throw new Errors.ServiceNotFoundError({ action: "reservations.spacesAvailability" });
      },
      "reservations.freeSpaces": () => ["b"],
    });
    const found = await askAvailability(ctx, params);
    expect(asked).toEqual(["reservations.spacesAvailability", "reservations.freeSpaces"]);
    expect([...found.free]).toEqual(["b"]);
    expect(found.unavailable).toEqual({});
  });

  it("passes on any other failure", async () => {
    const { ctx } = contextAnswering({
      "reservations.spacesAvailability": () => {
        throw new Errors.RequestTimeoutError({
          action: "reservations.spacesAvailability",
          nodeID: "node-1",
        });
      },
    });
    await expect(askAvailability(ctx, params)).rejects.toBeInstanceOf(Errors.RequestTimeoutError);
  });
});
