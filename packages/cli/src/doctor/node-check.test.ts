import { describe, expect, it } from "vitest";
import { checkNodeVersion } from "./node-check.js";

describe("checkNodeVersion", () => {
  it("accepts the minimum version and newer majors", () => {
    expect(checkNodeVersion("v20.11.0").status).toBe("ok");
    expect(checkNodeVersion("v22.1.0").status).toBe("ok");
  });

  it("fails an older release with a fix that names the minimum", () => {
    const check = checkNodeVersion("v20.10.9");
    expect(check.status).toBe("fail");
    expect(check.fix).toContain("20.11.0");
  });
});
