import type { TenantKv } from "@b24kit/app";
import type { B24Client, MethodCaller } from "@b24kit/rest";
import { type DealSnapshot, isOpenTask, loadDealSnapshot } from "./deal-snapshot.js";
import { type DealScore, scoreDeal } from "./score.js";
import type { Settings } from "./settings.js";

/** What the app keeps per scored deal in its own store (ctx.kv): `score:{dealId}`. */
export interface StoredScore extends DealScore {
  dealId: number;
  title: string;
  /** The deal's responsible user (ASSIGNED_BY_ID): the bot speaks to them only of their own deals. */
  assignedTo: number;
  /** Unix milliseconds of the computation. */
  at: number;
  /** What triggered it: the deal event, the toolbar button, the tab. */
  source: "event" | "button" | "tab" | "bot" | "robot";
}

export const scoreKey = (dealId: number) => `score:${dealId}`;

export function scoreSnapshot(snapshot: DealSnapshot, settings: Settings): DealScore {
  const { deal } = snapshot;
  return scoreDeal({
    stageId: String(deal.STAGE_ID ?? ""),
    amount: Number(deal.OPPORTUNITY ?? 0),
    hasContact: snapshot.contact !== undefined,
    hasCompany: snapshot.company !== undefined,
    openTasks: (snapshot.tasks ?? []).filter(isOpenTask).length,
    bigDealAmount: settings.bigDealAmount,
  });
}

/**
 * Recomputes a deal's score and writes it back to the deal's PROBABILITY —
 * only when it changed, so the ONCRMDEALUPDATE our own write causes finds
 * nothing to do and the loop ends there. Reads go in one batch; the write goes
 * through `writer`, which in an event handler is `ctx.b24`: it tags the app's
 * writes with its auth_connector, so they do not return as offline events.
 */
export async function recomputeScore(
  io: { reader: B24Client; writer: MethodCaller; kv: TenantKv },
  dealId: number,
  settings: Settings,
  source: StoredScore["source"],
): Promise<StoredScore & { snapshot: DealSnapshot; written: boolean }> {
  const { reader, writer, kv } = io;
  const snapshot = await loadDealSnapshot(reader, dealId);
  const score = scoreSnapshot(snapshot, settings);
  const written = Number(snapshot.deal.PROBABILITY ?? -1) !== score.score;
  if (written) await writer.call("crm.deal.update", { id: dealId, fields: { PROBABILITY: score.score } });
  const stored: StoredScore = {
    ...score,
    dealId,
    title: String(snapshot.deal.TITLE ?? ""),
    assignedTo: Number(snapshot.deal.ASSIGNED_BY_ID ?? 0),
    at: Date.now(),
    source,
  };
  await kv.set(scoreKey(dealId), stored as unknown as never);
  return { ...stored, snapshot, written };
}

/** Every score the app computed on this portal, best first. */
export async function storedScores(kv: TenantKv): Promise<StoredScore[]> {
  const keys = await kv.keys("score:");
  const rows = await Promise.all(keys.map((key) => kv.get(key)));
  return (rows.filter(Boolean) as unknown as StoredScore[]).sort((a, b) => b.score - a.score);
}
