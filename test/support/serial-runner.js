/**
 * Jest's own runner, but serial: the suites in test/e2e each start several MindSpaces processes
 * (and their own NATS, FerretDB, nats-servers); two of them at once on a 2-core machine starved
 * each other past the 10 s request timeout. Jest runs one runner's suites after the other's, so
 * the in-process suites run in parallel first and these one at a time (jest.config.js).
 */
const TestRunner = require("jest-runner").default;

class SerialRunner extends TestRunner {
  isSerial = true;
}

module.exports = SerialRunner;
