module.exports = async function globalTeardown() {
  if (globalThis.__FERRETDB__) await globalThis.__FERRETDB__.stop();
};
