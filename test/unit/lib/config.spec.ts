import { ConfigError, jwtSecret, loadConfig, parseTransporter } from "../../../lib/config";

describe("configuration from the environment", () => {
  it("defaults to the embedded single-process setup", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      transporter: null,
      mongoUri: null,
      services: null,
      namespace: "",
      port: 3000,
      defaultTimeZone: "Europe/Amsterdam",
      selfRegistration: true,
      allowEmbeddedStore: false,
    });
  });

  it("reads a service list, treating 'all' as every service", () => {
    expect(loadConfig({ SERVICES: " api, users " }).services).toEqual(["api", "users"]);
    expect(loadConfig({ SERVICES: "all" }).services).toBeNull();
  });

  it("splits transporter credentials off the URL", () => {
    expect(parseTransporter({ TRANSPORTER: "nats://ms:s%40cret@nats:4222" })).toEqual({
      servers: ["nats://nats:4222"],
      user: "ms",
      pass: "s@cret",
    });
    expect(
      parseTransporter({ TRANSPORTER: "nats://nats:4222", NATS_USER: "u", NATS_PASSWORD: "p" }),
    ).toEqual({
      servers: ["nats://nats:4222"],
      user: "u",
      pass: "p",
    });
  });

  it("refuses bad values naming the variable", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow("PORT");
    expect(() => loadConfig({ SELF_REGISTRATION: "maybe" })).toThrow(ConfigError);
    expect(() => loadConfig({ TRANSPORTER: "redis://x" })).toThrow("TRANSPORTER");
    expect(() => loadConfig({ DEFAULT_LOCALE: "de" })).toThrow("DEFAULT_LOCALE");
  });

  it("requires a long JWT secret with a transporter and generates one otherwise", () => {
    expect(() => jwtSecret({ TRANSPORTER: "nats://x:4222" })).toThrow("JWT_SECRET");
    expect(() => jwtSecret({ JWT_SECRET: "short" })).toThrow("at least 32");
    const generated = jwtSecret({});
    expect(generated.length).toBeGreaterThanOrEqual(48);
    expect(jwtSecret({})).toBe(generated);
  });
});
