import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { findNatsServer } from "@vrsky/services";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { z } from "zod";
import { kubernetesManifests } from "./kubernetes-manifests.js";
import { createOperator, type OperatorKeys } from "./operator-keys.js";

const Labels = z.record(z.string(), z.string());
const Manifest = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.object({ name: z.string(), namespace: z.string(), labels: Labels }),
});
const ConfigMap = z.object({ data: z.object({ "nats.conf": z.string() }) });
const Deployment = z.object({
  spec: z.object({
    selector: z.object({ matchLabels: Labels }),
    template: z.object({
      metadata: z.object({ labels: Labels }),
      spec: z.object({
        containers: z.array(
          z.looseObject({
            image: z.string(),
            args: z.array(z.string()),
            volumeMounts: z.array(z.object({ name: z.string(), mountPath: z.string() }).loose()),
          }),
        ),
        volumes: z.array(z.looseObject({ name: z.string() })),
      }),
    }),
  }),
});
const Service = z.object({
  spec: z.object({ selector: Labels, ports: z.array(z.looseObject({ port: z.number() })) }),
});
const NetworkPolicy = z.object({
  spec: z.object({
    podSelector: z.object({ matchLabels: Labels }),
    policyTypes: z.array(z.string()),
    ingress: z.array(
      z.object({
        from: z.array(z.looseObject({ podSelector: z.object({ matchLabels: Labels }) })),
        ports: z.array(z.object({ protocol: z.string(), port: z.number() })),
      }),
    ),
  }),
});

let operator: OperatorKeys;
beforeAll(async () => {
  operator = await createOperator();
});

function render(options: Partial<Parameters<typeof kubernetesManifests>[1]> = {}) {
  const text = kubernetesManifests(
    { id: "acme", accountPublicKey: "AACCOUNTPUBLICKEY", accountJwt: "account.jwt.text" },
    { operator, namespace: "tenants", ...options },
  );
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw new Error("no YAML documents rendered");
  for (const doc of docs) expect(doc.errors).toEqual([]);
  const objects = docs.map((doc): unknown => doc.toJS());
  const byKind = (kind: string): unknown => {
    const found = objects.filter((object) => Manifest.parse(object).kind === kind);
    expect(found).toHaveLength(1);
    return found[0];
  };
  return { text, objects, byKind };
}

describe("kubernetesManifests", () => {
  it("renders a ConfigMap, volume claim, Deployment, Service and NetworkPolicy named after the tenant", () => {
    const { objects } = render();
    const manifests = objects.map((object) => Manifest.parse(object));
    expect(manifests.map(({ kind, metadata }) => `${kind}/${metadata.name}`)).toEqual([
      "ConfigMap/nats-acme-config",
      "PersistentVolumeClaim/nats-acme-data",
      "Deployment/nats-acme",
      "Service/nats-acme",
      "NetworkPolicy/nats-acme",
    ]);
    for (const { metadata } of manifests) {
      expect(metadata.namespace).toBe("tenants");
      expect(metadata.labels).toMatchObject({
        "vrsky.io/tenant": "acme",
        "app.kubernetes.io/part-of": "vrsky",
      });
    }
  });

  it("runs the nats:2.9 image with the ConfigMap's config and JetStream on the volume", () => {
    const { byKind } = render();
    const deployment = Deployment.parse(byKind("Deployment"));
    const [container] = deployment.spec.template.spec.containers;
    expect(container?.image).toBe("nats:2.9");
    expect(container?.args).toEqual(["-c", "/etc/nats/nats.conf"]);
    expect(container?.volumeMounts.map((mount) => mount.mountPath)).toEqual(["/etc/nats", "/data"]);
    expect(deployment.spec.template.spec.volumes).toEqual([
      { name: "config", configMap: { name: "nats-acme-config" } },
      { name: "data", persistentVolumeClaim: { claimName: "nats-acme-data" } },
    ]);
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);

    const config = ConfigMap.parse(byKind("ConfigMap")).data["nats.conf"];
    expect(config).toContain(`operator: "${operator.operatorJwt}"`);
    expect(config).toContain('store_dir: "/data/jetstream"');
    expect(config).toContain('dir: "/data/jwt"');
    expect(config).toContain('"AACCOUNTPUBLICKEY": "account.jwt.text"');
  });

  it("points the Service at the server pods", () => {
    const { byKind } = render();
    const deployment = Deployment.parse(byKind("Deployment"));
    const service = Service.parse(byKind("Service"));
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.ports.map((port) => port.port)).toEqual([4222]);
  });

  it("admits only the tenant's worker pods to the client port", () => {
    const { byKind } = render();
    const deployment = Deployment.parse(byKind("Deployment"));
    const policy = NetworkPolicy.parse(byKind("NetworkPolicy"));
    expect(policy.spec.podSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(policy.spec.policyTypes).toEqual(["Ingress"]);
    expect(policy.spec.ingress).toEqual([
      {
        from: [
          {
            podSelector: {
              matchLabels: { "app.kubernetes.io/name": "vrsky-worker", "vrsky.io/tenant": "acme" },
            },
          },
        ],
        ports: [{ protocol: "TCP", port: 4222 }],
      },
    ]);
  });

  it("also admits control-plane pods and workers of another namespace when asked", () => {
    const { byKind } = render({
      workerNamespace: "acme-workers",
      controlPlaneLabels: { "app.kubernetes.io/name": "vrsky-provisioner" },
    });
    const policy = NetworkPolicy.parse(byKind("NetworkPolicy"));
    expect(policy.spec.ingress[0]?.from).toEqual([
      {
        podSelector: { matchLabels: { "app.kubernetes.io/name": "vrsky-worker", "vrsky.io/tenant": "acme" } },
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "acme-workers" } },
      },
      { podSelector: { matchLabels: { "app.kubernetes.io/name": "vrsky-provisioner" } } },
    ]);
  });

  it("renders no seed or creds", () => {
    const { text } = render();
    expect(text).not.toMatch(/(?<![A-Z2-7])S[OAU][A-Z2-7]{50,}/);
    expect(text).not.toContain("NKEY SEED");
  });

  it("renders a config nats-server 2.9 accepts", async () => {
    const binary = await findNatsServer(undefined);
    if (binary === undefined) throw new Error("nats-server not found; install it to run this test");
    const dir = await mkdtemp(join(tmpdir(), "vrsky-k8s-config-"));
    try {
      const { byKind } = render();
      const config = ConfigMap.parse(byKind("ConfigMap"))
        .data["nats.conf"].replaceAll("/data/", `${dir}/`)
        // Keep the account preload well-formed: the test used a fake key above.
        .replace(/^ {2}"AACCOUNTPUBLICKEY".*$/m, "");
      await writeFile(join(dir, "nats.conf"), config);
      await expect(promisify(execFile)(binary, ["-t", "-c", join(dir, "nats.conf")])).resolves.toBeDefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
