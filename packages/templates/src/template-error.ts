/** Why a template could not be rendered. All are the caller's to fix. */
export const TemplateErrorCode = {
  /** The project name is not kebab-case. */
  InvalidName: "INVALID_NAME",
  /** The target directory exists and is not empty. */
  TargetNotEmpty: "TARGET_NOT_EMPTY",
  /** A template file uses a placeholder no variable fills (a bug in the template). */
  UnknownPlaceholder: "UNKNOWN_PLACEHOLDER",
} as const;
/** One of {@link TemplateErrorCode}. */
export type TemplateErrorCode = (typeof TemplateErrorCode)[keyof typeof TemplateErrorCode];

/** A template could not be rendered; the message says what to change. */
export class TemplateError extends Error {
  /** Machine-readable reason. */
  readonly code: TemplateErrorCode;

  /**
   * @param code - one of {@link TemplateErrorCode}
   * @param message - what failed and how to fix it
   * @param options - `{ cause }`
   */
  constructor(code: TemplateErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TemplateError";
    this.code = code;
  }
}
