import type { FastifyInstance } from "fastify";
import type { OAuthStats } from "../oauth/token-route.js";
import type { World } from "../state/world.js";
import { registerAppRoutes } from "./app-routes.js";
import { registerAutomationRoutes } from "./automation-routes.js";
import { registerPeopleRoutes } from "./people-routes.js";
import { type PortalHost, registerPortalRoutes } from "./portal-routes.js";
import { registerTestDataRoutes } from "./test-data-routes.js";
import { registerWorldRoutes } from "./world-routes.js";

export { allScopes } from "../state/scopes.js";
export type { PortalHost } from "./portal-routes.js";

/** The emulator's control API (contracts.md), JSON under /_emulator/. */
export function registerControlRoutes(
  app: FastifyInstance,
  world: World,
  host: PortalHost,
  oauthStats: OAuthStats,
): void {
  registerPortalRoutes(app, world, host);
  registerPeopleRoutes(app, world);
  registerTestDataRoutes(app, world);
  registerAppRoutes(app, world);
  registerAutomationRoutes(app, world);
  registerWorldRoutes(app, world, oauthStats);
}
