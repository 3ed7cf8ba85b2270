/**
 * Scaffolding templates for VRSky connectors and integrations. Every template is itself a
 * buildable, tested project.
 * @packageDocumentation
 */
export type { RenderedTemplate, TemplateVariables } from "./render-template.js";
export { DEFAULT_VRSKY_VERSION, renderTemplate, templatesRoot } from "./render-template.js";
export { TemplateError, TemplateErrorCode } from "./template-error.js";
export { isTemplateKind, TEMPLATE_KINDS, TemplateKind } from "./template-kind.js";
