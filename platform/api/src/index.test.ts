import type { FastifyInstance } from "fastify";
import { describe, expectTypeOf, it } from "vitest";
import {
  type ApiKey,
  type BundleStore,
  type ConnectorDetail,
  type CreateApiOptions,
  createApi,
  type ProblemCode,
  type ProblemDocument,
  type Scope,
} from "./index.js";

describe("public types", () => {
  it("createApi takes the documented options and resolves to a fastify instance", () => {
    expectTypeOf(createApi).parameter(0).toEqualTypeOf<CreateApiOptions>();
    expectTypeOf(createApi).returns.resolves.toEqualTypeOf<FastifyInstance>();
    expectTypeOf<CreateApiOptions["bundles"]>().toEqualTypeOf<BundleStore>();
  });

  it("problem documents carry a closed code union", () => {
    expectTypeOf<ProblemDocument["code"]>().toEqualTypeOf<ProblemCode>();
    expectTypeOf<"VERSION_EXISTS">().toExtend<ProblemCode>();
    expectTypeOf<"TEAPOT">().not.toExtend<ProblemCode>();
  });

  it("listed keys expose scopes but no secret", () => {
    expectTypeOf<ApiKey["scopes"]>().toEqualTypeOf<Scope[]>();
    expectTypeOf<ApiKey>().not.toHaveProperty("secret");
    expectTypeOf<ConnectorDetail["latest"]>().toEqualTypeOf<string | null>();
  });
});
