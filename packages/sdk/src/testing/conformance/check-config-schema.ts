import { parseConfig } from "../../config.js";
import type { Connector } from "../../connector.js";
import { ConfigError } from "../../errors.js";
import { tryConfigJsonSchema } from "./check-manifest.js";
import { type CheckOutcome, fail, pass } from "./check-outcome.js";
import type { ConformanceOptions } from "./conformance-options.js";
import { describeThrown } from "./describe-thrown.js";

interface Rejection {
  /** How the config is described in a message; never the config itself, which may hold secrets. */
  label: string;
  config: unknown;
  reason: string;
  /** A field the error must name. */
  path?: string;
}

/**
 * Checks that the config schema accepts `options.config` and every example, and rejects, with a
 * `ConfigError` naming the field, `null`, a number, `options.config` minus each required field,
 * and every `options.invalidConfigs` entry.
 * @param connector - the connector under test
 * @param options - the suite's options
 */
export function checkConfigSchema(connector: Connector, options: ConformanceOptions): CheckOutcome {
  const problems: string[] = [];
  const accepts = (label: string, config: unknown): void => {
    try {
      parseConfig(connector.config, config, { where: label });
    } catch (error) {
      problems.push(`${describeThrown(error)}: the schema must accept it`);
    }
  };
  accepts("options.config", options.config);
  for (const example of connector.examples ?? []) accepts(`example "${example.title}"`, example.config);

  const rejections: Rejection[] = [
    { label: "null", config: null, reason: "a config is an object" },
    { label: "the number 42", config: 42, reason: "a config is an object" },
  ];
  const required = tryConfigJsonSchema(connector)?.required;
  const base = options.config;
  if (Array.isArray(required) && typeof base === "object" && base !== null && !Array.isArray(base)) {
    for (const field of required) {
      if (typeof field !== "string" || !(field in base)) continue;
      const { [field]: _removed, ...rest } = base as Record<string, unknown>;
      rejections.push({
        label: `options.config without "${field}"`,
        config: rest,
        reason: `"${field}" is required`,
        path: field,
      });
    }
  }
  for (const [i, invalid] of (options.invalidConfigs ?? []).entries()) {
    rejections.push({
      label: `options.invalidConfigs[${i}]`,
      config: invalid.config,
      reason: invalid.reason,
    });
  }

  for (const rejection of rejections) {
    let error: unknown;
    try {
      parseConfig(connector.config, rejection.config);
    } catch (caught) {
      error = caught;
    }
    if (error === undefined) {
      problems.push(
        `accepted ${rejection.label}, which must be rejected (${rejection.reason}): tighten the schema ` +
          "(required fields, .min(), z.url(), enums) so bad configs fail before the connector starts",
      );
    } else if (!(error instanceof ConfigError)) {
      problems.push(
        `${rejection.label} made the schema throw ${describeThrown(error)} instead of a ConfigError: ` +
          "keep preprocess/transform/refine callbacks safe on any input so zod reports the problem",
      );
    } else if (rejection.path && !error.issues.some((i) => i.path.split(".")[0] === rejection.path)) {
      problems.push(
        `rejected ${rejection.label} but no issue names the field "${rejection.path}" ` +
          `(issues at: ${error.issues.map((i) => i.path || "(root)").join(", ")}): validate the field itself so users see where to fix`,
      );
    }
  }
  return problems.length === 0 ? pass() : fail(...problems);
}
