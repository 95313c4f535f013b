import qs from "qs";
import type { Caller } from "../calls/caller.js";
import { asRecord, type Params, param } from "../calls/params.js";
import { QS_OPTIONS } from "../calls/qs-options.js";
import { Errors } from "../calls/rest-error.js";
import type { TimeBlock } from "../portal-time.js";
import type { Portal } from "../state/portal.js";
import type { World } from "../state/world.js";
import { resolveReferences } from "./batch-reference.js";
import type { RestExecutor } from "./executor.js";

export const MAX_BATCH = 50;

/** PHP json_encode turns a map with keys 0..n-1 into a JSON array, anything else into an object. */
function phpMap(entries: Array<[string, unknown]>): unknown {
  if (entries.length > 0 && entries.every(([k], i) => k === String(i))) return entries.map(([, v]) => v);
  return Object.fromEntries(entries);
}

function truthy(v: unknown): boolean {
  return v === true || v === 1 || v === "1" || v === "true" || v === "Y";
}

/**
 * `batch` (docs/protocol.md §6): up to 50 commands run in order, references to
 * earlier results resolved, `halt` stops at the first failure; the five result
 * maps come back with HTTP 200 whatever the commands did.
 */
export async function runBatch(
  world: World,
  executor: RestExecutor,
  portal: Portal,
  caller: Caller,
  params: Params,
): Promise<Record<string, unknown>> {
  const commands = Object.entries(asRecord(param(params, "cmd")));
  const halt = truthy(param(params, "halt"));
  if (commands.length > MAX_BATCH && world.settings.batchLengthMode === "request")
    throw Errors.batchLengthExceeded();

  const result: Array<[string, unknown]> = [];
  const errors: Array<[string, unknown]> = [];
  const totals: Array<[string, unknown]> = [];
  const nexts: Array<[string, unknown]> = [];
  const times: Array<[string, TimeBlock]> = [];
  const byId: Record<string, unknown> = {};

  for (const [index, [id, command]] of commands.entries()) {
    if (index >= MAX_BATCH) {
      errors.push([id, Errors.batchLengthExceeded().body()]);
      continue;
    }
    const text = String(command ?? "");
    const q = text.indexOf("?");
    const method = (q === -1 ? text : text.slice(0, q)).trim().replace(/\.(json|xml)$/i, "");
    const query = q === -1 ? "" : text.slice(q + 1);
    const subParams = resolveReferences(qs.parse(query, QS_OPTIONS), byId) as Params;
    // Nested batch and file transfer methods are refused inside a batch (§6.1).
    const refused = method.toLowerCase() === "batch" || executor.registry.lookup(method)?.batchable === false;
    const outcome = refused
      ? { ok: false as const, error: Errors.batchMethodNotAllowed() }
      : await executor.execute(portal, caller, method, subParams);
    if (outcome.ok) {
      byId[id] = outcome.output.result;
      result.push([id, outcome.output.result]);
      if (outcome.output.total !== undefined) totals.push([id, outcome.output.total]);
      if (outcome.output.next !== undefined) nexts.push([id, outcome.output.next]);
      const { operating: _o, operating_reset_at: _r, ...time } = outcome.time;
      times.push([id, time]);
    } else {
      if (refused) portal.record(undefined, outcome.error.code, false);
      errors.push([id, outcome.error.body()]);
      if (halt) break;
    }
  }
  return {
    result: phpMap(result),
    result_error: phpMap(errors),
    result_total: phpMap(totals),
    result_next: phpMap(nexts),
    result_time: phpMap(times),
  };
}
