/**
 * The deal score: a number from 0 to 100 with the reasons behind it, derived
 * only from the deal's own data (no clock, no randomness), so the same deal
 * always scores the same — the event handler relies on that to stop after one
 * write-back instead of looping on its own ONCRMDEALUPDATE.
 */

export interface ScoreInput {
  stageId: string;
  amount: number;
  hasContact: boolean;
  hasCompany: boolean;
  openTasks: number;
  /** Deals at or above this amount count as big (the portal's setting). */
  bigDealAmount: number;
}

export interface DealScore {
  score: number;
  reasons: string[];
}

/** How far along the default pipeline's stages are (crm.status.list ENTITY_ID=DEAL_STAGE). */
const STAGE_POINTS: Record<string, number> = {
  NEW: 10,
  PREPARATION: 25,
  PREPAYMENT_INVOICE: 45,
  EXECUTING: 60,
  FINAL_INVOICE: 75,
  WON: 100,
  LOSE: 0,
};

export function scoreDeal(input: ScoreInput): DealScore {
  const stage = input.stageId.replace(/^C\d+:/, "");
  if (stage === "WON") return { score: 100, reasons: ["the deal is won"] };
  if (stage === "LOSE") return { score: 0, reasons: ["the deal is lost"] };
  let score = STAGE_POINTS[stage] ?? 20;
  const reasons = [`stage ${stage}: ${score}`];
  if (input.hasContact) {
    score += 10;
    reasons.push("a contact is attached: +10");
  } else reasons.push("no contact: +0");
  if (input.hasCompany) {
    score += 5;
    reasons.push("a company is attached: +5");
  }
  if (input.amount >= input.bigDealAmount) {
    score += 10;
    reasons.push(`amount at least ${input.bigDealAmount}: +10`);
  }
  if (input.openTasks > 0) {
    score += 5;
    reasons.push(`${input.openTasks} open task${input.openTasks === 1 ? "" : "s"}: +5`);
  }
  return { score: Math.max(0, Math.min(99, score)), reasons };
}
