import { forgetAppRobots } from "../automation/robot-records.js";
import { forgetAppBots } from "../bots/chat-actions.js";
import { hex } from "../ids.js";
import { type AuthPayload, eventAuth, issueAuth } from "../state/app-auth.js";
import type { DeliveryRecord } from "../state/delivery-log.js";
import type { EventBinding } from "../state/event-binding.js";
import { createInstallation, InstallError } from "../state/installer.js";
import type { Installation, Portal } from "../state/portal.js";
import type { World } from "../state/world.js";

/**
 * The app lifecycle events of docs/protocol.md §2.4–2.6: ONAPPINSTALL when an
 * installation completes (the headless install POST to the app's install
 * handler, and every ONAPPINSTALL binding the installer made), ONAPPUPDATE
 * with a new application_token, ONAPPUNINSTALL with a token-less `auth`.
 * Each function changes the state at once and returns the deliveries in
 * flight, for callers that want to wait.
 */

/** The portal's language, as LANGUAGE_ID in lifecycle events. */
export const PORTAL_LANGUAGE = "en";

function boundTo(installation: Installation, event: string): EventBinding[] {
  return installation.events.filter((b) => b.event === event && b.eventType === "online");
}

/**
 * ONAPPINSTALL for an installation that has just completed: to the app's
 * install handler (headless apps, or the version card's "installation event
 * handler URL") and to every ONAPPINSTALL binding. Nothing while the
 * installation is not finished. `auth`, when given, is the token pair the
 * install handed out; otherwise the installing user gets a fresh pair.
 */
/**
 * Installs an app as the portal's admin would. Apps with an installer page
 * stay not installed until it calls installFinish (§2.1); the others are
 * installed at once and their install handler gets ONAPPINSTALL now (§2.4)
 * with exactly the tokens the install hands out.
 */
export function installApp(
  world: World,
  portal: Portal,
  clientId: string,
  userId = 1,
): { installation: Installation; auth: AuthPayload } {
  const installation = createInstallation(world, portal, clientId, userId);
  const auth = issueAuth(world, portal, installation, userId);
  announceInstall(world, portal, installation, auth);
  return { installation, auth };
}

export function announceInstall(
  world: World,
  portal: Portal,
  installation: Installation,
  auth?: AuthPayload,
): Array<Promise<DeliveryRecord>> {
  if (!installation.installed) return [];
  const data = {
    VERSION: String(installation.version),
    ACTIVE: "Y",
    INSTALLED: "Y",
    LANGUAGE_ID: PORTAL_LANGUAGE,
  };
  const sent: Array<Promise<DeliveryRecord>> = [];
  const bindings = boundTo(installation, "ONAPPINSTALL");
  const installHandler = world.apps.get(installation.clientId)?.installHandlerUrl;
  if (installHandler && !bindings.some((b) => b.handler === installHandler)) {
    sent.push(
      world.events.post({
        portal,
        installation,
        handler: installHandler,
        event: "ONAPPINSTALL",
        data,
        authUserId: installation.installedByUserId,
        includeRefreshToken: true,
        ...(auth
          ? {
              auth: eventAuth(auth, {
                refreshToken: true,
                extras: world.settings.eventAuthExtras,
                scopeSeparator: world.settings.installScopeSeparator,
              }),
            }
          : {}),
      }),
    );
  }
  for (const binding of bindings) {
    sent.push(
      world.events.post({
        portal,
        installation,
        binding,
        handler: binding.handler,
        event: "ONAPPINSTALL",
        data,
        authUserId: binding.authType > 0 ? binding.authType : installation.installedByUserId,
        includeRefreshToken: true,
      }),
    );
  }
  return sent;
}

/**
 * What `BX24.installFinish()` does (§2.3): marks the installation finished and
 * sends ONAPPINSTALL; from then on bound events are delivered. Calling it for
 * a finished installation changes nothing and sends nothing.
 */
export function finishInstall(world: World, portal: Portal, clientId: string): Installation {
  const installation = portal.installations.get(clientId);
  if (!installation)
    throw new InstallError(`The app ${clientId} is not installed on portal ${portal.memberId}`);
  if (installation.installed) return installation;
  installation.installed = true;
  announceInstall(world, portal, installation);
  return installation;
}

export interface UpdateOptions {
  /** The new version; default: the installed one + 1. */
  version?: number;
  /** The admin who runs the update (whose tokens go with ONAPPUPDATE); default: the installing user. */
  userId?: number;
}

/**
 * An app update (§2.5): the installation moves to the new version with a new
 * application_token, every event and placement binding is removed, and the
 * handlers that were bound to ONAPPUPDATE get it (with tokens and the new
 * token) — the last delivery they receive before the new version re-binds.
 */
export function updateApp(
  world: World,
  portal: Portal,
  clientId: string,
  options: UpdateOptions = {},
): { installation: Installation; deliveries: Array<Promise<DeliveryRecord>> } {
  const installation = portal.installations.get(clientId);
  if (!installation)
    throw new InstallError(`The app ${clientId} is not installed on portal ${portal.memberId}`);
  const previous = installation.version;
  const version = options.version ?? previous + 1;
  const app = world.apps.get(clientId);
  if (app && app.version < version) app.version = version;
  const notify = boundTo(installation, "ONAPPUPDATE");
  installation.version = version;
  installation.applicationToken = hex(16);
  installation.events.splice(0);
  installation.placements.splice(0);
  forgetAppRobots(portal, clientId);
  const userId = options.userId ?? installation.installedByUserId;
  const deliveries = installation.installed
    ? notify.map((binding) =>
        world.events.post({
          portal,
          installation,
          binding,
          handler: binding.handler,
          event: "ONAPPUPDATE",
          data: {
            VERSION: String(version),
            PREVIOUS_VERSION: String(previous),
            LANGUAGE_ID: PORTAL_LANGUAGE,
          },
          authUserId: binding.authType > 0 ? binding.authType : userId,
          includeRefreshToken: true,
        }),
      )
    : [];
  return { installation, deliveries };
}

/**
 * An uninstall (§2.6): API access is revoked and the event, placement and
 * offline-queue state of the app goes; handlers bound to ONAPPUNINSTALL get
 * it with `CLEAN` and an `auth` block without tokens. App and user options
 * survive for market apps unless `clean`; local apps lose them always.
 */
export function uninstallApp(
  world: World,
  portal: Portal,
  clientId: string,
  clean: boolean,
): { deliveries: Array<Promise<DeliveryRecord>> } {
  const installation = portal.installations.get(clientId);
  if (!installation)
    throw new InstallError(`The app ${clientId} is not installed on portal ${portal.memberId}`);
  const notify = installation.installed ? boundTo(installation, "ONAPPUNINSTALL") : [];
  const auth = {
    domain: portal.domain,
    server_endpoint: world.serverEndpoint,
    client_endpoint: world.clientEndpoint(portal),
    member_id: portal.memberId,
    application_token: installation.applicationToken,
  };
  world.grants.revoke(portal.memberId, clientId);
  // The portal removes an app's bots with it; their events would have nowhere to go.
  forgetAppBots(portal, clientId);
  forgetAppRobots(portal, clientId);
  portal.installations.delete(clientId);
  installation.events.splice(0);
  installation.placements.splice(0);
  world.offlineEvents.dropApp(portal.memberId, clientId);
  if (clean || clientId.startsWith("local.")) {
    portal.appOptions.delete(clientId);
    for (const key of [...portal.userOptions.keys()])
      if (key.startsWith(`${clientId}|`)) portal.userOptions.delete(key);
  }
  const deliveries = notify.map((binding) =>
    world.events.post({
      portal,
      installation,
      binding,
      handler: binding.handler,
      event: "ONAPPUNINSTALL",
      data: { LANGUAGE_ID: PORTAL_LANGUAGE, CLEAN: clean ? "1" : "0" },
      authUserId: null,
      auth,
    }),
  );
  return { deliveries };
}
