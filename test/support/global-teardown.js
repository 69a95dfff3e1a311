module.exports = async function globalTeardown() {
  if (globalThis.__FERRETDB__) globalThis.__FERRETDB__.stop();
};
