import type { CallOutcome } from "../calls/call-outcome.js";
import type { Caller } from "../calls/caller.js";
import { type CatalogueEntry, catalogue } from "../calls/catalogue.js";
import { type MethodOutput, type MethodRegistry, scopeGranted } from "../calls/method-def.js";
import { type Params, param } from "../calls/params.js";
import { Errors, RestError } from "../calls/rest-error.js";
import { eventsForWrite } from "../events/write-events.js";
import { timeBlock } from "../portal-time.js";
import type { Portal } from "../state/portal.js";
import type { World } from "../state/world.js";
import { sleep } from "./sleep.js";

export type { CallOutcome };

/** Thrown by a fault that drops the connection; the HTTP layer destroys the socket. */
export class DropConnection extends Error {}

/**
 * Runs one method call as the portal would, top-level or inside a batch:
 * existence (module on), auth type, scope, admin rule, injected faults, the
 * operating-time limit, then the handler, its simulated cost, and accounting.
 */
export class RestExecutor {
  constructor(
    private readonly world: World,
    readonly registry: MethodRegistry,
    /** Methods real portals have that this executor's registry may not implement. */
    private readonly documented: (name: string) => CatalogueEntry | undefined = catalogue.classic,
  ) {}

  async execute(portal: Portal, caller: Caller, method: string, params: Params): Promise<CallOutcome> {
    const name = method.toLowerCase();
    const startMs = this.world.clock.nowMs();
    const def = this.registry.lookup(name);
    portal.record(name, undefined, false);
    try {
      if (!def) {
        const documented = this.documented(name);
        if (documented && (!documented.module || portal.modules.has(documented.module)))
          throw Errors.notEmulated(documented.name);
        throw Errors.methodNotFound();
      }
      if (def.module && !portal.modules.has(def.module)) throw Errors.methodNotFound();
      if (def.appOnly && caller.kind === "webhook") throw Errors.wrongAuthType();
      if (!scopeGranted(def, caller.scopes)) throw Errors.insufficientScope(caller.kind === "webhook");
      const user = portal.users.get(caller.userId);
      if (!user?.ACTIVE) throw Errors.noAuth();
      if (def.adminOnly && !user.ADMIN) throw Errors.accessDenied();

      const fault = portal.takeFault(name);
      if (fault?.latencyMs) await sleep(fault.latencyMs);
      if (fault?.drop) throw new DropConnection();
      if (fault?.error || fault?.status) {
        throw new RestError(
          fault.status ?? 500,
          fault.error ?? "INTERNAL_SERVER_ERROR",
          fault.description ?? "Injected fault",
        );
      }

      const ledgerKey = `${portal.memberId}|${caller.accountingKey}|${name}`;
      if (this.world.ledger.isBlocked(ledgerKey, startMs, portal.operatingLimitSeconds))
        throw Errors.operationTimeLimit();

      const realStart = performance.now();
      const output = await def.run({
        world: this.world,
        portal,
        user,
        caller,
        params,
        method: name,
        nowMs: startMs,
        registry: this.registry,
      });
      portal.recordScanned(name, output.scanned ?? 0);
      const rule = portal.latencyFor(name);
      if (rule) {
        const scanned = (rule.perScannedRowMs ?? 0) * (output.scanned ?? 0);
        await sleep(rule.baseMs + rule.perRowMs * (output.rows ?? 0) + scanned);
      }
      const processing = (performance.now() - realStart) / 1000;
      const finishMs = this.world.clock.nowMs();
      this.world.ledger.add(ledgerKey, finishMs, processing);
      const usage = this.world.ledger.usage(ledgerKey, finishMs);
      const time = {
        ...timeBlock(startMs, finishMs, processing),
        operating_reset_at: usage.resetAt,
        operating: Math.round(usage.operating * 1e6) / 1e6,
      };
      this.#emitWriteEvents(portal, caller, name, params, output);
      return { ok: true, output, time };
    } catch (error) {
      if (error instanceof DropConnection) throw error;
      const restError = error instanceof RestError ? error : Errors.internal();
      if (!(error instanceof RestError)) console.error("emulator: method failed", name, error);
      portal.record(undefined, restError.code, false);
      return { ok: false, error: restError };
    }
  }

  #emitWriteEvents(
    portal: Portal,
    caller: Caller,
    method: string,
    params: Params,
    output: MethodOutput,
  ): void {
    const events = eventsForWrite(method, params, output);
    if (events.length === 0) return;
    const actor = caller.system ? null : { userId: caller.userId };
    const connector = param(params, "auth_connector");
    const options = typeof connector === "string" && connector !== "" ? { authConnector: connector } : {};
    for (const e of events)
      this.world.events.emit(portal, e.event, e.data, actor, { ...options, objectKey: e.objectKey });
    // Robots run when a deal or lead enters a stage, whoever wrote it (automation/automation-engine.ts).
    for (const e of events) {
      const written = /^ONCRM(DEAL|LEAD)(ADD|UPDATE)$/.exec(e.event);
      const id = Number((e.data as { FIELDS?: { ID?: string } }).FIELDS?.ID);
      if (written?.[1] && Number.isInteger(id)) this.world.automation.recordWritten(portal, written[1], id);
    }
  }
}
