import type { FastifyInstance } from "fastify";
import type { OAuthStats } from "../oauth/token-route.js";
import type { World } from "../state/world.js";
import { readBody } from "./control-body.js";
import { bad } from "./control-request.js";
import { parseSettingsPatch } from "./settings-input.js";
import { clockBody } from "./world-input.js";

/** Emulator-wide: the clock, the OAuth server's counters and the settings. */
export function registerWorldRoutes(app: FastifyInstance, world: World, oauthStats: OAuthStats): void {
  app.post("/_emulator/clock", async (request, reply) => {
    const b = readBody(clockBody, request.body, reply);
    if (!b) return reply;
    if (b.freeze === true) world.clock.freeze();
    if (b.freeze === false) world.clock.unfreeze();
    if (b.advanceSeconds !== undefined) world.clock.advance(b.advanceSeconds);
    return {
      now: world.clock.nowMs() / 1000,
      offsetSeconds: world.clock.snapshot().offsetMs / 1000,
      frozen: world.clock.frozen,
    };
  });

  app.get("/_emulator/oauth/stats", async () => oauthStats);

  app.get("/_emulator/settings", async () => world.settings);
  app.patch("/_emulator/settings", async (request, reply) => {
    const patch = parseSettingsPatch(request.body);
    if (typeof patch === "string") return bad(reply, 400, patch);
    world.settings = { ...world.settings, ...patch };
    return world.settings;
  });
}
