export { createDealInsights, type DealInsightsOptions } from "./app.js";
export { MANIFEST } from "./manifest.js";
export { type DealScore, type ScoreInput, scoreDeal } from "./score.js";
export { startServer } from "./server.js";
