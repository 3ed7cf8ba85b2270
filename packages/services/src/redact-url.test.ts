import { describe, expect, it } from "vitest";
import { redactUrl } from "./redact-url.js";

describe("redactUrl", () => {
  it("masks the password and keeps the user name", () => {
    expect(redactUrl("postgres://app:s3cret@db:5432/app")).toBe("postgres://app:***@db:5432/app");
  });

  it("masks a user name without password, since NATS carries tokens there", () => {
    expect(redactUrl("nats://s3cr3t-token@nats:4222")).toBe("nats://***@nats:4222");
  });

  it("masks secret query parameters and keeps the others", () => {
    const redacted = redactUrl("postgres://db/app?sslpassword=hunter2&application_name=vrsky");
    expect(redacted).toBe("postgres://db/app?sslpassword=***&application_name=vrsky");
  });

  it("returns a URL without secrets unchanged", () => {
    expect(redactUrl("http://127.0.0.1:9000")).toBe("http://127.0.0.1:9000");
  });

  it("masks every entry of a comma-separated server list and text that is not a URL", () => {
    expect(redactUrl("nats://a:pw1@h1:4222,nats://tok@h2:4222")).toBe(
      "nats://a:***@h1:4222,nats://***@h2:4222",
    );
    expect(redactUrl("connect to postgres://u:pw@h failed")).toBe("connect to postgres://u:***@h failed");
  });
});
