#!/usr/bin/env node
/**
 * Validates Kubernetes manifests offline: every document against the Kubernetes API schema of
 * its apiVersion and kind (the validators `kubernetes-models` ships, generated from Kubernetes'
 * OpenAPI definitions), and strictly: a field the schema does not know (a misspelt
 * `livenesProbe`) is an error, as `kubectl apply --validate=strict` would make it. A
 * kustomization.yaml must list files that exist, and every manifest beside it except
 * `*.example.yaml`, and the files its ConfigMaps are generated from must exist.
 *
 *   node deploy/validate-k8s.mjs [file-or-directory ...]    (default: deploy/k8s)
 *
 * Prints one line per problem and exits 1 if there is any. An ES module because
 * kubernetes-models is one; .ci/run runs it, and test/unit/deploy/k8s-manifests.spec.ts too.
 */
import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const KUSTOMIZE_API = /^kustomize\.config\.k8s\.io\//;

/**
 * Wraps `value` so that every property the schema's validator looks at is recorded. A key of an
 * object that the validator never asked for is one the schema does not have; an object whose
 * keys the validator enumerated is a map (labels, resources) and may hold any key.
 */
function tracked(value, pointer, objects) {
  if (value === null || typeof value !== "object") return value;
  const record = { value, pointer, read: new Set(), enumerated: false };
  objects.push(record);
  const children = new Map();
  return new Proxy(value, {
    get(target, key, receiver) {
      const child = Reflect.get(target, key, receiver);
      if (typeof key !== "string") return child;
      record.read.add(key);
      if (child === null || typeof child !== "object") return child;
      if (!children.has(key)) children.set(key, tracked(child, `${pointer}/${key}`, objects));
      return children.get(key);
    },
    has(target, key) {
      if (typeof key === "string") record.read.add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      record.enumerated = true;
      return Reflect.ownKeys(target);
    },
  });
}

/** The kubernetes-models module of an apiVersion and kind: `apps/v1` + `Deployment` → apps/v1/Deployment. */
function modelPath(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string") return null;
  if (!/^[a-z0-9.-]+(\/[a-z0-9]+)?$/.test(apiVersion) || !/^[A-Za-z]+$/.test(kind)) return null;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

async function loadModel(apiVersion, kind) {
  const specifier = modelPath(apiVersion, kind);
  if (!specifier) return null;
  try {
    const module = await import(specifier);
    return module[kind] ?? null;
  } catch {
    return null;
  }
}

/** The problems of one parsed document (plain data), as strings. */
export async function validateDocument(doc) {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc))
    return ["is not a mapping (an object with apiVersion and kind)"];
  const { apiVersion, kind } = doc;
  const Model = await loadModel(apiVersion, kind);
  if (!Model) return [`unknown apiVersion/kind: ${apiVersion}/${kind}`];
  const problems = [];
  if (typeof doc.metadata?.name !== "string" || !doc.metadata.name)
    problems.push("/metadata/name is required");
  const objects = [];
  try {
    Model.prototype.validate.call(tracked(doc, "", objects));
  } catch (err) {
    const errors = Array.isArray(err.errors) ? err.errors : [];
    if (errors.length === 0) problems.push(err.message);
    for (const e of errors) {
      const detail = e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : "";
      problems.push(`${e.instancePath || "/"} ${e.message ?? e.keyword}${detail}`);
    }
  }
  for (const { value, pointer, read, enumerated } of objects) {
    if (Array.isArray(value) || enumerated) continue;
    for (const key of Object.keys(value)) {
      if (!read.has(key)) problems.push(`${pointer}/${key} is not a field of ${kind}'s schema`);
    }
  }
  return problems;
}

function manifestFiles(target) {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return [target];
  return fs
    .readdirSync(target)
    .filter(name => /\.ya?ml$/.test(name))
    .sort()
    .map(name => path.join(target, name));
}

function checkKustomization(file, doc) {
  const dir = path.dirname(file);
  const listed = new Set(Array.isArray(doc.resources) ? doc.resources : []);
  const problems = [];
  for (const resource of listed) {
    if (!fs.existsSync(path.join(dir, resource)))
      problems.push(`resources: ${resource} does not exist`);
  }
  for (const name of fs.readdirSync(dir)) {
    if (!/\.ya?ml$/.test(name) || name === path.basename(file) || /\.example\.ya?ml$/.test(name))
      continue;
    if (!listed.has(name)) problems.push(`resources: ${name} is in the folder but not listed`);
  }
  // A ConfigMap made from files (nats.conf): each file must be there to be made from.
  for (const generator of Array.isArray(doc.configMapGenerator) ? doc.configMapGenerator : []) {
    for (const entry of Array.isArray(generator?.files) ? generator.files : []) {
      const source = String(entry).split("=").at(-1);
      if (!fs.existsSync(path.join(dir, source)))
        problems.push(`configMapGenerator ${generator.name}: ${source} does not exist`);
    }
  }
  return problems;
}

/** Validates files and folders; returns `{ documents, problems }`, each problem one line. */
export async function validatePaths(targets) {
  const problems = [];
  let documents = 0;
  for (const file of targets.flatMap(manifestFiles)) {
    const parsed = parseAllDocuments(fs.readFileSync(file, "utf8"));
    for (const [index, document] of parsed.entries()) {
      const where = `${file}#${index + 1}`;
      if (document.errors.length) {
        for (const e of document.errors)
          problems.push(`${where}: YAML: ${e.message.split("\n")[0]}`);
        continue;
      }
      const doc = document.toJS();
      if (doc === null || doc === undefined) continue;
      documents++;
      const label = `${where} ${doc?.kind ?? "?"}/${doc?.metadata?.name ?? "?"}`;
      const found =
        typeof doc?.apiVersion === "string" && KUSTOMIZE_API.test(doc.apiVersion)
          ? checkKustomization(file, doc)
          : await validateDocument(doc);
      for (const problem of found) problems.push(`${label}: ${problem}`);
    }
  }
  return { documents, problems };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const targets = process.argv.slice(2);
  const { documents, problems } = await validatePaths(
    targets.length ? targets : [path.join(here, "k8s")],
  );
  for (const problem of problems) process.stderr.write(`${problem}\n`);
  if (problems.length) {
    process.stderr.write(
      `Kubernetes manifests: ${problems.length} problem(s) in ${documents} document(s)\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`Kubernetes manifests: ${documents} document(s) valid\n`);
}
