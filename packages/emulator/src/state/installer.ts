import { hex } from "../ids.js";
import type { Installation, Portal } from "./portal.js";
import type { World } from "./world.js";

export class InstallError extends Error {}

/**
 * The installation record of an app installed as the portal's admin would (events/app-lifecycle.ts
 * installApp announces it). Apps with an installer page stay not installed until installFinish (§2.1).
 */
export function createInstallation(world: World, portal: Portal, clientId: string, userId = 1): Installation {
  const app = world.apps.get(clientId);
  if (!app) throw new InstallError(`No app with client id ${clientId}; register it with POST apps first`);
  const user = portal.users.get(userId);
  if (!user) throw new InstallError(`Portal ${portal.memberId} has no user ${userId}`);
  if (!user.ADMIN) throw new InstallError(`User ${userId} is not an administrator; only admins install apps`);
  if (clientId.startsWith("local.")) {
    // Local apps are created on a portal and their credentials are valid only there (§1.1).
    if (app.localTo && app.localTo !== portal.memberId) {
      throw new InstallError(
        `${clientId} is a local app of portal ${app.localTo}; register it again (POST apps) for portal ${portal.memberId}, or register a market app ({"local": false})`,
      );
    }
    app.localTo = portal.memberId;
  }
  world.grants.revoke(portal.memberId, clientId);
  const installation: Installation = {
    clientId,
    installed: !app.installUrl,
    applicationToken: hex(16),
    scopes: [...app.scopes],
    version: app.version,
    status: clientId.startsWith("local.") ? "L" : "F",
    installedByUserId: userId,
    events: [],
    placements: [],
  };
  portal.installations.set(clientId, installation);
  return installation;
}

export function describeInstallation(installation: Installation | undefined): Record<string, unknown> {
  if (!installation)
    return { installed: false, applicationToken: null, scopes: [], events: [], placements: [], options: {} };
  return {
    installed: installation.installed,
    applicationToken: installation.applicationToken,
    scopes: installation.scopes,
    version: installation.version,
    status: installation.status,
    events: installation.events,
    placements: installation.placements,
  };
}
