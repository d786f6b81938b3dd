// Static checks of deploy/ (no cluster runs here): every document validates against the Kubernetes
// and KEDA schemas (kubernetes-models), and the objects agree with one another and with the code
// they run: settings in lib/config/env.ts, health paths, ports, the collector config, NetworkPolicy flows.
// Long for a test file because each check needs the small cluster model built at the top.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import * as keda from "@kubernetes-models/keda";
import * as k8s from "kubernetes-models";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { EnvSchema, loadConfig, type Config } from "../lib/config/env";

type Labels = Record<string, string>;
type Selector = { matchLabels?: Labels; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
type KeyRef = { name: string; key: string; optional?: boolean };
type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef?: KeyRef; configMapKeyRef?: KeyRef } };
type Port = { name?: string; containerPort: number; protocol?: string; hostPort?: number };
type Probe = { httpGet?: { path: string; port: string | number }; tcpSocket?: { port: string | number } };
type SecurityContext = {
  runAsNonRoot?: boolean; runAsUser?: number; privileged?: boolean; allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean;
  capabilities?: { drop?: string[]; add?: string[] }; seccompProfile?: { type: string };
};
type Container = {
  name: string; image: string; command?: string[]; args?: string[]; env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[]; ports?: Port[];
  readinessProbe?: Probe; livenessProbe?: Probe; startupProbe?: Probe; securityContext?: SecurityContext;
  volumeMounts?: { name: string; mountPath: string }[]; resources?: { requests?: Labels; limits?: Labels };
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
};
type PodSpec = {
  containers: Container[]; initContainers?: Container[]; securityContext?: SecurityContext; terminationGracePeriodSeconds?: number;
  hostNetwork?: boolean; hostPID?: boolean; hostIPC?: boolean; volumes?: ({ name: string } & Record<string, unknown>)[]; restartPolicy?: string;
};
type Obj = {
  apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Labels; annotations?: Labels };
  // Each kind has its own spec and the schemas above already checked it; the checks read what they need.
  spec?: any; data?: Labels; stringData?: Labels;
};
type Doc = { file: string; obj: Obj };
type Pod = { owner: Obj; ns: string; labels: Labels; spec: PodSpec };

// ---- load deploy/ ----------------------------------------------------------------------------
const DEPLOY = "deploy";
const isExample = (file: string) => file.endsWith(".example.yaml");
const isKustomization = (file: string) => path.basename(file) === "kustomization.yaml";
// Examples for other tools' controllers, applied by hand and not by `kubectl apply -k deploy/`;
// tests/argo-rollouts.db.test.ts and tests/flagger.db.test.ts exercise them.
const OTHER_TOOLS = new Set([path.join(DEPLOY, "argo-rollouts"), path.join(DEPLOY, "flagger")]);
function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    if (OTHER_TOOLS.has(p)) return [];
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}
const files = yamlFiles(DEPLOY);
const docs: Doc[] = files.flatMap((file) =>
  parseAllDocuments(readFileSync(file, "utf8")).flatMap((d) => {
    if (d.errors.length) throw new Error(`${file}: ${d.errors[0]?.message}`);
    const obj = d.toJS() as Obj | null;
    return obj ? [{ file, obj }] : [];
  }),
);
const k8sDocs = docs.filter((d) => !isKustomization(d.file));
const objects = k8sDocs.filter((d) => !isExample(d.file)).map((d) => d.obj); // what `kubectl apply -k deploy` creates
const secrets = k8sDocs.filter((d) => isExample(d.file) && d.obj.kind === "Secret").map((d) => d.obj); // what the operator creates
const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);
const find = (kind: string, ns: string, name: string) => [...objects, ...secrets].find((o) => o.kind === kind && o.metadata.namespace === ns && o.metadata.name === name);
const pods: Pod[] = objects
  .filter((o) => o.kind === "Deployment" || o.kind === "Job")
  .map((o) => ({ owner: o, ns: o.metadata.namespace ?? "", labels: o.spec.template.metadata.labels as Labels, spec: o.spec.template.spec as PodSpec }));
const podOf = (name: string) => pods.find((p) => p.owner.metadata.name === name) ?? expect.unreachable(`no workload ${name}`);
const containersOf = (pod: Pod) => [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
const runs = (c: Container, script: string) => [...(c.command ?? []), ...(c.args ?? [])].includes(script);

// ---- schemas: every model class of kubernetes-models and @kubernetes-models/keda, by apiVersion/kind
type Model = { apiVersion: string; kind: string; new (data: unknown): { validate(): void } };
function collectModels(ns: object, into = new Map<string, Model>(), depth = 0): Map<string, Model> {
  for (const v of Object.values(ns)) {
    if (typeof v === "function" && typeof v.apiVersion === "string" && typeof v.kind === "string") into.set(`${v.apiVersion}/${v.kind}`, v as Model);
    else if (v && typeof v === "object" && depth < 3) collectModels(v, into, depth + 1);
  }
  return into;
}
const MODELS = collectModels({ k8s, keda });

function schemaError(obj: Obj): string | null {
  const Model = MODELS.get(`${obj.apiVersion}/${obj.kind}`);
  if (!Model) return `unknown kind ${obj.apiVersion}/${obj.kind}`;
  // kubernetes-models keeps removed beta APIs (extensions/v1beta1…); KEDA's only version is v1alpha1.
  if (/\/v\d+(alpha|beta)\d*$/.test(obj.apiVersion) && !obj.apiVersion.startsWith("keda.sh/")) return `pre-release API ${obj.apiVersion}`;
  try {
    new Model(obj).validate();
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

// ---- helpers over the model -------------------------------------------------------------------
function selects(selector: Selector | undefined, labels: Labels): boolean {
  const okLabels = Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const okExpr = (selector?.matchExpressions ?? []).every((e) =>
    e.operator === "In" ? e.values?.includes(labels[e.key] ?? "\0")
    : e.operator === "NotIn" ? !e.values?.includes(labels[e.key] ?? "\0")
    : e.operator === "Exists" ? e.key in labels
    : !(e.key in labels),
  );
  return Boolean(okLabels && okExpr);
}
const podsSelected = (ns: string, selector: Selector) => pods.filter((p) => p.ns === ns && selects(selector, p.labels));
function containerPort(pod: Pod, ref: string | number): number | undefined {
  const all = pod.spec.containers.flatMap((c) => c.ports ?? []);
  return (typeof ref === "number" ? all.find((p) => p.containerPort === ref) : all.find((p) => p.name === ref))?.containerPort;
}

/** The environment a container starts with: envFrom and env resolved against ConfigMaps and the Secret examples. */
function resolveEnv(c: Container, ns: string): { env: Record<string, string>; problems: string[] } {
  const env: Record<string, string> = {};
  const problems: string[] = [];
  const source = (kind: "ConfigMap" | "Secret", name: string) => {
    const o = find(kind, ns, name);
    if (!o) problems.push(`${c.name}: ${kind} ${ns}/${name} is not defined in deploy/`);
    return o ? { ...o.data, ...o.stringData } : {};
  };
  for (const f of c.envFrom ?? []) {
    if (f.configMapRef) Object.assign(env, source("ConfigMap", f.configMapRef.name));
    if (f.secretRef) Object.assign(env, source("Secret", f.secretRef.name));
  }
  for (const e of c.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef ?? e.valueFrom?.configMapKeyRef;
    if (!ref) env[e.name] = e.value ?? "";
    else {
      const data = source(e.valueFrom?.secretKeyRef ? "Secret" : "ConfigMap", ref.name);
      if (!(ref.key in data)) problems.push(`${c.name}: ${e.name} reads key ${ref.key} that ${ref.name} does not have`);
      env[e.name] = data[ref.key] ?? "";
    }
  }
  return { env, problems };
}

const RESTRICTED_VOLUMES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
/** Violations of the restricted Pod Security Standard, plus our own rule: read-only root filesystems. */
function restrictedProblems(spec: PodSpec): string[] {
  const pod = spec.securityContext ?? {};
  const problems: string[] = [];
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) problems.push("host namespaces");
  if (pod.seccompProfile?.type !== "RuntimeDefault") problems.push("pod seccompProfile is not RuntimeDefault");
  if (pod.runAsUser === 0) problems.push("pod runs as UID 0");
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== "name") ?? "";
    if (!RESTRICTED_VOLUMES.includes(type)) problems.push(`volume ${v.name} is ${type}`);
  }
  for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
    const sc = c.securityContext ?? {};
    const say = (what: string) => problems.push(`${c.name}: ${what}`);
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) say("runAsNonRoot is not true");
    if (sc.runAsUser === 0) say("runs as UID 0");
    if (sc.privileged) say("privileged");
    if (sc.allowPrivilegeEscalation !== false) say("allowPrivilegeEscalation is not false");
    if (!sc.capabilities?.drop?.includes("ALL")) say("capabilities do not drop ALL");
    if ((sc.capabilities?.add ?? []).some((cap) => cap !== "NET_BIND_SERVICE")) say("adds capabilities");
    if (sc.seccompProfile && !["RuntimeDefault", "Localhost"].includes(sc.seccompProfile.type)) say("seccompProfile");
    if (sc.readOnlyRootFilesystem !== true) say("root filesystem is writable");
    if ((c.ports ?? []).some((p) => p.hostPort)) say("hostPort");
  }
  return problems;
}

// ---- NetworkPolicy evaluation: a pod (namespace + labels) or an address outside the cluster --------
type Peer = { ns: string; labels: Labels } | { ip: string };
const nsLabels = (ns: string): Labels => ({ ...ofKind("Namespace").find((n) => n.metadata.name === ns)?.metadata.labels, "kubernetes.io/metadata.name": ns });
const ipv4 = (ip: string) => ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
function inCidr(ip: string, cidr: string): boolean {
  const [base = "", bits = "0"] = cidr.split("/");
  if (!base.includes(".") || !ip.includes(".")) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(ip) / size) === Math.floor(ipv4(base) / size);
}
type PolicyPeer = { podSelector?: Selector; namespaceSelector?: Selector; ipBlock?: { cidr: string; except?: string[] } };
type Rule = { from?: PolicyPeer[]; to?: PolicyPeer[]; ports?: { port?: number | string; protocol?: string }[] };
function peerMatches(p: PolicyPeer, peer: Peer, policyNs: string): boolean {
  if ("ip" in peer) return Boolean(p.ipBlock && inCidr(peer.ip, p.ipBlock.cidr) && !(p.ipBlock.except ?? []).some((e) => inCidr(peer.ip, e)));
  if (p.ipBlock) return false;
  const nsOk = p.namespaceSelector ? selects(p.namespaceSelector, nsLabels(peer.ns)) : peer.ns === policyNs;
  return nsOk && (!p.podSelector || selects(p.podSelector, peer.labels));
}
function policyAllows(direction: "Ingress" | "Egress", subject: { ns: string; labels: Labels }, peer: Peer, port: number, protocol = "TCP"): boolean {
  const policies = ofKind("NetworkPolicy").filter((p) => {
    const types: string[] = p.spec.policyTypes ?? (p.spec.egress ? ["Ingress", "Egress"] : ["Ingress"]);
    return p.metadata.namespace === subject.ns && selects(p.spec.podSelector, subject.labels) && types.includes(direction);
  });
  if (policies.length === 0) return true; // a pod no policy selects is not isolated
  return policies.some((p) =>
    ((direction === "Ingress" ? p.spec.ingress : p.spec.egress) as Rule[] | undefined)?.some((rule) => {
      const peers = direction === "Ingress" ? rule.from : rule.to;
      const peerOk = !peers?.length || peers.some((x) => peerMatches(x, peer, p.metadata.namespace ?? ""));
      return peerOk && (!rule.ports?.length || rule.ports.some((r) => r.port === port && (r.protocol ?? "TCP") === protocol));
    }),
  );
}
/** Whether src may open a connection to dst:port (both sides' policies; an address is only one side). */
function canConnect(src: Peer, dst: Peer, port: number, protocol = "TCP"): boolean {
  return ("ip" in src || policyAllows("Egress", src, dst, port, protocol)) && ("ip" in dst || policyAllows("Ingress", dst, src, port, protocol));
}
const peerOf = (name: string): Peer => ({ ns: podOf(name).ns, labels: podOf(name).labels });
const OUTSIDE_POD: Peer = { ns: "some-other-team", labels: { app: "curious" } };
const PUBLIC_ADDRESS: Peer = { ip: "203.0.113.10" };
const KUBE_DNS: Peer = { ns: "kube-system", labels: { "k8s-app": "kube-dns" } };

/** A `http://service.namespace.svc…:port` URL as the Service it names and the container port it reaches. */
function serviceTarget(url: string, clientNs: string): { service: Obj; pod: Pod; containerPort: number | undefined } {
  const u = new URL(url);
  const [name = "", ns = clientNs] = u.hostname.split(".");
  const service = find("Service", ns, name) ?? expect.unreachable(`${url}: no Service ${ns}/${name}`);
  const port = (service.spec.ports as { port: number; targetPort?: string | number }[]).find((p) => p.port === Number(u.port));
  const [pod] = podsSelected(ns, { matchLabels: service.spec.selector });
  if (!pod || !port) return expect.unreachable(`${url}: Service ${name} has no port ${u.port} or no pods`);
  return { service, pod, containerPort: containerPort(pod, port.targetPort ?? port.port) };
}

// Tailguard containers: our image running the server or the migration script.
const tailguardContainers = pods.flatMap((pod) => containersOf(pod).filter((c) => runs(c, "server.ts") || runs(c, "scripts/db.ts")).map((c) => ({ pod, c })));
const serverContainers = tailguardContainers.filter(({ c }) => runs(c, "server.ts"));
function configOf(pod: Pod, c: Container): Config {
  const result = loadConfig(resolveEnv(c, pod.ns).env);
  if (!result.ok) return expect.unreachable(`${pod.owner.metadata.name}: ${result.problems.join("; ")}`);
  return result.config;
}

describe("deploy/ manifests", () => {
  it("parse into objects that validate against the Kubernetes and KEDA schemas", () => {
    expect(objects.length).toBeGreaterThan(30);
    for (const { file, obj } of k8sDocs) expect(schemaError(obj), `${file}: ${obj.kind}/${obj.metadata?.name}`).toBeNull();
  });

  it("catch broken objects, unknown kinds, insecure pods and open paths (the checks are not vacuous)", () => {
    const web = podOf("tailguard-web");
    const broken = structuredClone(web.owner);
    broken.spec.template.spec.containers[0].ports[0].containerPort = "http";
    expect(schemaError(broken)).toMatch(/containerPort must be integer/);
    expect(schemaError({ ...web.owner, spec: { ...web.owner.spec, selector: undefined } })).toMatch(/selector/);
    expect(schemaError({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } })).toMatch(/unknown kind/);
    expect(schemaError({ ...web.owner, apiVersion: "extensions/v1beta1" })).toMatch(/pre-release API/);
    expect(schemaError({ ...ofKind("ScaledObject")[0]!, spec: { scaleTargetRef: { name: "x" } } })).toMatch(/triggers/);
    const writable = structuredClone(web.spec);
    writable.containers[0]!.securityContext = { ...writable.containers[0]!.securityContext, readOnlyRootFilesystem: false, allowPrivilegeEscalation: true };
    expect(restrictedProblems(writable)).toEqual(["tailguard: allowPrivilegeEscalation is not false", "tailguard: root filesystem is writable"]);
    expect(canConnect(OUTSIDE_POD, peerOf("tailguard-ingest"), 4318)).toBe(false);
    expect(canConnect(peerOf("tailguard-web"), PUBLIC_ADDRESS, 443)).toBe(false);
  });

  it("list every manifest in a kustomization, and never the secret examples", () => {
    const listed = new Map<string, number>();
    for (const k of docs.filter((d) => isKustomization(d.file))) {
      expect(k.obj.kind).toBe("Kustomization");
      for (const r of (k.obj as unknown as { resources: string[] }).resources) {
        const target = path.join(path.dirname(k.file), r);
        const file = existsSync(target) && statSync(target).isDirectory() ? path.join(target, "kustomization.yaml") : target;
        expect(existsSync(file), `${k.file} lists ${r}`).toBe(true);
        listed.set(file, (listed.get(file) ?? 0) + 1);
      }
    }
    for (const f of files.filter((f) => f !== path.join(DEPLOY, "kustomization.yaml"))) expect(listed.get(f) ?? 0, f).toBe(isExample(f) ? 0 : 1);
    expect(ofKind("Secret")).toEqual([]);
    expect(k8sDocs.filter((d) => isExample(d.file)).map((d) => d.obj.kind)).toEqual(["Secret", "Secret", "Secret"]);
  });

  const kubectl = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" }).status === 0;
  it.skipIf(!kubectl)("render to the same objects with kubectl kustomize (skipped without kubectl)", () => {
    const out = spawnSync("kubectl", ["kustomize", DEPLOY], { encoding: "utf8" });
    expect(out.stderr).toBe("");
    const rendered = parseAllDocuments(out.stdout).map((d) => d.toJS() as Obj);
    const key = (o: Obj) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
    expect(rendered.map(key).sort()).toEqual(objects.map(key).sort());
    for (const o of rendered) expect(o, key(o)).toEqual(objects.find((x) => key(x) === key(o)));
  });

  it("put every object in a namespace defined here that enforces the restricted Pod Security Standard", () => {
    const namespaces = ofKind("Namespace");
    for (const n of namespaces) expect(n.metadata.labels?.["pod-security.kubernetes.io/enforce"], n.metadata.name).toBe("restricted");
    for (const o of [...objects, ...secrets].filter((o) => o.kind !== "Namespace")) {
      expect(namespaces.map((n) => n.metadata.name), `${o.kind}/${o.metadata.name}`).toContain(o.metadata.namespace);
    }
  });

  it("run every pod restricted, with a read-only root filesystem and an emptyDir /tmp where tsx runs", () => {
    expect(pods.length).toBe(7);
    for (const pod of pods) {
      expect(restrictedProblems(pod.spec), pod.owner.metadata.name).toEqual([]);
      for (const c of containersOf(pod).filter((c) => c.command?.includes("tsx"))) {
        const tmp = c.volumeMounts?.find((m) => m.mountPath === "/tmp");
        expect(pod.spec.volumes?.find((v) => v.name === tmp?.name)?.emptyDir, `${pod.owner.metadata.name}: /tmp`).toBeDefined();
      }
    }
    // Next.js writes its caches under .next/cache wherever the console runs.
    for (const { pod, c } of serverContainers.filter(({ pod, c }) => configOf(pod, c).runsWeb)) expect(c.volumeMounts?.map((m) => m.mountPath)).toContain("/app/.next/cache");
  });

  it("point Services, HPAs, PDBs and ScaledObjects at pods and ports that exist", () => {
    for (const d of ofKind("Deployment")) expect(selects(d.spec.selector, d.spec.template.metadata.labels), d.metadata.name).toBe(true);
    for (const s of ofKind("Service")) {
      const selected = podsSelected(s.metadata.namespace ?? "", { matchLabels: s.spec.selector });
      expect(selected.map((p) => p.owner.kind), `Service ${s.metadata.name} selects one Deployment`).toEqual(["Deployment"]);
      for (const p of s.spec.ports as { name: string; port: number; targetPort?: string | number }[]) {
        expect(containerPort(selected[0]!, p.targetPort ?? p.port), `Service ${s.metadata.name} port ${p.name}`).toBeDefined();
      }
    }
    const scaled = [...ofKind("HorizontalPodAutoscaler"), ...ofKind("ScaledObject")];
    for (const h of scaled) {
      const target = find("Deployment", h.metadata.namespace ?? "", h.spec.scaleTargetRef.name);
      expect(target, `${h.kind} ${h.metadata.name}`).toBeDefined();
      expect(target?.spec.replicas, `${h.spec.scaleTargetRef.name}: the autoscaler owns replicas`).toBeUndefined();
      const requestsCpu = (target?.spec.template.spec as PodSpec).containers.every((c) => c.resources?.requests?.cpu);
      if (h.kind === "HorizontalPodAutoscaler") expect(requestsCpu, `${h.metadata.name}: CPU utilisation needs CPU requests`).toBe(true);
    }
    for (const pdb of ofKind("PodDisruptionBudget")) {
      const [pod, ...rest] = podsSelected(pdb.metadata.namespace ?? "", pdb.spec.selector);
      expect(pod && rest.length === 0, `PDB ${pdb.metadata.name} selects one workload`).toBe(true);
      const hpa = scaled.find((h) => h.spec.scaleTargetRef.name === pod?.owner.metadata.name);
      const minReplicas: number = hpa?.spec.minReplicas ?? hpa?.spec.minReplicaCount ?? pod?.owner.spec.replicas ?? 1;
      expect(pdb.spec.minAvailable, `PDB ${pdb.metadata.name} still lets a node drain`).toBeLessThan(minReplicas);
    }
    for (const so of ofKind("ScaledObject")) {
      const worker = podOf(so.spec.scaleTargetRef.name);
      for (const t of so.spec.triggers as { type: string; metadata: Labels; authenticationRef: { name: string } }[]) {
        expect(t).toMatchObject({ type: "rabbitmq", metadata: { mode: "QueueLength" } });
        expect(t.metadata.queueName).toBe(resolveEnv(worker.spec.containers[0]!, worker.ns).env.SAMPLE_QUEUE_NAME);
        const auth = find("TriggerAuthentication", so.metadata.namespace ?? "", t.authenticationRef.name);
        const refs = (auth?.spec.secretTargetRef ?? []) as { parameter: string; name: string; key: string }[];
        expect(refs.map((r) => r.parameter)).toEqual(["host"]);
        for (const r of refs) expect(find("Secret", so.metadata.namespace ?? "", r.name)?.stringData, `${r.name}.${r.key}`).toHaveProperty([r.key]);
      }
    }
  });

  it("take every Secret and ConfigMap reference from objects defined here, and credentials only from Secrets", () => {
    const credentialNames = new Set(secrets.flatMap((s) => Object.keys(s.stringData ?? {})));
    for (const pod of pods) {
      for (const c of containersOf(pod)) {
        expect(resolveEnv(c, pod.ns).problems).toEqual([]);
        for (const e of c.env ?? []) if (credentialNames.has(e.name)) expect(e.valueFrom?.secretKeyRef, `${c.name}: ${e.name}`).toBeDefined();
      }
      for (const v of pod.spec.volumes ?? []) {
        const cm = v.configMap as { name: string } | undefined;
        if (cm) expect(find("ConfigMap", pod.ns, cm.name), `volume ${v.name}`).toBeDefined();
      }
    }
    for (const cm of ofKind("ConfigMap")) for (const k of Object.keys(cm.data ?? {})) expect(credentialNames.has(k), `${cm.metadata.name} holds ${k}`).toBe(false);
  });

  it("set only real Tailguard settings, which load, with the role, ports and pools each Deployment is for", () => {
    const settings = Object.keys(EnvSchema.shape);
    expect(tailguardContainers.length).toBe(4);
    let connections = 0;
    for (const { pod, c } of tailguardContainers) {
      const name = pod.owner.metadata.name;
      for (const v of Object.keys(resolveEnv(c, pod.ns).env)) expect(settings, `${name} sets ${v}`).toContain(v);
      const config = configOf(pod, c);
      expect(config.DATABASE_URL, `${name} must not fall back to PGlite on a read-only disk`).toBeDefined();
      expect(c.image).toMatch(/^ghcr\.io\/tailguard\/tailguard:\d+\.\d+\.\d+$/);
      expect(c.image).toBe(tailguardContainers[0]?.c.image);
      const hpa = ofKind("HorizontalPodAutoscaler").find((h) => h.spec.scaleTargetRef.name === name);
      connections += (hpa?.spec.maxReplicas ?? pod.owner.spec.replicas ?? 1) * config.DATABASE_POOL_SIZE;
      if (!runs(c, "server.ts")) continue;
      expect(config.TAILGUARD_ROLE, name).toBe(pod.labels["app.kubernetes.io/component"]);
      expect(config.ingestAuth).toBe("required");
      expect(c.env?.find((e) => e.name === "TAILGUARD_SECRET")?.valueFrom?.secretKeyRef, `${name}: one session key for all roles`).toEqual({ name: "tailguard", key: "TAILGUARD_SECRET" });
      const ports = (c.ports ?? []).map((p) => p.containerPort).sort();
      const expected = [...(config.runsWeb ? [config.PORT] : []), ...(config.runsIngest ? [config.OTLP_GRPC_PORT, config.OTLP_HTTP_PORT] : [])].sort();
      expect(ports, `${name} exposes what its role listens on`).toEqual(expected);
      const preStopS = c.lifecycle?.preStop?.sleep?.seconds ?? 0;
      expect((pod.spec.terminationGracePeriodSeconds ?? 30) * 1000, `${name}: grace covers the drain`).toBeGreaterThan(config.TAILGUARD_SHUTDOWN_GRACE_MS + preStopS * 1000);
      if (config.TELEMETRY_WRITE_CONCURRENCY) expect(config.TELEMETRY_WRITE_CONCURRENCY).toBeLessThan(config.DATABASE_POOL_SIZE);
      if (config.runsIngest) expect(config.OTLP_MAX_INFLIGHT_BYTES * 2).toBeLessThanOrEqual(parseInt(c.resources?.limits?.memory ?? "0", 10) * 1024 * 1024);
    }
    // PostgreSQL's default max_connections is 100 (3 reserved); at full scale-out the roles must fit.
    expect(connections).toBeLessThanOrEqual(90);
  });

  it("probe /readyz and /healthz on the console port, and only where the console server runs", () => {
    const webServer = readFileSync("lib/runtime/web-server.ts", "utf8");
    expect(webServer).toContain('pathname === "/readyz"');
    expect(webServer).toContain('pathname === "/healthz"');
    for (const { pod, c } of serverContainers) {
      const config = configOf(pod, c);
      const name = pod.owner.metadata.name;
      if (config.runsWeb) {
        expect(c.readinessProbe?.httpGet?.path, name).toBe("/readyz");
        expect(c.livenessProbe?.httpGet?.path, name).toBe("/healthz");
        for (const p of [c.readinessProbe, c.livenessProbe, c.startupProbe]) if (p) expect(containerPort(pod, p.httpGet?.port ?? -1)).toBe(config.PORT);
      } else {
        // /healthz and /readyz exist only on the console server: an HTTP probe elsewhere would never pass.
        for (const p of [c.readinessProbe, c.livenessProbe, c.startupProbe]) expect(p?.httpGet, name).toBeUndefined();
        if (config.runsIngest) expect(containerPort(pod, c.readinessProbe?.tcpSocket?.port ?? -1), name).toBe(config.OTLP_HTTP_PORT);
      }
    }
  });

  it("migrate with exactly one Job, on the Deployments' image, named for its version", () => {
    const jobs = tailguardContainers.filter(({ c }) => runs(c, "scripts/db.ts"));
    expect(jobs.map(({ pod }) => pod.owner.kind)).toEqual(["Job"]);
    const { pod, c } = jobs[0]!;
    expect(c.command?.slice(-2)).toEqual(["scripts/db.ts", "migrate"]);
    expect(JSON.parse(readFileSync("package.json", "utf8")).scripts["db:migrate"]).toBe("tsx scripts/db.ts migrate");
    expect(pod.spec.restartPolicy).toBe("Never");
    const tag = c.image.split(":").at(-1) ?? "";
    expect(pod.owner.metadata.name).toBe(`tailguard-migrate-v${tag.replaceAll(".", "-")}`);
    for (const { c: other } of serverContainers) expect(other.image).toBe(c.image);
    for (const script of ["server.ts", "scripts/db.ts"]) expect(existsSync(script), script).toBe(true);
  });

  it("ship collector/otel-collector.yaml unchanged and point its exporter at Tailguard's ingest Service", () => {
    const text = readFileSync("collector/otel-collector.yaml", "utf8");
    const collector = podOf("otel-collector");
    const c = collector.spec.containers[0]!;
    const configMap = find("ConfigMap", collector.ns, "otel-collector-config");
    expect(configMap?.data?.["otel-collector.yaml"]).toBe(text);
    expect(collector.owner.spec.template.metadata.annotations["tailguard.dev/config-sha256"]).toBe(createHash("sha256").update(text).digest("hex"));
    const volume = collector.spec.volumes?.find((v) => (v.configMap as { name: string } | undefined)?.name === "otel-collector-config");
    const mount = c.volumeMounts?.find((m) => m.name === volume?.name);
    expect(c.args).toContain(`--config=${mount?.mountPath}/otel-collector.yaml`);

    const config = parse(text) as {
      receivers: { otlp: { protocols: Record<string, { endpoint: string }> } };
      exporters: Record<string, { endpoint: string; headers: Labels }>;
      extensions: { health_check: { endpoint: string } };
      service: { pipelines: { traces: { processors: string[] } } };
    };
    const env = resolveEnv(c, collector.ns).env;
    for (const [, v] of text.matchAll(/\$\{env:(\w+)\}/g)) expect(env, `collector env ${v}`).toHaveProperty([v!]);
    for (const p of Object.values(config.receivers.otlp.protocols)) expect(containerPort(collector, Number(p.endpoint.split(":")[1]))).toBeDefined();
    expect(containerPort(collector, c.readinessProbe?.httpGet?.port ?? -1)).toBe(Number(config.extensions.health_check.endpoint.split(":")[1]));
    const exporter = config.exporters["otlphttp/tailguard"]!;
    expect(exporter.endpoint).toBe("${env:TAILGUARD_OTLP_ENDPOINT}");
    expect(exporter.headers.Authorization).toBe("Bearer ${env:TAILGUARD_INGEST_TOKEN}");
    expect(c.env?.find((e) => e.name === "TAILGUARD_INGEST_TOKEN")?.valueFrom?.secretKeyRef).toBeDefined();
    const target = serviceTarget(env.TAILGUARD_OTLP_ENDPOINT ?? "", collector.ns);
    expect(target.service.metadata.name).toBe("tailguard-ingest");
    expect(target.containerPort).toBe(configOf(target.pod, target.pod.spec.containers[0]!).OTLP_HTTP_PORT);
    // Tail sampling needs every span of a trace in one instance.
    if (config.service.pipelines.traces.processors.includes("tail_sampling")) expect(collector.owner.spec.replicas).toBe(1);
    for (const name of ["sample-api", "sample-worker"]) {
      const pod = podOf(name);
      const sampleTarget = serviceTarget(resolveEnv(pod.spec.containers[0]!, pod.ns).env.OTEL_EXPORTER_OTLP_ENDPOINT ?? "", pod.ns);
      expect(sampleTarget.pod.owner.metadata.name).toBe("otel-collector");
      expect(sampleTarget.containerPort).toBe(Number(config.receivers.otlp.protocols.http?.endpoint.split(":")[1]));
    }
  });

  it("start the sample system through entry points and settings that exist", () => {
    const source = readFileSync("sample-system/config.ts", "utf8");
    const envBlock = source.slice(source.indexOf("const EnvSchema = z.object({"), source.indexOf("});", source.indexOf("const EnvSchema")));
    const settings = [...envBlock.matchAll(/^\s+([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]);
    expect(settings).toContain("AMQP_URL");
    for (const name of ["sample-api", "sample-worker"]) {
      const pod = podOf(name);
      const c = pod.spec.containers[0]!;
      for (const v of Object.keys(resolveEnv(c, pod.ns).env)) expect(settings, `${name} sets ${v}`).toContain(v);
      const script = c.args?.join("\n") ?? "";
      expect(script, `${name} listens beyond loopback`).toContain('host: "0.0.0.0"');
      const imports = [...script.matchAll(/import\("\.\/([^"]+)"\)/g)].map((m) => m[1]!);
      expect(imports.length).toBeGreaterThan(0);
      for (const file of imports) expect(existsSync(file), file).toBe(true);
      for (const [, fn, file] of script.matchAll(/const \{ (\w+) \} = await import\("\.\/([^"]+)"\)/g)) {
        expect(readFileSync(file!, "utf8"), `${file} exports ${fn}`).toMatch(new RegExp(`export (async )?function ${fn}\\b`));
      }
    }
    expect(readFileSync("sample-system/worker/main.ts", "utf8")).toContain("process.env.SAMPLE_WORKER_CONFIG");
  });

  it("select existing pods and namespaces in every NetworkPolicy, and allow just the flows the system needs", () => {
    const namespaces = ofKind("Namespace").map((n) => n.metadata.name);
    const denyAll = (p: Obj) => Object.keys(p.spec.podSelector).length === 0 && p.spec.policyTypes.length === 2 && !p.spec.ingress && !p.spec.egress;
    for (const ns of namespaces) expect(ofKind("NetworkPolicy").some((p) => p.metadata.namespace === ns && denyAll(p)), `${ns} denies by default`).toBe(true);
    for (const p of ofKind("NetworkPolicy")) {
      const ns = p.metadata.namespace ?? "";
      const subjects = podsSelected(ns, p.spec.podSelector);
      expect(subjects.length, `${p.metadata.name} selects pods`).toBeGreaterThan(0);
      for (const rule of [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])] as Rule[]) {
        for (const peer of [...(rule.from ?? []), ...(rule.to ?? [])]) {
          const peerNamespaces = peer.namespaceSelector ? [...namespaces, "kube-system"].filter((n) => selects(peer.namespaceSelector, nsLabels(n))) : [ns];
          if (!peer.ipBlock) expect(peerNamespaces.length, `${p.metadata.name}: namespaceSelector`).toBeGreaterThan(0);
          const ours = peerNamespaces.filter((n) => namespaces.includes(n));
          if (peer.podSelector && ours.length) expect(ours.flatMap((n) => podsSelected(n, peer.podSelector!)).length, `${p.metadata.name}: podSelector`).toBeGreaterThan(0);
        }
        for (const port of rule.ports ?? []) expect(typeof port.port, `${p.metadata.name}: numeric ports`).toBe("number");
      }
      const ingressPorts = ((p.spec.ingress ?? []) as Rule[]).flatMap((rule) => rule.ports ?? []);
      for (const port of ingressPorts) for (const s of subjects) expect(containerPort(s, port.port!), `${p.metadata.name}: ${port.port}`).toBeDefined();
    }
    for (const pod of pods) expect(canConnect(peerOf(pod.owner.metadata.name), KUBE_DNS, 53, "UDP"), `${pod.owner.metadata.name} → DNS`).toBe(true);
    for (const { pod } of tailguardContainers) expect(canConnect(peerOf(pod.owner.metadata.name), { ip: "10.20.30.40" }, 5432), `${pod.owner.metadata.name} → PostgreSQL`).toBe(true);
    expect(canConnect(OUTSIDE_POD, peerOf("tailguard-web"), 3000)).toBe(true);
    expect(canConnect(peerOf("otel-collector"), peerOf("tailguard-ingest"), 4318)).toBe(true);
    expect(canConnect(peerOf("sample-api"), peerOf("tailguard-ingest"), 4318)).toBe(true);
    for (const name of ["sample-api", "sample-worker"]) expect(canConnect(peerOf(name), peerOf("otel-collector"), 4318), `${name} → collector`).toBe(true);
    expect(canConnect(peerOf("tailguard-engine"), PUBLIC_ADDRESS, 443)).toBe(true);
    // Closed: OTLP from unlabelled namespaces, webhooks to private addresses, anything but the engine leaving on 443.
    expect(canConnect(OUTSIDE_POD, peerOf("otel-collector"), 4318)).toBe(false);
    expect(canConnect(peerOf("tailguard-engine"), { ip: "169.254.169.254" }, 443)).toBe(false);
    expect(canConnect(peerOf("tailguard-engine"), { ip: "10.0.0.7" }, 443)).toBe(false);
    for (const name of ["tailguard-web", "tailguard-ingest", "otel-collector", "sample-worker"]) expect(canConnect(peerOf(name), PUBLIC_ADDRESS, 443), name).toBe(false);
    expect(canConnect(peerOf("tailguard-web"), peerOf("tailguard-ingest"), 4318)).toBe(false);
  });
});
