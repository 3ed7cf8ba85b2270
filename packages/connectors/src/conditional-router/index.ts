/**
 * The `conditional-router` filter: route JSON messages by JSONata conditions.
 * @packageDocumentation
 */
import { conditionalRouter } from "./conditional-router.js";

export { ConditionalRouterConfig, Route, routeNames } from "./config.js";
export { conditionalRouter };
export default conditionalRouter;
