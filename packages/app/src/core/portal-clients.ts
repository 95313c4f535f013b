import {
  type B24Client,
  type ClientHooks,
  createB24Client,
  type FetchLike,
  frameAuth,
  type OAuthTokens,
  oauthAuth,
  type RefreshLock,
} from "@b24kit/rest";
import type { AppConfig } from "../config/app-config.js";
import type { TenantService } from "../tenants/tenant-service.js";
import type { TenantVault } from "../tenants/tenant-vault.js";

/** Tokens are renewed this long before they expire (they live an hour, docs/protocol.md §1.4). */
const REFRESH_AHEAD_MS = 60_000;

/** Clients kept warm per process; past this many, the least recently used goes (tokens live in the vault). */
const MAX_CLIENTS = 500;

export interface PortalClientDeps {
  config: AppConfig;
  vault: TenantVault;
  tenants: TenantService;
  fetch: FetchLike;
  lock: RefreshLock;
  /** Extra hooks per tenant (the audit log's). */
  hooksFor?: (memberId: string) => ClientHooks;
  /** Told about every successful token refresh of a tenant (the audit log's oauth row). */
  onRefresh?: (memberId: string, tokens: OAuthTokens) => void;
}

/**
 * `forPortal(memberId)`: a REST client acting as the app on one portal. Its
 * tokens come from the vault and are renewed single-flight under the refresh
 * lock; what it learns about the portal (deleted, unpaid, tokens revoked,
 * moved) changes the tenant's state, so no handler has to catch it.
 */
export class PortalClients {
  readonly #clients = new Map<string, B24Client>();

  constructor(private readonly deps: PortalClientDeps) {}

  forPortal(memberId: string): B24Client {
    const warm = this.#clients.get(memberId);
    if (warm) {
      this.#clients.delete(memberId);
      this.#clients.set(memberId, warm);
      return warm;
    }
    const client = this.#create(memberId);
    this.#clients.set(memberId, client);
    while (this.#clients.size > MAX_CLIENTS) {
      const oldest = this.#clients.keys().next().value;
      if (oldest === undefined) break;
      this.#clients.delete(oldest);
    }
    return client;
  }

  /**
   * A client acting as one user with the token their frame brought (AUTH_ID): the portal then applies
   * that user's rights, which the app's own client (the installing admin's tokens) does not. Made per
   * request and not renewed: the frame's token lives as long as the page that carries it.
   */
  forUser(memberId: string, clientEndpoint: string, accessToken: string): B24Client {
    return createB24Client({
      ...(this.deps.hooksFor?.(memberId) ?? {}),
      auth: frameAuth({ clientEndpoint, accessToken, memberId }),
      fetch: this.deps.fetch,
    });
  }

  /** Forget the warm client (after uninstall or a token reset), so the next one reads the vault afresh. */
  drop(memberId: string): void {
    this.#clients.delete(memberId);
  }

  #create(memberId: string): B24Client {
    const { config, vault, tenants } = this.deps;
    const extra = this.deps.hooksFor?.(memberId) ?? {};
    return createB24Client({
      ...extra,
      auth: oauthAuth({
        memberId,
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        store: vault.tokenStore(memberId),
        lock: this.deps.lock,
        fetch: this.deps.fetch,
        onRefresh: (tokens) => this.deps.onRefresh?.(memberId, tokens),
        // Renew a minute ahead: a call then never spends a round trip on expired_token (issue #9).
        refreshAheadMs: REFRESH_AHEAD_MS,
      }),
      fetch: this.deps.fetch,
      onPortalState: (event) => {
        extra.onPortalState?.(event);
        if (event.state === "deleted" || event.state === "app_not_installed") this.drop(memberId);
        void tenants.applyPortalState(memberId, event.state, event.code).catch(() => {});
      },
      onDomainMoved: (event) => {
        extra.onDomainMoved?.(event);
        const endpoint = `${event.to.replace(/\/$/, "")}/rest/`;
        void tenants.moveDomain(memberId, new URL(event.to).host, endpoint).catch(() => {});
      },
    });
  }
}
