import { Errors } from "moleculer";
import { missingService } from "../../../services/api/unavailable";

const registry = (...present: string[]) => ({ isAvailable: (s: string) => present.includes(s) });

describe("missingService", () => {
  it("names the alias's service for moleculer-web's untyped 503", () => {
    const err = { code: 503, message: "Service unavailable" };
    expect(missingService(err, "reservations.create", registry())).toBe("reservations");
  });

  it("names the called service for the broker's SERVICE_NOT_FOUND and SERVICE_NOT_AVAILABLE", () => {
    const notFound = new Errors.ServiceNotFoundError({ action: "users.resolveToken" });
    expect(missingService(notFound, "spaces.search", registry("spaces"))).toBe("users");
    const notAvailable = new Errors.ServiceNotAvailableError({ action: "reports.utilization" });
    expect(missingService(notAvailable, undefined, registry())).toBe("reports");
    // As it arrives from another node: plain data.
    const plain = { code: 404, type: "SERVICE_NOT_FOUND", data: { action: "v2.reports.run" } };
    expect(missingService(plain, undefined, registry())).toBe("v2.reports");
  });

  it("leaves alone a service that is there (an unpublished action stays a 404) and other errors", () => {
    const unpublished = new Errors.ServiceNotFoundError({ action: "users.resolveToken" });
    expect(missingService(unpublished, "users.resolveToken", registry("users"))).toBeNull();
    expect(missingService({ code: 503 }, "users.me", registry("users"))).toBeNull();
    expect(missingService({ code: 503, type: "QUEUE_FULL" }, "users.me", registry())).toBeNull();
    expect(missingService(new Error("boom"), "users.me", registry())).toBeNull();
    expect(missingService(null, "users.me", registry())).toBeNull();
    expect(missingService({ code: 503 }, undefined, registry())).toBeNull();
  });
});
