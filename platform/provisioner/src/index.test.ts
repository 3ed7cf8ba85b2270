import { describe, expectTypeOf, it } from "vitest";
import {
  type DeprovisionResult,
  type LocalDedicatedServers,
  type OperatorNats,
  type ProvisionedTenant,
  Provisioner,
  type ProvisionerErrorCode,
  type TenantInfo,
  type TenantPlan,
  type TenantPlanInput,
  type TenantSpecInput,
} from "./index.js";

describe("public types", () => {
  it("provision takes a tenant whose defaulted plan fields may be left out", () => {
    expectTypeOf(Provisioner.prototype.provision).parameter(0).toEqualTypeOf<TenantSpecInput>();
    expectTypeOf<{
      maxStreams: 1;
      maxConsumers: 1;
      maxMemoryBytes: 1;
      maxStorageBytes: 1;
      maxConnections: 1;
    }>().toExtend<TenantPlanInput>();
    expectTypeOf<TenantPlan["maxSubscriptions"]>().toEqualTypeOf<number>();
    expectTypeOf(Provisioner.prototype.provision).returns.resolves.toEqualTypeOf<ProvisionedTenant>();
    expectTypeOf(Provisioner.prototype.deprovision).returns.resolves.toEqualTypeOf<DeprovisionResult>();
  });

  it("never exposes the signing seed through tenant()", () => {
    expectTypeOf<TenantInfo>().not.toHaveProperty("signingKeySeed");
    expectTypeOf<TenantInfo["placement"]>().toEqualTypeOf<"shared" | "dedicated">();
  });

  it("errors carry a closed code union", () => {
    expectTypeOf<"TENANT_NOT_FOUND">().toExtend<ProvisionerErrorCode>();
    expectTypeOf<"TEAPOT">().not.toExtend<ProvisionerErrorCode>();
  });

  it("an operator-mode server and dedicated servers are endpoints the provisioner accepts", () => {
    expectTypeOf<OperatorNats>().toExtend<ConstructorParameters<typeof Provisioner>[0]["shared"]>();
    expectTypeOf<LocalDedicatedServers>().toExtend<
      NonNullable<ConstructorParameters<typeof Provisioner>[0]["dedicated"]>
    >();
  });
});
