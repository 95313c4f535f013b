/**
 * Behaviour that docs/protocol.md marks as unconfirmed (❓) is a setting; the
 * defaults are our best reading of the sources, documented in the README.
 */
export interface EmulatorSettings {
  /** HTTP statuses of OAuth-server errors (§1.5: not documented; PHP SDK expectations). */
  oauthErrorStatus: Record<string, number>;
  /** Seconds a used refresh token stays valid (0 = refused at once, §1.4). */
  refreshTokenGraceSeconds: number;
  /** >50 batch commands: per-command errors (doc text) or one 400 for the request (error table). */
  batchLengthMode: "per-command" | "request";
  /** PORTAL_DELETED status: 500 (docs) or 403 (old core). */
  portalDeletedStatus: number;
  /** Refuse http:// REST calls with 400 INVALID_REQUEST "Https required" (real cloud portals do). */
  requireHttps: boolean;
  /**
   * Strict event delivery (not how a portal behaves, an option for tests): a handler gets
   * `strictEventTimeoutMs` to answer 2xx, and `eventFailuresBeforeUnbind` failures in a row unbind it.
   * Off (the default, as documented in api-reference/events/index.md): a failed delivery is logged,
   * never retried, and the binding stays.
   */
  strictEventDelivery: boolean;
  strictEventTimeoutMs: number;
  eventFailuresBeforeUnbind: number;
  /** How long a delivery may take when not strict (the docs give no figure; a REST call gets 60 s). */
  eventTimeoutMs: number;
  /** `--require-https`: handler URLs must be https and their certificates trusted (by `handlerCaBundle` when set). */
  requireHttpsHandlers: boolean;
  handlerCaBundle?: string;
  /** Event `auth` blocks carry `expires` and `user_id` (❓ §7.5: shown for bot events only). */
  eventAuthExtras: boolean;
  /** `auth[refresh_token]` in events: only where documented (lifecycle, offline), or in every event (❓ §7.5). */
  eventRefreshToken: "documented" | "always";
  /** HTTP status of placement.bind's argument refusals (ERROR_ARGUMENT, ERROR_PLACEMENT_*): 200 in the docs' table. */
  placementBindErrorStatus: number;
  /** Separator of `auth[scope]` in ONAPPINSTALL (❓ §2.4: "separated by spaces" there, commas elsewhere). */
  installScopeSeparator: string;
  /**
   * How long a robot that waits for bizproc.event.send (USE_SUBSCRIPTION not N) may take before
   * it is marked timed out, in seconds of emulator time. The documentation gives no figure (the
   * handler's POST carries `timeout_duration`, whose unit it does not name either): 24 h here.
   */
  robotTimeoutSeconds: number;
}

export function defaultSettings(): EmulatorSettings {
  return {
    oauthErrorStatus: {
      invalid_request: 400,
      invalid_grant: 400,
      unsupported_grant_type: 400,
      invalid_client: 401,
      // The official PHP SDK reads PAYMENT_REQUIRED only from a 200 answer (src/Core/ApiClient.php getNewAuthToken).
      PAYMENT_REQUIRED: 200,
    },
    refreshTokenGraceSeconds: 0,
    batchLengthMode: "per-command",
    portalDeletedStatus: 500,
    requireHttps: false,
    strictEventDelivery: false,
    strictEventTimeoutMs: 5000,
    eventFailuresBeforeUnbind: 3,
    eventTimeoutMs: 30_000,
    requireHttpsHandlers: false,
    eventAuthExtras: true,
    eventRefreshToken: "documented",
    installScopeSeparator: ",",
    placementBindErrorStatus: 200,
    robotTimeoutSeconds: 86_400,
  };
}
