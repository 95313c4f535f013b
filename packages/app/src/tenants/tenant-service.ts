import type { OAuthTokens, PortalState } from "@b24kit/rest";
import type { AppStore } from "../storage/app-store.js";
import type { TenantRecord } from "../storage/records.js";
import { nextState, type TenantState, type TenantTransition } from "./tenant-state.js";
import type { TenantVault } from "./tenant-vault.js";

export interface InstallInput {
  memberId: string;
  domain: string;
  clientEndpoint: string;
  serverEndpoint: string;
  scopes: string[];
  appStatus?: string;
  tokens: OAuthTokens;
  applicationToken?: string;
}

const SAVE_ATTEMPTS = 5;

/**
 * The tenant's life: install, finish, update, uninstall, domain moves and the
 * portal states the REST client reports. Every change goes through the state
 * machine (tenants/tenant-state.ts) with a guarded write, so two processes
 * handling the same portal cannot undo each other's transition.
 */
export class TenantService {
  constructor(
    private readonly store: AppStore,
    private readonly vault: TenantVault,
    private readonly now: () => number,
  ) {}

  get(memberId: string): Promise<TenantRecord | undefined> {
    return this.store.tenant(memberId).get();
  }

  /** A (re-)install starts: the record, the installing user's tokens and the application_token. */
  async beginInstall(input: InstallInput): Promise<TenantRecord> {
    const tenant = this.store.tenant(input.memberId);
    const now = this.now();
    const record = await tenant.put({
      domain: input.domain,
      clientEndpoint: input.clientEndpoint,
      serverEndpoint: input.serverEndpoint,
      state: "installing",
      scopes: input.scopes,
      ...(input.appStatus ? { appStatus: input.appStatus } : {}),
      installedAt: now,
      updatedAt: now,
    });
    await this.saveTokens(input.memberId, input.tokens);
    if (input.applicationToken) await this.vault.setApplicationToken(input.memberId, input.applicationToken);
    return record;
  }

  /** Stores tokens whatever version is there (they were just issued: the older pair is spent or older). */
  async saveTokens(memberId: string, tokens: OAuthTokens): Promise<void> {
    const store = this.vault.tokenStore(memberId);
    for (let i = 0; i < SAVE_ATTEMPTS; i++) {
      const current = await store.load();
      if (await store.save(tokens, current?.version ?? 0)) return;
    }
    throw new Error(`Could not store tokens for portal ${memberId}: the vault kept changing`);
  }

  /** Applies a transition if the state machine allows it from the stored state; resolves the record either way. */
  async transition(
    memberId: string,
    transition: TenantTransition,
    patch: Partial<Omit<TenantRecord, "memberId" | "installedAt" | "state">> = {},
  ): Promise<TenantRecord | undefined> {
    const tenant = this.store.tenant(memberId);
    for (let i = 0; i < SAVE_ATTEMPTS; i++) {
      const current = await tenant.get();
      if (!current) return undefined;
      const to = nextState(current.state, transition);
      if (!to) return current;
      const updated = await tenant.update({ ...patch, state: to, updatedAt: this.now() }, [current.state]);
      if (updated) return updated;
    }
    return tenant.get();
  }

  /** ONAPPUPDATE: a new application_token; bindings are gone on the portal, so the manifest must be applied again. */
  async recordUpdate(
    memberId: string,
    applicationToken: string | undefined,
  ): Promise<TenantRecord | undefined> {
    if (applicationToken) await this.vault.setApplicationToken(memberId, applicationToken);
    const tenant = this.store.tenant(memberId);
    return tenant.update({ manifestVersion: "", updatedAt: this.now() });
  }

  /** ONAPPUNINSTALL (or a deleted portal): tokens go at once; with `clean`, every row of the tenant. */
  async uninstall(memberId: string, clean: boolean, reason: string): Promise<void> {
    await this.vault.forget(memberId);
    if (clean) {
      await this.store.tenant(memberId).purge();
      return;
    }
    await this.transition(memberId, "uninstall", { stateReason: reason });
  }

  /** The portal's address changed (same member_id): later calls go to the new one. */
  async moveDomain(
    memberId: string,
    domain: string,
    clientEndpoint: string,
  ): Promise<TenantRecord | undefined> {
    return this.store.tenant(memberId).update({ domain, clientEndpoint, updatedAt: this.now() });
  }

  /** What the REST client found about the portal, as tenant state (no handler has to catch anything). */
  async applyPortalState(memberId: string, state: PortalState, code: string): Promise<void> {
    const reason = `${state} (${code})`;
    switch (state) {
      case "deleted":
      case "app_not_installed":
        await this.uninstall(memberId, false, reason);
        return;
      case "payment_required":
        await this.transition(memberId, "payment_due", { stateReason: reason });
        return;
      case "tokens_revoked":
        await this.transition(memberId, "block", { stateReason: reason });
        return;
      default:
        return;
    }
  }

  /** A tenant the portal reports as paid again, or re-authorised after a block. */
  async reactivate(memberId: string, from: TenantState): Promise<void> {
    await this.transition(memberId, from === "blocked" ? "reauthorize" : "paid", { stateReason: "" });
  }
}
