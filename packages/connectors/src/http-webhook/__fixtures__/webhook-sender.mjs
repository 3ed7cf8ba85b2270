// A webhook sender that behaves like GitHub's: numbered deliveries, sent one at a time, each
// re-sent (same delivery id, same body) until it is answered with a 2xx. It runs in a worker
// thread so its sockets and timers are not counted as the connector's by the leak checks.
import { createHmac } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { workerData } from "node:worker_threads";

const { url, secret } = workerData;
const RETRY_MS = 20;

for (let n = 1; ; n++) {
  const body = JSON.stringify({ delivery: n, action: "opened", number: n });
  const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  for (;;) {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "GitHub-Hookshot/conformance",
          "x-github-event": "pull_request",
          "x-github-delivery": `delivery-${n}`,
          "x-hub-signature-256": signature,
        },
        body,
      });
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      // Not listening (between runs) or the connection was closed: retry like a real sender.
    }
    await delay(RETRY_MS);
  }
}
