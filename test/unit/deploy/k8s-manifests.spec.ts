/**
 * The Kubernetes manifests (deploy/k8s): valid against the Kubernetes API schemas, offline and
 * strictly (deploy/validate-k8s.mjs, also run by .ci/run), and shaped as the README says: one
 * Deployment per service from the one image, probes and resources on every container, secrets
 * from the Secret, only the gateway reachable. A broken manifest must fail the check.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";

const ROOT = path.join(__dirname, "..", "..", "..");
const K8S = path.join(ROOT, "deploy", "k8s");
const SCRIPT = path.join(ROOT, "deploy", "validate-k8s.mjs");

function runValidator(...targets: string[]): Promise<{ code: number; output: string }> {
  return new Promise(resolve => {
    execFile(process.execPath, [SCRIPT, ...targets], { timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolve({ code, output: stdout + stderr });
    });
  });
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type Manifest = any;

function manifests(dir = K8S): Manifest[] {
  return fs
    .readdirSync(dir)
    .filter(name => name.endsWith(".yaml") && name !== "kustomization.yaml")
    .flatMap(name =>
      parseAllDocuments(fs.readFileSync(path.join(dir, name), "utf8")).map(doc => doc.toJS()),
    )
    .filter(Boolean);
}

function find(kind: string, name: string): Manifest {
  const found = manifests().find(m => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in deploy/k8s`);
  return found;
}

const SERVICES = fs
  .readdirSync(path.join(ROOT, "services"))
  .filter(name => name.endsWith(".service.ts"))
  .map(name => name.replace(".service.ts", ""));

function envOf(container: Manifest): Record<string, Manifest> {
  return Object.fromEntries(container.env.map((e: Manifest) => [e.name, e]));
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ms-k8s-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("deploy/validate-k8s.mjs", () => {
  it("finds deploy/k8s valid", async () => {
    const { code, output } = await runValidator();
    expect(output).toMatch(/Kubernetes manifests: \d+ document\(s\) valid/);
    expect(code).toBe(0);
  });

  it("fails on a broken manifest, naming file, object and field", async () => {
    const users = fs
      .readFileSync(path.join(K8S, "users.yaml"), "utf8")
      .replace("livenessProbe:", "livenesProbe:")
      .replace("replicas: 1", "replicas: one");
    fs.writeFileSync(path.join(tmp, "users.yaml"), users);
    fs.writeFileSync(
      path.join(tmp, "more.yaml"),
      [
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: no-selector\nspec:\n  template: {}",
        "apiVersion: v1\nkind: Servise\nmetadata:\n  name: typo",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: bad-port\nspec:\n  ports:\n    - port: http\n      protocl: TCP",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad-yaml\ndata:\n  a: [unclosed",
      ].join("\n---\n"),
    );
    const { code, output } = await runValidator(tmp);
    expect(code).toBe(1);
    const lines = output.trim().split("\n");
    const expected = [
      /users\.yaml#1 Deployment\/users: \/spec\/replicas must be integer/,
      /users\.yaml#1 Deployment\/users: \/spec\/template\/spec\/containers\/0\/livenesProbe is not a field/,
      /more\.yaml#1 Deployment\/no-selector: \/spec must have required property selector/,
      /more\.yaml#2 Servise\/typo: unknown apiVersion\/kind: v1\/Servise/,
      /more\.yaml#3 Service\/bad-port: \/spec\/ports\/0\/port must be integer/,
      /more\.yaml#3 Service\/bad-port: \/spec\/ports\/0\/protocl is not a field/,
      /more\.yaml#4: YAML: /,
    ];
    for (const pattern of expected) expect(lines.some(line => pattern.test(line))).toBe(true);
    expect(lines.at(-1)).toMatch(/Kubernetes manifests: 7 problem\(s\)/);
  });

  /** Validates a folder holding `manifests` from deploy/k8s and a kustomization.yaml of `body`. */
  async function validateKustomization(manifests: string[], body: string) {
    const dir = fs.mkdtempSync(path.join(tmp, "kustomize-"));
    for (const name of manifests) fs.copyFileSync(path.join(K8S, name), path.join(dir, name));
    fs.writeFileSync(
      path.join(dir, "kustomization.yaml"),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`,
    );
    return runValidator(dir);
  }

  it("fails when kustomization.yaml misses a manifest or lists one that is not there", async () => {
    const { code, output } = await validateKustomization(
      ["namespace.yaml", "config.yaml"],
      "resources:\n  - namespace.yaml\n  - gone.yaml\n",
    );
    expect(code).toBe(1);
    expect(output).toContain("resources: gone.yaml does not exist");
    expect(output).toContain("resources: config.yaml is in the folder but not listed");
  });

  it("fails when a ConfigMap is to be made from a file that is not there", async () => {
    const { code, output } = await validateKustomization(
      ["namespace.yaml"],
      "resources:\n  - namespace.yaml\nconfigMapGenerator:\n  - name: nats-config\n    files:\n      - nats.conf\n",
    );
    expect(code).toBe(1);
    expect(output).toContain("configMapGenerator nats-config: nats.conf does not exist");
  });
});

describe("deploy/k8s", () => {
  it("runs every service in a Deployment of its own, from the one image", () => {
    expect(SERVICES.sort()).toEqual(
      ["api", "notifications", "reports", "reservations", "spaces", "users"].sort(),
    );
    for (const service of SERVICES) {
      const deployment = find("Deployment", service);
      const [container] = deployment.spec.template.spec.containers;
      expect(container.image).toMatch(/^mindspaces:/);
      expect(envOf(container).SERVICES.value).toBe(service);
      expect(container.envFrom).toEqual([{ configMapRef: { name: "mindspaces-config" } }]);
    }
    expect(find("ConfigMap", "mindspaces-config").data).toMatchObject({
      TRANSPORTER: "nats://nats:4222",
      HOST: "0.0.0.0",
      METRICS_PORT: "3030",
    });
  });

  it("gives every container probes and resource requests and limits", () => {
    const workloads = manifests().filter(m => ["Deployment", "StatefulSet"].includes(m.kind));
    expect(workloads.length).toBe(SERVICES.length + 2);
    for (const workload of workloads) {
      for (const container of workload.spec.template.spec.containers) {
        const where = `${workload.kind} ${workload.metadata.name}`;
        expect([where, container.livenessProbe]).toEqual([where, expect.any(Object)]);
        expect([where, container.readinessProbe]).toEqual([where, expect.any(Object)]);
        expect([where, Object.keys(container.resources.requests).sort()]).toEqual([
          where,
          ["cpu", "memory"],
        ]);
        expect([where, container.resources.limits.memory]).toEqual([where, expect.any(String)]);
      }
    }
  });

  it("probes the gateway's liveness on /api/health and readiness on /api/ready", () => {
    const [api] = find("Deployment", "api").spec.template.spec.containers;
    expect(api.livenessProbe.httpGet).toEqual({ path: "/api/health", port: "http" });
    expect(api.readinessProbe.httpGet).toEqual({ path: "/api/ready", port: "http" });
    expect(api.ports).toContainEqual({ name: "http", containerPort: 3000 });
  });

  it("takes every secret from the Secret, and the token secret to users alone", () => {
    const secretRef = (container: Manifest, name: string) =>
      envOf(container)[name]?.valueFrom?.secretKeyRef?.name;
    for (const service of SERVICES) {
      const [container] = find("Deployment", service).spec.template.spec.containers;
      expect(secretRef(container, "NATS_PASSWORD")).toBe("mindspaces-secrets");
      expect(secretRef(container, "JWT_SECRET")).toBe(
        service === "users" ? "mindspaces-secrets" : undefined,
      );
    }
    const [users] = find("Deployment", "users").spec.template.spec.containers;
    expect(secretRef(users, "ADMIN_PASSWORD")).toBe("mindspaces-secrets");
    const config = JSON.stringify(find("ConfigMap", "mindspaces-config"));
    expect(config).not.toMatch(/JWT_SECRET|PASSWORD|MONGO_URI/);
  });

  it("puts no secret on a command line, where listing processes would show it", () => {
    const workloads = manifests().filter(m => ["Deployment", "StatefulSet"].includes(m.kind));
    for (const workload of workloads) {
      for (const container of workload.spec.template.spec.containers) {
        const secrets = Object.values(envOf({ env: container.env ?? [] }))
          .filter((e: Manifest) => e.valueFrom?.secretKeyRef)
          .map((e: Manifest) => `$(${e.name})`);
        const line = [...(container.command ?? []), ...(container.args ?? [])].join(" ");
        for (const secret of secrets)
          expect(`${workload.metadata.name}: ${line}`).not.toContain(secret);
      }
    }
    // NATS reads them from its environment through its configuration file, here and in compose.
    const [nats] = find("StatefulSet", "nats").spec.template.spec.containers;
    expect(nats.args).toEqual(["--config", "/etc/nats/nats.conf"]);
    const compose = parseAllDocuments(
      fs.readFileSync(path.join(ROOT, "docker-compose.yml"), "utf8"),
    )[0].toJS();
    expect(compose.services.nats.command).toEqual(["--config", "/etc/nats/nats.conf"]);
    expect(compose.services.nats.volumes).toContain(
      "./deploy/k8s/nats.conf:/etc/nats/nats.conf:ro",
    );
  });

  it("lets only the gateway be reached: default deny, and a Service for api, nats and mongo only", () => {
    expect(find("NetworkPolicy", "default-deny-ingress").spec).toEqual({
      podSelector: {},
      policyTypes: ["Ingress"],
    });
    const open = manifests().filter(
      m => m.kind === "NetworkPolicy" && m.spec.ingress?.some((rule: Manifest) => !rule.from),
    );
    expect(open.map(m => m.spec.podSelector)).toEqual([
      { matchLabels: { "app.kubernetes.io/name": "api" } },
    ]);
    const services = manifests().filter(m => m.kind === "Service");
    expect(services.map(m => m.metadata.name).sort()).toEqual(["api", "mongo", "nats"]);
    expect(services.every(m => (m.spec.type ?? "ClusterIP") === "ClusterIP")).toBe(true);
  });
});
