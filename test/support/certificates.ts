/**
 * Certificates made in the test, so TLS is tested without files in the repository and without
 * the openssl CLI: a certificate authority, a server certificate it signs for 127.0.0.1 and
 * localhost, and client certificates for mutual TLS. Keys come from node:crypto (fast, native);
 * node-forge builds and signs the X.509 certificates, which node:crypto cannot.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import forge from "node-forge";

export interface KeyAndCertificate {
  key: forge.pki.rsa.PrivateKey;
  cert: forge.pki.Certificate;
}

export interface CertificateFiles {
  certFile: string;
  keyFile: string;
}

function keyPair() {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return { key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

function newCertificate(commonName: string, publicKey: forge.pki.PublicKey) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // Positive, random, unique: a fixed serial from two CAs would look like a replayed certificate.
  cert.serialNumber = `01${randomBytes(8).toString("hex")}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  cert.setSubject([{ name: "commonName", value: commonName }]);
  return cert;
}

/** A self-signed certificate authority. */
export function createAuthority(commonName: string): KeyAndCertificate {
  const { key, publicKey } = keyPair();
  const cert = newCertificate(commonName, publicKey);
  cert.setIssuer(cert.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return { key, cert };
}

/** A certificate signed by `authority`: for a server (127.0.0.1, localhost) or a client. */
export function issueCertificate(
  authority: KeyAndCertificate,
  commonName: string,
  use: "server" | "client",
): KeyAndCertificate {
  const { key, publicKey } = keyPair();
  const cert = newCertificate(commonName, publicKey);
  cert.setIssuer(authority.cert.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: use === "server", clientAuth: use === "client" },
    ...(use === "server"
      ? [
          {
            name: "subjectAltName",
            altNames: [
              { type: 7, ip: "127.0.0.1" },
              { type: 2, value: "localhost" },
            ],
          },
        ]
      : []),
  ]);
  cert.sign(authority.key, forge.md.sha256.create());
  return { key, cert };
}

export function writeCertificate(dir: string, name: string, pair: KeyAndCertificate) {
  const files: CertificateFiles = {
    certFile: path.join(dir, `${name}.crt`),
    keyFile: path.join(dir, `${name}.key`),
  };
  fs.writeFileSync(files.certFile, forge.pki.certificateToPem(pair.cert));
  fs.writeFileSync(files.keyFile, forge.pki.privateKeyToPem(pair.key), { mode: 0o600 });
  return files;
}
