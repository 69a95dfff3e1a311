import { natsConnectionOptions } from "../../../lib/nats-connection";

describe("NATS connection options", () => {
  it("carry the credentials and TLS files, and hide every secret in their JSON form", () => {
    const withPassword = natsConnectionOptions(
      {
        servers: ["nats://nats:4222"],
        user: "ms",
        pass: "s3cret-pass",
        tls: { caFile: "/ca.pem" },
      },
      { maxReconnectAttempts: -1 },
    );
    expect(withPassword).toMatchObject({
      servers: ["nats://nats:4222"],
      user: "ms",
      pass: "s3cret-pass",
      tls: { caFile: "/ca.pem" },
      maxReconnectAttempts: -1,
    });
    // $node.options and INFO packets are JSON.stringify'd: what other nodes and logs would see.
    const shown = JSON.stringify({ options: withPassword });
    expect(shown).not.toContain("s3cret-pass");
    expect(JSON.parse(shown)).toEqual({
      options: {
        servers: ["nats://nats:4222"],
        tls: { caFile: "/ca.pem" },
        maxReconnectAttempts: -1,
        user: "[redacted]",
        pass: "[redacted]",
      },
    });

    const withToken = natsConnectionOptions({
      servers: ["nats://nats:4222"],
      token: "t0ken-value",
    });
    expect(withToken.token).toBe("t0ken-value");
    expect(JSON.stringify(withToken)).not.toContain("t0ken-value");

    const withNkey = natsConnectionOptions({ servers: ["nats://n:4222"], nkeySeedFile: "/seed" });
    expect(typeof withNkey.authenticator).toBe("function");
    expect(withNkey).not.toHaveProperty("tls");
  });
});
