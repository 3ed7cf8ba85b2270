import { createHash } from "node:crypto";
import { stringify } from "yaml";
import { natsServerConfig } from "./nats-server-config.js";
import type { OperatorKeys } from "./operator-keys.js";

/** The tenant a dedicated server is rendered for. A `TenantInfo` from the provisioner fits. */
export interface KubernetesTenant {
  /** The tenant id (a DNS label); names every object `nats-<id>`. */
  id: string;
  /** The tenant's account public key; with `accountJwt`, the account is preloaded into the server. */
  accountPublicKey?: string;
  /** The tenant's account JWT (public). */
  accountJwt?: string;
}

/** Options of {@link kubernetesManifests}. */
export interface KubernetesManifestOptions {
  /** The operator the server trusts (only its public JWTs go into the ConfigMap). */
  operator: OperatorKeys;
  /** Namespace of every object. @default "vrsky" */
  namespace?: string;
  /** The nats-server image. @default "nats:2.9" */
  image?: string;
  /** Size of the JetStream volume claim. @default "10Gi" */
  storageSize?: string;
  /** Storage class of the volume claim. @default the cluster's default class */
  storageClassName?: string;
  /** Server-wide JetStream memory cap in bytes. @default nats-server's */
  maxMemoryBytes?: number;
  /** Server-wide JetStream disk cap in bytes; keep it under `storageSize`. @default nats-server's */
  maxStorageBytes?: number;
  /**
   * Labels of the tenant's worker pods, the only pods the NetworkPolicy admits.
   * @default { "app.kubernetes.io/name": "vrsky-worker", "vrsky.io/tenant": <id> }
   */
  workerLabels?: Readonly<Record<string, string>>;
  /** Namespace of the worker pods. @default `namespace` */
  workerNamespace?: string;
  /**
   * Labels of control-plane pods also admitted (the provisioner pushing claims, rotating creds).
   * @default none: only workers; the account is preloaded from `accountJwt`
   */
  controlPlaneLabels?: Readonly<Record<string, string>>;
  /** Container resources. @default none */
  resources?: {
    requests?: Readonly<Record<string, string>>;
    limits?: Readonly<Record<string, string>>;
  };
}

/** The label every VRSky object carries with its tenant id. */
export const TENANT_LABEL = "vrsky.io/tenant";
const CLIENT_PORT = 4222;
const MONITOR_PORT = 8222;

/**
 * Renders a dedicated nats-server for one tenant as Kubernetes manifests (multi-document YAML):
 * a ConfigMap with the operator-mode config, a PersistentVolumeClaim for JetStream and the
 * resolver, a single-replica Deployment of the nats image, a ClusterIP Service, and a
 * NetworkPolicy admitting only the tenant's worker pods (and the control plane, if asked).
 *
 * Nothing secret is rendered: the config holds the operator and account JWTs, which are public.
 *
 * @param tenant - id, and the account to preload
 * @param options - operator, namespace, image, storage, selectors
 * @returns the YAML text, objects separated by `---`
 * @example
 * ```ts
 * const info = await provisioner.tenant("acme");
 * await writeFile("acme-nats.yaml", kubernetesManifests(info!, { operator, namespace: "tenants" }));
 * // kubectl apply -f acme-nats.yaml
 * ```
 */
export function kubernetesManifests(tenant: KubernetesTenant, options: KubernetesManifestOptions): string {
  const name = `nats-${tenant.id}`;
  const namespace = options.namespace ?? "vrsky";
  const selector = { "app.kubernetes.io/name": "nats", "app.kubernetes.io/instance": name };
  const labels = {
    ...selector,
    "app.kubernetes.io/part-of": "vrsky",
    "app.kubernetes.io/managed-by": "vrsky-provisioner",
    [TENANT_LABEL]: tenant.id,
  };
  const metadata = { name, namespace, labels };
  const config = natsServerConfig({
    operator: options.operator,
    resolverDir: "/data/jwt",
    storeDir: "/data/jetstream",
    host: "0.0.0.0",
    port: CLIENT_PORT,
    monitorPort: MONITOR_PORT,
    serverName: name,
    maxMemoryBytes: options.maxMemoryBytes,
    maxStorageBytes: options.maxStorageBytes,
    preload:
      tenant.accountPublicKey !== undefined && tenant.accountJwt !== undefined
        ? { [tenant.accountPublicKey]: tenant.accountJwt }
        : {},
  });
  const workerLabels = options.workerLabels ?? {
    "app.kubernetes.io/name": "vrsky-worker",
    [TENANT_LABEL]: tenant.id,
  };
  const workerPeer = {
    podSelector: { matchLabels: workerLabels },
    ...(options.workerNamespace === undefined
      ? {}
      : { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": options.workerNamespace } } }),
  };
  const peers =
    options.controlPlaneLabels === undefined
      ? [workerPeer]
      : [workerPeer, { podSelector: { matchLabels: options.controlPlaneLabels } }];

  const objects = [
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { ...metadata, name: `${name}-config` },
      data: { "nats.conf": config },
    },
    {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { ...metadata, name: `${name}-data` },
      spec: {
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: options.storageSize ?? "10Gi" } },
        ...(options.storageClassName === undefined ? {} : { storageClassName: options.storageClassName }),
      },
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata,
      spec: {
        replicas: 1,
        // One pod owns the ReadWriteOnce volume: the old pod must stop before the new one starts.
        strategy: { type: "Recreate" },
        selector: { matchLabels: selector },
        template: {
          metadata: {
            labels,
            // A config change rolls the pod.
            annotations: { "vrsky.io/config-sha256": createHash("sha256").update(config).digest("hex") },
          },
          spec: {
            containers: [
              {
                name: "nats",
                image: options.image ?? "nats:2.9",
                args: ["-c", "/etc/nats/nats.conf"],
                ports: [
                  { name: "client", containerPort: CLIENT_PORT },
                  { name: "monitor", containerPort: MONITOR_PORT },
                ],
                volumeMounts: [
                  { name: "config", mountPath: "/etc/nats", readOnly: true },
                  { name: "data", mountPath: "/data" },
                ],
                readinessProbe: { httpGet: { path: "/healthz", port: MONITOR_PORT } },
                livenessProbe: {
                  httpGet: { path: "/healthz", port: MONITOR_PORT },
                  initialDelaySeconds: 10,
                  periodSeconds: 30,
                },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
                ...(options.resources === undefined ? {} : { resources: options.resources }),
              },
            ],
            volumes: [
              { name: "config", configMap: { name: `${name}-config` } },
              { name: "data", persistentVolumeClaim: { claimName: `${name}-data` } },
            ],
          },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata,
      spec: {
        type: "ClusterIP",
        selector,
        ports: [{ name: "client", port: CLIENT_PORT, targetPort: "client", protocol: "TCP" }],
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata,
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ["Ingress"],
        ingress: [{ from: peers, ports: [{ protocol: "TCP", port: CLIENT_PORT }] }],
      },
    },
  ];
  return objects.map((object) => stringify(object, { lineWidth: 0 })).join("---\n");
}
