import { describe, expect, it } from "vitest";
import { scoreDeal } from "../src/score.js";

const base = {
  stageId: "PREPARATION",
  amount: 1_000,
  hasContact: false,
  hasCompany: false,
  openTasks: 0,
  bigDealAmount: 50_000,
};

describe("the deal score", () => {
  it("starts from the stage and adds points for a contact, a company, a big amount and open tasks", () => {
    expect(scoreDeal(base).score).toBe(25);
    expect(scoreDeal({ ...base, hasContact: true, hasCompany: true, amount: 50_000, openTasks: 2 })).toEqual({
      score: 55,
      reasons: [
        "stage PREPARATION: 25",
        "a contact is attached: +10",
        "a company is attached: +5",
        "amount at least 50000: +10",
        "2 open tasks: +5",
      ],
    });
  });

  it("reads stages of other pipelines (C1:EXECUTING) and never reaches 100 before the deal is won", () => {
    const full = {
      ...base,
      stageId: "C1:FINAL_INVOICE",
      hasContact: true,
      hasCompany: true,
      amount: 1e6,
      openTasks: 1,
    };
    expect(scoreDeal(full).score).toBe(99);
    expect(scoreDeal({ ...full, stageId: "C1:WON" })).toEqual({ score: 100, reasons: ["the deal is won"] });
    expect(scoreDeal({ ...full, stageId: "LOSE" }).score).toBe(0);
  });

  it("follows the portal's big-deal amount", () => {
    const deal = { ...base, amount: 80_000 };
    expect(scoreDeal(deal).score - scoreDeal({ ...deal, bigDealAmount: 100_000 }).score).toBe(10);
  });
});
