import { encodePortalForm } from "./portal-form.js";
import {
  appEndpoint,
  clientEndpoint,
  DEFAULT_DOMAIN,
  DEFAULT_SERVER_ENDPOINT,
  formPost,
  type PortalRequestOptions,
  randomHex,
  unixSeconds,
} from "./portal-post.js";
import { FOREIGN_DOMAIN, padBody, type Tamper, tamperFields } from "./tamper.js";

export interface EventRequestOptions extends PortalRequestOptions {
  /** The event's name as the portal writes it (`ONCRMDEALADD`). */
  event: string;
  /** The event's `data` (docs/protocol.md §7.8): `{ FIELDS: { ID: 42 } }` → `data[FIELDS][ID]=42`. */
  data?: Record<string, unknown>;
  /** The installation's `application_token` (default: a random one no installation has). */
  applicationToken?: string;
  /** The user who caused the event (default 1, the portal's first admin). */
  userId?: number;
  /** Unix seconds (default: now, by `clock` if given). */
  ts?: number | string;
  /** Where "now" comes from (a FakeClock from this module), in unix ms. */
  clock?: { now(): number };
  /**
   * Whether `auth` carries the user's tokens (default true): access and refresh
   * token, expiry and user id. Without (automation, ONAPPUNINSTALL) the portal
   * sends only the portal's address, the app's scope and status and the application_token.
   */
  withTokens?: boolean;
  accessToken?: string;
  refreshToken?: string;
  /** Seconds the access token lives (default 3600). */
  expiresIn?: number;
  /** The app's scopes (default `crm`): a list or the portal's comma-separated string. */
  scope?: string | string[];
  /** The app's status letter on the portal (F free, D demo, T trial, P paid, L local, S subscription; default F). */
  status?: string;
  /** `event_handler_id`: the binding's id (default 1); null leaves it out (the install handler URL has no binding). */
  handlerId?: number | null;
  /** Replaces fields of `auth` as written on the wire (`{ member_id: "…" }`); null removes one. */
  auth?: Record<string, unknown>;
  tamper?: Tamper;
}

/**
 * An event POST exactly as the portal sends it to `{appUrl}b24/events`
 * (docs/protocol.md §7.5): `event`, `event_handler_id`, `data[…]`, `ts` and the
 * `auth[…]` block, form-encoded as PHP does (`encodePortalForm`). Pass the
 * real `application_token` of an installation for a request the runtime
 * accepts; without it (or with a `tamper`) it must be refused.
 */
export function eventRequest(options: EventRequestOptions): Request {
  const ts = options.ts ?? unixSeconds(options.clock);
  const expiresIn = options.expiresIn ?? 3600;
  const scope = Array.isArray(options.scope) ? options.scope.join(",") : (options.scope ?? "crm");
  const withTokens = options.withTokens ?? true;
  const tokens = (fields: Record<string, unknown>) => (withTokens ? fields : {});
  // The order of the portal's own POSTs (api-reference/events/index.html).
  const auth: Record<string, unknown> = {
    ...tokens({
      access_token: options.accessToken ?? randomHex(),
      expires: Number(ts) + expiresIn,
      expires_in: expiresIn,
    }),
    scope,
    domain: options.domain ?? DEFAULT_DOMAIN,
    server_endpoint: options.serverEndpoint ?? DEFAULT_SERVER_ENDPOINT,
    status: options.status ?? "F",
    client_endpoint: clientEndpoint(options),
    member_id: options.memberId,
    ...tokens({ user_id: options.userId ?? 1, refresh_token: options.refreshToken ?? randomHex() }),
    application_token: options.applicationToken ?? randomHex(),
  };
  for (const [key, value] of Object.entries(options.auth ?? {})) auth[key] = value;
  tamperFields(options.tamper, {
    holder: auth,
    applicationTokenKey: "application_token",
    foreignDomain() {
      auth.domain = FOREIGN_DOMAIN;
      auth.client_endpoint = `${options.protocol ?? "https"}://${FOREIGN_DOMAIN}/rest/`;
    },
  });
  const handlerId = options.handlerId === undefined ? 1 : options.handlerId;
  const body = encodePortalForm({
    event: options.event,
    event_handler_id: handlerId,
    data: options.data,
    ts,
    auth,
  });
  return formPost(appEndpoint(options.appUrl, options.path ?? "b24/events"), padBody(options.tamper, body));
}
