// The @b24kit/app/node entry point: serving the web-standard app on Node (Fastify).
export type { FetchApp, FetchEnv } from "./node/fetch-app.js";
export { type FetchAppPluginOptions, fetchAppPlugin } from "./node/fetch-app-plugin.js";
export { type RunningServer, type ServeOptions, serve } from "./node/serve.js";
export { toWebRequest } from "./node/web-request.js";
export { sendWebResponse } from "./node/web-response.js";
