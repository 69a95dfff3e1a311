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
      host: "127.0.0.1",
      defaultTimeZone: "Europe/Amsterdam",
      selfRegistration: true,
      allowEmbeddedStore: false,
    });
  });

  it("offers example spaces only to the in-memory try-out, unless told otherwise", () => {
    expect(loadConfig({}).demoSpaces).toBe(true);
    expect(loadConfig({ DATA_DIR: "./data" }).demoSpaces).toBe(false);
    expect(loadConfig({ MONGO_URI: "mongodb://db/ms" }).demoSpaces).toBe(false);
    expect(loadConfig({ TRANSPORTER: "nats://nats:4222" }).demoSpaces).toBe(false);
    expect(loadConfig({ DEMO_SPACES: "false" }).demoSpaces).toBe(false);
    expect(loadConfig({ DATA_DIR: "./data", DEMO_SPACES: "true" }).demoSpaces).toBe(true);
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

  it("reads a NATS token, an NKey seed file or TLS files, and refuses mixed or unreadable ones", () => {
    const file = __filename;
    const nats = { TRANSPORTER: "nats://nats:4222" };
    expect(parseTransporter({ ...nats, NATS_TOKEN: "t0k" })).toEqual({
      servers: ["nats://nats:4222"],
      token: "t0k",
    });
    expect(parseTransporter({ ...nats, NATS_NKEY_SEED_FILE: file })?.nkeySeedFile).toBe(file);
    expect(
      parseTransporter({ ...nats, NATS_TLS_CA: file, NATS_TLS_CERT: file, NATS_TLS_KEY: file })
        ?.tls,
    ).toEqual({ caFile: file, certFile: file, keyFile: file });
    // tls:// alone insists on TLS, trusting the system's CAs.
    expect(parseTransporter({ TRANSPORTER: "tls://nats:4222" })).toEqual({
      servers: ["nats://nats:4222"],
      tls: {},
    });
    expect(parseTransporter(nats)?.tls).toBeUndefined();

    expect(() =>
      parseTransporter({ ...nats, NATS_TOKEN: "t", NATS_USER: "u", NATS_PASSWORD: "p" }),
    ).toThrow("one way to sign in");
    expect(() => parseTransporter({ ...nats, NATS_USER: "u" })).toThrow("NATS_PASSWORD");
    expect(() => parseTransporter({ ...nats, NATS_TLS_CERT: file })).toThrow("NATS_TLS_KEY");
    expect(() => parseTransporter({ ...nats, NATS_TLS_CA: "/no/such/ca.pem" })).toThrow(
      'Configuration error in NATS_TLS_CA: cannot read the file "/no/such/ca.pem"',
    );
    expect(() => parseTransporter({ ...nats, NATS_NKEY_SEED_FILE: "/no/seed" })).toThrow(
      "NATS_NKEY_SEED_FILE",
    );
  });

  it("listens on loopback unless HOST names another address", () => {
    expect(loadConfig({}).host).toBe("127.0.0.1");
    expect(loadConfig({ HOST: "0.0.0.0" }).host).toBe("0.0.0.0");
    expect(loadConfig({ HOST: " :: " }).host).toBe("::");
    expect(loadConfig({ HOST: "localhost" }).host).toBe("localhost");
    expect(loadConfig({ HOST: "10.1.2.3" }).host).toBe("10.1.2.3");
    for (const bad of ["http://0.0.0.0", "0.0.0.0:3000", "all interfaces", "-x"]) {
      expect(() => loadConfig({ HOST: bad })).toThrow("Configuration error in HOST");
    }
  });

  it("refuses bad values naming the variable", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow("PORT");
    expect(() => loadConfig({ SELF_REGISTRATION: "maybe" })).toThrow(ConfigError);
    expect(() => loadConfig({ TRANSPORTER: "redis://x" })).toThrow("TRANSPORTER");
    expect(() => loadConfig({ DEFAULT_LOCALE: "de" })).toThrow("DEFAULT_LOCALE");
    // A mistyped default zone would refuse every space made without a zone of its own.
    expect(() => loadConfig({ TZ_DEFAULT: "Europe/Gouda" })).toThrow("TZ_DEFAULT");
    expect(() => loadConfig({ TZ_DEFAULT: "+01:00" })).toThrow("TZ_DEFAULT");
    expect(loadConfig({ TZ_DEFAULT: "Europe/Brussels" }).defaultTimeZone).toBe("Europe/Brussels");
  });

  it("requires a long JWT secret with a transporter and generates one otherwise", () => {
    expect(() => jwtSecret({ TRANSPORTER: "nats://x:4222" })).toThrow("JWT_SECRET");
    expect(() => jwtSecret({ JWT_SECRET: "short" })).toThrow("at least 32");
    // The placeholder of .env.example is long enough, and must still be refused.
    const placeholder = "change-me-to-at-least-32-random-characters-0123456789";
    expect(() => jwtSecret({ JWT_SECRET: placeholder })).toThrow("placeholder");
    expect(() => jwtSecret({ JWT_SECRET: "ab".repeat(20) })).toThrow("repeats");
    expect(() => jwtSecret({ JWT_SECRET: "aaaabbbbccccdddd".repeat(3) })).toThrow("too few");
    const strong = "q7Vt1hPz-Lw9xYe4Kc2NmRb8Ud6Sf3Gj";
    expect(jwtSecret({ JWT_SECRET: strong })).toBe(strong);
    const generated = jwtSecret({});
    expect(generated.length).toBeGreaterThanOrEqual(48);
    expect(jwtSecret({})).toBe(generated);
  });
});
