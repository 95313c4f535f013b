import type { StoredAuditEntry } from "@b24kit/app";
import type { Cell } from "./cells.js";
import type { Scenario } from "./scenarios.js";

/**
 * How a scenario or a cell went: the app **works**; it **degrades** with a message (it answered with a
 * plain-words notice, or the capability probe found something missing that the runtime's notice
 * names); it **fails** (an unhandled error, a 403 shown to the user, an event lost, a timeout). A
 * scenario the portal itself does not offer in that cell (a placement of a module that is off, a bot
 * the plan cannot register) is **skipped** and does not count.
 */
export type Verdict = "works" | "degrades" | "fails" | "skipped";

const RANK: Record<Verdict, number> = { skipped: 0, works: 1, degrades: 2, fails: 3 };

export function worst(verdicts: Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((a, b) => (RANK[b] > RANK[a] ? b : a), "skipped");
}

/** A REST call of the app that the portal refused while a scenario ran (from the app's audit log). */
export interface FailingCall {
  at: number;
  method: string;
  status?: number;
  code?: string;
}

export interface ScenarioResult {
  name: string;
  kind: Scenario["kind"];
  verdict: Verdict;
  /** One line: what happened (`HTTP 200 with a notice: "…"`, `event lost: delivery HTTP 500`). */
  summary: string;
  /** The notice the user saw, as text. */
  notice?: string;
  /** The app's answer, shortened, when it failed. */
  answer?: string;
  /** A `field` scenario: the MODE the portal showed its frame in (`view` for a user who may not edit). */
  mode?: "view" | "edit";
  startedAt: number;
  endedAt: number;
  failingCalls: FailingCall[];
}

export interface ProbeGap {
  name: string;
  kind: string;
  required: boolean;
  userText: string;
  /** A feature the runtime probes for itself and falls back without (`rest_offline_extended`): not a verdict. */
  internal: boolean;
}

/** A job the app's runtime gave up on (its audit log's `deadLetter` lines). */
export interface DeadLetter {
  at: number;
  event: string;
  error: string;
}

export interface CellResult {
  cell: Cell;
  label: string;
  verdict: Verdict;
  /** Why the cell has its verdict, in one line. */
  reason: string;
  memberId?: string;
  userId?: number;
  /** The capability probe's findings for the cell's user (the runtime's record of the portal). */
  probe?: { probed: boolean; missing: ProbeGap[]; noticeHtml: string };
  scenarios: ScenarioResult[];
  /** Events the app's runtime dead-lettered on this portal (scenario or not). */
  deadLetters: DeadLetter[];
  /** The portal's audit trail in the app's store, oldest first. */
  audit: StoredAuditEntry[];
  durationMs: number;
}

export interface MatrixReport {
  app: string;
  startedAt: number;
  durationMs: number;
  scenarios: Array<{ name: string; kind: Scenario["kind"] }>;
  cells: CellResult[];
}
