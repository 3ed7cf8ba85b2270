/**
 * The `http-out` producer: one HTTP request per message.
 * @packageDocumentation
 */
import { httpOut } from "./http-out.js";

export { HttpOutAuth, HttpOutBody, HttpOutConfig } from "./config.js";
export type { HttpOutResources } from "./http-out.js";
export { httpOut };
export default httpOut;
