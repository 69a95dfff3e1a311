/** @type {import("jest").Config} */
const shared = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.test.json" }] },
};

module.exports = {
  globalSetup: "<rootDir>/test/support/global-setup.js",
  globalTeardown: "<rootDir>/test/support/global-teardown.js",
  testTimeout: 60_000,
  maxWorkers: 2,
  projects: [
    // Unit, integration and browser suites: in parallel.
    {
      ...shared,
      displayName: "in-process",
      testMatch: ["<rootDir>/test/**/*.spec.ts"],
      testPathIgnorePatterns: ["/test/e2e/"],
    },
    // Suites that start whole deployments of processes: one at a time (test/support/serial-runner.js).
    {
      ...shared,
      displayName: "processes",
      testMatch: ["<rootDir>/test/e2e/**/*.spec.ts"],
      runner: "<rootDir>/test/support/serial-runner.js",
    },
  ],
};
