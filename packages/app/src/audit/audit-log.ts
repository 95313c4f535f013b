import { redactSecrets, scrubText } from "../logging/secret-redaction.js";
import type { AppStore } from "../storage/app-store.js";
import type { AuditEntry, AuditKind } from "../storage/records.js";
import { boundDetail } from "./bounded-detail.js";
import { isSaneCorrelationId, newCorrelationId } from "./correlation-id.js";

/** What a caller records; the log adds time, correlation id and tenant, and redacts. */
export interface AuditRecord {
  kind: AuditKind;
  /** `crm.deal.list`, `POST /b24/install`, `refresh_token`, … (scrubbed, at most 200 characters). */
  action: string;
  outcome: AuditEntry["outcome"];
  /** Unix ms; now by the log's clock unless given. */
  at?: number;
  /** A new id unless given (or when the given one is not sane: see `isSaneCorrelationId`). */
  correlationId?: string | undefined;
  durationMs?: number | undefined;
  /** Anything useful; redacted and cut to size before it is written. */
  detail?: Record<string, unknown> | undefined;
}

/** Where the audit log reports on itself (a pino logger fits). */
export interface AuditLogLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface AuditLogOptions {
  /** Wall-clock unix ms (`Date` unless given; a FakeClock started at a date fits). */
  clock?: { now(): number };
  /** Gets one line per entry (debug when ok, info on error, warn when rejected) and every dropped write. */
  logger?: AuditLogLogger;
  /** Writes in flight above this are dropped rather than queued without bound (default 1,000). */
  maxPending?: number;
  /** Told about every entry that was not stored (for a metrics counter). */
  onDrop?: (reason: AuditDropReason, entry: { kind: AuditKind; action: string }) => void;
}

export type AuditDropReason = "write_failed" | "backlog_full" | "bad_member_id" | "no_tenant";

export interface AuditLogStats {
  written: number;
  /** The store refused or failed the write. */
  failed: number;
  /** Never sent to the store: backlog full, no or malformed member id. */
  dropped: number;
  pending: number;
}

/** member_id is 32 hex characters; a webhook-keyed tenant is a host (`acme.bitrix24.com`, `127.0.0.1:8481`). */
const MEMBER_ID = /^[\w.:-]{1,128}$/;
const ACTION_CHARS = 200;

/**
 * The tenant's audit trail: every REST call, inbound request and OAuth
 * exchange, redacted before it is written (`redactSecrets`: tokens,
 * application_token, client_secret, AUTH_ID/REFRESH_ID/APPLICATION_TOKEN,
 * webhook codes in URLs, OAuth codes, api keys, session material).
 *
 * `record` never throws and never rejects. The audit log observes the work; it
 * must not become a way for the work to fail. If a failed write propagated,
 * a full disk or a database blip would fail every REST call, install and
 * event delivery of every tenant (and Bitrix24 penalises apps whose event
 * handlers fail), to protect a record of that very work. So a failed write is
 * logged (kind and action only, never the detail), counted in `stats()`,
 * reported to `onDrop` for alerting, and dropped. The same holds for a backlog
 * above `maxPending`: memory stays bounded when the database is slow.
 */
/** The group commit: at most this long a line waits for company, at most this many share a transaction. */
const BATCH_DELAY_MS = 10;
const BATCH_MAX = 200;

export class AuditLog {
  readonly #store: AppStore;
  readonly #clock: { now(): number };
  readonly #logger: AuditLogLogger | undefined;
  readonly #maxPending: number;
  readonly #onDrop: AuditLogOptions["onDrop"];
  readonly #pending = new Set<Promise<void>>();
  readonly #stats = { written: 0, failed: 0, dropped: 0 };
  /** Lines waiting for the next group commit, with their callers' resolvers. */
  #batch: Array<{ entry: AuditEntry; done: () => void }> = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Lines in transactions not yet settled. */
  #inFlight = 0;

  constructor(store: AppStore, options: AuditLogOptions = {}) {
    this.#store = store;
    this.#clock = options.clock ?? Date;
    this.#logger = options.logger;
    this.#maxPending = options.maxPending ?? 1_000;
    this.#onDrop = options.onDrop;
  }

  /**
   * Writes one entry for `memberId` (redacted, bounded). With no member id
   * (a request for a tenant we do not know) the entry is logged but not
   * stored: the audit table is per tenant, and rows under names an outsider
   * chose would let anyone fill it. Resolves when the write is done or dropped.
   */
  record(memberId: string | undefined, input: AuditRecord): Promise<void> {
    let entry: Omit<AuditEntry, "memberId">;
    try {
      entry = this.#prepare(input);
    } catch (error) {
      // Only a hostile detail (a throwing getter, a cycle through toJSON) gets here.
      this.#drop("write_failed", input, memberId, error);
      return Promise.resolve();
    }
    this.#log(memberId, entry);
    if (memberId === undefined) return this.#drop("no_tenant", entry, memberId);
    if (!MEMBER_ID.test(memberId)) return this.#drop("bad_member_id", entry, undefined);
    if (this.#batch.length + this.#inFlight >= this.#maxPending)
      return this.#drop("backlog_full", entry, memberId);
    // Group commit: lines recorded within a few milliseconds share one transaction (one disk
    // sync), so auditing every event of a busy portal does not cost a sync per event.
    return new Promise<void>((done) => {
      this.#batch.push({ entry: { ...entry, memberId }, done });
      if (this.#batch.length >= BATCH_MAX) this.#writeBatch();
      else this.#timer ??= setTimeout(() => this.#writeBatch(), BATCH_DELAY_MS);
    });
  }

  #writeBatch(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#batch;
    this.#batch = [];
    if (batch.length === 0) return;
    let write: Promise<void>;
    try {
      write = this.#store.admin.appendAudit(batch.map((line) => line.entry));
    } catch (error) {
      write = Promise.reject(error);
    }
    this.#inFlight += batch.length;
    const settled = write.then(
      () => {
        this.#stats.written += batch.length;
      },
      (error: unknown) => {
        for (const { entry } of batch) void this.#drop("write_failed", entry, entry.memberId, error);
      },
    );
    const tracked = settled.finally(() => {
      this.#pending.delete(tracked);
      this.#inFlight -= batch.length;
      for (const line of batch) line.done();
    });
    this.#pending.add(tracked);
  }

  /** Writes what is waiting now and resolves once every write so far is done (shutdown, tests). */
  async flush(): Promise<void> {
    this.#writeBatch();
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  stats(): AuditLogStats {
    return { ...this.#stats, pending: this.#batch.length + this.#inFlight };
  }

  #prepare(input: AuditRecord): Omit<AuditEntry, "memberId"> {
    const action = scrubText(String(input.action));
    const detail = input.detail
      ? boundDetail(redactSecrets(input.detail) as Record<string, unknown>)
      : undefined;
    return {
      at: Number.isFinite(input.at) ? Math.round(input.at as number) : Math.round(this.#clock.now()),
      kind: input.kind,
      correlationId: isSaneCorrelationId(input.correlationId) ? input.correlationId : newCorrelationId(),
      action: action.length > ACTION_CHARS ? `${action.slice(0, ACTION_CHARS)}…` : action,
      outcome: input.outcome,
      ...(Number.isFinite(input.durationMs)
        ? { durationMs: Math.max(0, Math.round(input.durationMs as number)) }
        : {}),
      ...(detail && Object.keys(detail).length > 0 ? { detail } : {}),
    };
  }

  #log(memberId: string | undefined, entry: Omit<AuditEntry, "memberId">): void {
    if (!this.#logger) return;
    const line = {
      member_id: memberId,
      correlation_id: entry.correlationId,
      audit: {
        kind: entry.kind,
        action: entry.action,
        outcome: entry.outcome,
        duration_ms: entry.durationMs,
        detail: entry.detail,
      },
    };
    try {
      if (entry.outcome === "ok") this.#logger.debug(line, "audit");
      else if (entry.outcome === "error") this.#logger.info(line, "audit");
      else this.#logger.warn(line, "audit");
    } catch {
      // A broken logger must not break the caller either.
    }
  }

  #drop(
    reason: AuditDropReason,
    entry: { kind: AuditKind; action: string },
    memberId: string | undefined,
    error?: unknown,
  ): Promise<void> {
    if (reason === "write_failed") this.#stats.failed += 1;
    else if (reason !== "no_tenant") this.#stats.dropped += 1;
    try {
      this.#onDrop?.(reason, { kind: entry.kind, action: entry.action });
      if (reason !== "no_tenant") {
        this.#logger?.warn(
          {
            member_id: memberId,
            audit: { kind: entry.kind, action: scrubText(String(entry.action)) },
            reason,
            ...(error !== undefined ? { err: redactSecrets(error) } : {}),
          },
          "audit entry dropped",
        );
      }
    } catch {
      // Reporting a drop must not throw either.
    }
    return Promise.resolve();
  }
}
