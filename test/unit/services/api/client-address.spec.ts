import type { IncomingMessage } from "node:http";
import { clientAddress } from "../../../../services/api/client-address";

const request = (forwardedFor?: string) =>
  ({
    headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
    socket: { remoteAddress: "10.0.0.1" },
  }) as unknown as IncomingMessage;

describe("the client address for the sign-in rate limit", () => {
  it("is the peer's address unless a proxy is trusted", () => {
    expect(clientAddress(request("1.2.3.4"), false)).toBe("10.0.0.1");
    expect(clientAddress(request(), true)).toBe("10.0.0.1");
  });

  it("behind a trusted proxy is the hop that proxy appended, not what the client sent", () => {
    expect(clientAddress(request("192.0.2.7"), true)).toBe("192.0.2.7");
    // The client sent "1.2.3.4"; the proxy appended the address it really saw.
    expect(clientAddress(request("1.2.3.4, 192.0.2.7"), true)).toBe("192.0.2.7");
    expect(clientAddress(request("5.6.7.8, 1.2.3.4,192.0.2.7 "), true)).toBe("192.0.2.7");
  });
});
