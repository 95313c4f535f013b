import type { AppStore } from "../storage/app-store.js";
import { type Capabilities, parseCapabilities } from "./capabilities.js";
import type { CapabilityReason } from "./capability-words.js";
import {
  type CapabilityCheck,
  type CapabilityExplanation,
  checkMethod,
  explainCapabilities,
} from "./explain.js";
import { type ProbeClient, type ProbeManifest, probeCapabilities } from "./probe.js";

export interface CapabilityServiceOptions {
  /** Wall-clock time (unix ms): records are compared across processes. Default `Date.now`. */
  clock?: { now(): number };
  /** A record older than this is probed again when a refresher is set. Default 6 hours. */
  maxAgeMs?: number;
  /**
   * After a failed automatic probe, a stale record is served this long before
   * the next attempt, so a portal that is down is not probed on every call.
   * Default 1 minute.
   */
  retryAfterFailureMs?: number;
  /**
   * Lets `get`, `can` and `explain` probe a portal on their own when its record
   * is missing or stale (the runtime passes the manifest and its tenant clients).
   */
  refresher?: {
    manifest: ProbeManifest;
    clientFor(memberId: string): ProbeClient | Promise<ProbeClient>;
  };
}

const DEFAULT_MAX_AGE_MS = 6 * 60 * 60 * 1000;
const DEFAULT_RETRY_AFTER_FAILURE_MS = 60 * 1000;

/**
 * Capabilities per tenant, probed on install and on demand and kept in the
 * store (`store.tenant(m).capabilities`), so every process answers `can()` from
 * the same record without calling the portal.
 */
export class CapabilityService {
  readonly #store: AppStore;
  readonly #now: () => number;
  readonly #maxAgeMs: number;
  readonly #refresher: CapabilityServiceOptions["refresher"];
  /** Probes under way in this process, so concurrent stale reads cost one probe. */
  readonly #inflight = new Map<string, Promise<Capabilities>>();
  readonly #retryAfterFailureMs: number;
  /** When this process last failed to probe a tenant automatically (a pause, not tenant state). */
  readonly #failedAt = new Map<string, number>();

  constructor(store: AppStore, options: CapabilityServiceOptions = {}) {
    this.#store = store;
    const clock = options.clock;
    this.#now = clock ? () => clock.now() : () => Date.now();
    this.#maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.#refresher = options.refresher;
    this.#retryAfterFailureMs = options.retryAfterFailureMs ?? DEFAULT_RETRY_AFTER_FAILURE_MS;
  }

  /**
   * The stored record. With a refresher, a missing or stale one is probed
   * first; when that probe fails a stale record is still returned (the
   * failure is thrown only when there is nothing to fall back on).
   */
  async get(memberId: string): Promise<Capabilities | undefined> {
    const stored = await this.#read(memberId);
    const refresher = this.#refresher;
    if (!refresher) return stored;
    const now = this.#now();
    if (stored && now - stored.probedAt < this.#maxAgeMs) return stored;
    const failedAt = this.#failedAt.get(memberId);
    if (stored && failedAt !== undefined && now - failedAt < this.#retryAfterFailureMs) return stored;
    try {
      const fresh = await this.#probeOnce(memberId, async () =>
        probeCapabilities(await refresher.clientFor(memberId), refresher.manifest, {
          clock: { now: this.#now },
        }),
      );
      this.#failedAt.delete(memberId);
      return fresh;
    } catch (error) {
      this.#failedAt.set(memberId, this.#now());
      if (stored) return stored;
      throw error;
    }
  }

  /** Probes the portal now and stores what it found (install, ONAPPUPDATE, an admin's "check again"). */
  refresh(memberId: string, client: ProbeClient, manifest: ProbeManifest): Promise<Capabilities> {
    return this.#probeAndStore(memberId, () =>
      probeCapabilities(client, manifest, { clock: { now: this.#now } }),
    );
  }

  /** Whether the app may call `method` there, with the reason when not. */
  async check(memberId: string, method: string): Promise<CapabilityCheck> {
    return checkMethod(await this.get(memberId), method);
  }

  /** `check(…).ok`: false for a method the portal lacks, and for one the manifest never declared. */
  async can(memberId: string, method: string): Promise<boolean> {
    return (await this.check(memberId, method)).ok;
  }

  /** What the app lacks there, in plain words (`capabilityNotice` renders it). */
  async explain(memberId: string, options: { userIsAdmin?: boolean } = {}): Promise<CapabilityExplanation> {
    return explainCapabilities(await this.get(memberId), options);
  }

  /**
   * Records what a refusal of the portal showed (guardedCall reports them), so
   * later `can()` answers agree with the portal without waiting for the next
   * probe. Rights of one user (`not_admin`) are not a fact about the portal and
   * are not recorded.
   */
  async noteRefusal(
    memberId: string,
    method: string,
    reason: CapabilityReason,
    portalCode: string,
  ): Promise<void> {
    const current = await this.#read(memberId);
    if (!current) return;
    const name = method.trim().toLowerCase();
    const next: Capabilities = structuredClone(current);
    switch (reason) {
      case "module_off":
      case "method_unknown":
      case "scope_missing": {
        const entry = next.methods[name];
        if (!entry) return; // Not a manifest method: nothing to keep it under.
        next.methods[name] = { ...entry, exists: reason === "scope_missing", available: false };
        break;
      }
      case "plan":
        if (portalCode !== "ACCESS_DENIED") return; // WRONG_LICENSE concerns one feature, not all of REST.
        next.portalRefusal = { reason: "plan", code: portalCode };
        break;
      case "payment_expired":
        next.portalRefusal = { reason: "payment_expired", code: portalCode };
        break;
      default:
        return;
    }
    await this.#store.tenant(memberId).capabilities.put({ probedAt: next.probedAt, facts: { ...next } });
  }

  async #read(memberId: string): Promise<Capabilities | undefined> {
    const record = await this.#store.tenant(memberId).capabilities.get();
    return record ? parseCapabilities(record.facts) : undefined;
  }

  async #probeAndStore(memberId: string, probe: () => Promise<Capabilities>): Promise<Capabilities> {
    const capabilities = await probe();
    await this.#store
      .tenant(memberId)
      .capabilities.put({ probedAt: capabilities.probedAt, facts: { ...capabilities } });
    return capabilities;
  }

  #probeOnce(memberId: string, probe: () => Promise<Capabilities>): Promise<Capabilities> {
    const running = this.#inflight.get(memberId);
    if (running) return running;
    const started = this.#probeAndStore(memberId, probe).finally(() => this.#inflight.delete(memberId));
    this.#inflight.set(memberId, started);
    return started;
  }
}
