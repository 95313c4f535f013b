import { appFromEnv } from "./server.js";

/** For `b24kit worker --app dist/worker.js` (cluster profile): the same app, no web server, no in-process workers. */
export default async function workerApp() {
  return (await appFromEnv({ workers: 0 })).app;
}
