/** The templates `renderTemplate` can generate: one per connector kind, and an integration. */
export const TemplateKind = {
  /** A consumer connector project (a source). */
  ConnectorConsumer: "connector-consumer",
  /** A producer connector project (a sink). */
  ConnectorProducer: "connector-producer",
  /** A converter connector project. */
  ConnectorConverter: "connector-converter",
  /** A filter connector project. */
  ConnectorFilter: "connector-filter",
  /** An integration project: a spec plus the connectors it uses by path. */
  Integration: "integration",
} as const;
/** One of {@link TemplateKind}. */
export type TemplateKind = (typeof TemplateKind)[keyof typeof TemplateKind];

/** Every template kind, in catalog order. */
export const TEMPLATE_KINDS: readonly TemplateKind[] = Object.freeze(Object.values(TemplateKind));

/**
 * Whether a string names a template.
 * @param value - e.g. a CLI argument
 */
export function isTemplateKind(value: string): value is TemplateKind {
  return (TEMPLATE_KINDS as readonly string[]).includes(value);
}
