import { hex } from "../ids.js";
import { buildPlacementOptions, type PlacementOptionValue } from "../placements/catalogue.js";
import { type AuthPayload, issueAuth } from "../state/app-auth.js";
import type { Installation, Portal } from "../state/portal.js";
import type { World } from "../state/world.js";

/*
 * The portal side of an app frame (docs/protocol.md §2.2, §9.2): each rendered
 * frame gets a fresh APP_SID, a token pair of the UI user, and a session kept
 * here so the frame's messages (getInitData, refreshAuth, setInstallFinish …)
 * can be answered by the server. Sessions live in memory only.
 */

/** Language of the portal's UI (LANG in the frame URL and getInitData). */
export const UI_LANG = "en";

/** At most this many frame sessions are kept; the oldest go first. */
const MAX_SESSIONS = 2000;

export interface FrameSession {
  sid: string;
  memberId: string;
  clientId: string;
  userId: number;
  /** `DEFAULT` for an app's own page and its installer, else the placement code. */
  placement: string;
  /** PLACEMENT_OPTIONS as the handler receives them (strings, `URI` included). */
  options: Record<string, PlacementOptionValue>;
  /** Installer mode: the installation is not finished and this is the installer page. */
  install: boolean;
  /** The URL the frame is opened at (without the portal's query parameters). */
  handler: string;
  /** The page's own host (DOMAIN of the frame name and of getInitData). */
  domain: string;
  protocol: 0 | 1;
  /** The placement binding the frame shows, if any. */
  bindingId?: number;
  /** The frame that opened this one with openApplication. */
  parentSid?: string;
  /** The current token pair (refreshAuth replaces it). */
  auth: AuthPayload;
}

/** What the page needs to open a frame: the iframe's name, the form's action and fields. */
export interface FrameDescriptor {
  sid: string;
  /** `DOMAIN|PROTOCOL|APP_SID`, the iframe's window.name. */
  name: string;
  /** `{handler}?DOMAIN=…&PROTOCOL=…&LANG=…&APP_SID=…`. */
  action: string;
  /** The handler's origin: messages are accepted from it and answered to it only. */
  origin: string;
  /** The §2.2 body (empty for a plain-GET placement). */
  fields: Record<string, string>;
  /** Plain GET without payload (BI_ANALYTICS_MENU). */
  plainGet: boolean;
  placement: string;
  clientId: string;
  title: string;
  install: boolean;
}

export interface OpenFrameInput {
  portal: Portal;
  installation: Installation;
  userId: number;
  placement: string;
  handler: string;
  /** Context options (e.g. `{ID: 5}`); `URI` is added from `uri`. */
  options?: Record<string, unknown>;
  /** Path and query of the page the frame is opened from. */
  uri?: string;
  install?: boolean;
  domain: string;
  bindingId?: number;
  parentSid?: string;
  title?: string;
  plainGet?: boolean;
}

/**
 * Why the portal will not open `url` in a frame: with `--require-https`
 * (settings.requireHttpsHandlers) app and placement pages must be https.
 */
export function frameUrlProblem(world: World, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `The application's URL is not valid: ${url}`;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return `Unsupported URL: ${url}`;
  if (world.settings.requireHttpsHandlers && parsed.protocol !== "https:")
    return `The portal requires https application URLs (--require-https): ${url}`;
  return undefined;
}

export class FrameSessions {
  readonly #sessions = new Map<string, FrameSession>();
  /** `${memberId}|${clientId}|${userId}|${version}` of users who have run the app once (FIRST_RUN). */
  readonly #firstRunDone = new Set<string>();

  constructor(private readonly world: World) {}

  get(sid: string): FrameSession | undefined {
    return this.#sessions.get(sid);
  }

  /** Creates a frame session with a fresh token pair of `userId` and returns what the page renders. */
  open(input: OpenFrameInput): FrameDescriptor {
    const { portal, installation } = input;
    const auth = issueAuth(this.world, portal, installation, input.userId);
    const session: FrameSession = {
      sid: hex(16),
      memberId: portal.memberId,
      clientId: installation.clientId,
      userId: input.userId,
      placement: input.placement,
      options: buildPlacementOptions(input.placement, input.options, input.uri),
      install: input.install ?? false,
      handler: input.handler,
      domain: input.domain,
      protocol: this.world.protocol === "https" ? 1 : 0,
      auth,
      ...(input.bindingId !== undefined ? { bindingId: input.bindingId } : {}),
      ...(input.parentSid !== undefined ? { parentSid: input.parentSid } : {}),
    };
    this.#sessions.set(session.sid, session);
    while (this.#sessions.size > MAX_SESSIONS) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
    return this.describe(session, installation, input.title ?? "", input.plainGet ?? false);
  }

  describe(
    session: FrameSession,
    installation: Installation,
    title: string,
    plainGet: boolean,
  ): FrameDescriptor {
    const query = new URLSearchParams({
      DOMAIN: session.domain,
      PROTOCOL: String(session.protocol),
      LANG: UI_LANG,
      APP_SID: session.sid,
    });
    const url = new URL(session.handler);
    const action = plainGet
      ? session.handler
      : `${session.handler}${url.search ? "&" : "?"}${query.toString()}`;
    const fields: Record<string, string> = plainGet
      ? {}
      : {
          AUTH_ID: session.auth.access_token,
          AUTH_EXPIRES: String(session.auth.expires_in),
          REFRESH_ID: session.auth.refresh_token,
          SERVER_ENDPOINT: this.world.serverEndpoint,
          APPLICATION_TOKEN: installation.applicationToken,
          APPLICATION_SCOPE: installation.scopes.join(","),
          member_id: session.memberId,
          status: installation.status,
          PLACEMENT: session.placement,
          // PHP's json_encode escapes slashes: {"URI":"\/crm\/deal\/details\/5\/"}.
          PLACEMENT_OPTIONS: JSON.stringify(session.options).replace(/\//g, "\\/"),
        };
    return {
      sid: session.sid,
      name: `${session.domain}|${session.protocol}|${session.sid}`,
      action,
      origin: url.origin,
      fields,
      plainGet,
      placement: session.placement,
      clientId: session.clientId,
      title,
      install: session.install,
    };
  }

  /** A new token pair for the frame's user (refreshAuth). */
  refresh(session: FrameSession, portal: Portal, installation: Installation): AuthPayload {
    session.auth = issueAuth(this.world, portal, installation, session.userId);
    return session.auth;
  }

  #firstRunKey(session: FrameSession, installation: Installation): string {
    return `${session.memberId}|${session.clientId}|${session.userId}|${installation.version}`;
  }

  /** FIRST_RUN: the user has not opened this version of the app before (setInstall ends it). */
  isFirstRun(session: FrameSession, installation: Installation): boolean {
    return !this.#firstRunDone.has(this.#firstRunKey(session, installation));
  }

  markRun(session: FrameSession, installation: Installation): void {
    this.#firstRunDone.add(this.#firstRunKey(session, installation));
  }
}
