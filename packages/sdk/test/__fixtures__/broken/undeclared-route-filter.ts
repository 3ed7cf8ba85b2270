import { defineFilter, z } from "@vrsky/sdk";

/** Broken on purpose: returns "urgent", which is not among its declared routes. */
export default defineFilter({
  name: "priority-router",
  version: "1.0.0",
  description: "Routes messages by their priority header (returns an undeclared route on purpose).",
  config: z.object({}),
  routes: ["normal", "low"],
  examples: [{ title: "Default", config: {} }],
  filter(msg) {
    const priority = msg.headers["x-priority"];
    return priority === "high" ? "urgent" : priority === "low" ? "low" : "normal";
  },
});
