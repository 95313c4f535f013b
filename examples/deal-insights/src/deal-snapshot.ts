import type { B24BatchCommandError, B24Client } from "@b24kit/rest";

export interface DealSnapshot {
  deal: Record<string, unknown>;
  contact?: Record<string, unknown>;
  company?: Record<string, unknown>;
  /** The deal's tasks (UF_CRM_TASK = D_{id}), newest first; undefined when the portal has no tasks. */
  tasks?: Array<Record<string, unknown>>;
}

/** Why a deal could not be read, in words a portal user understands. */
export class DealUnavailableError extends Error {
  constructor(
    readonly reason: "no-access" | "not-found" | "no-crm" | "failed",
    message: string,
  ) {
    super(message);
  }
}

const ACCESS_CODES = new Set(["ACCESS_DENIED", "INSUFFICIENT_SCOPE", "ERROR_ACCESS_DENIED"]);

/**
 * The portal refused for lack of rights. The classic crm.* methods say so only
 * in words: `{"error":"","error_description":"Access denied."}` with HTTP 400.
 */
export function isAccessDenied(error: unknown): boolean {
  const { code, description, message } = (error ?? {}) as {
    code?: string;
    description?: string;
    message?: string;
  };
  return ACCESS_CODES.has(code ?? "") || /access denied/i.test(description ?? message ?? "");
}

/**
 * The deal with its contact, company and recent tasks in one request: a batch
 * whose later commands take the ids from the deal's own result ($result[deal]),
 * so the portal resolves them and nothing waits for a second round trip.
 */
export async function loadDealSnapshot(client: B24Client, dealId: number): Promise<DealSnapshot> {
  const batch = await client.batch({
    deal: ["crm.deal.get", { id: dealId }],
    contact: ["crm.contact.get", { id: "$result[deal][CONTACT_ID]" }],
    company: ["crm.company.get", { id: "$result[deal][COMPANY_ID]" }],
    tasks: [
      "tasks.task.list",
      {
        filter: { UF_CRM_TASK: `D_${dealId}` },
        select: ["ID", "TITLE", "STATUS", "DEADLINE", "RESPONSIBLE_ID"],
        order: { ID: "DESC" },
      },
    ],
  });
  const dealError = batch.errors.deal;
  if (dealError) throw unavailable(dealError);
  const deal = batch.get<Record<string, unknown>>("deal");
  const tasks = batch.errors.tasks ? undefined : (batch.get<{ tasks?: unknown[] }>("tasks").tasks ?? []);
  return {
    deal,
    ...(hasId(deal.CONTACT_ID) && !batch.errors.contact ? { contact: batch.get("contact") } : {}),
    ...(hasId(deal.COMPANY_ID) && !batch.errors.company ? { company: batch.get("company") } : {}),
    ...(tasks ? { tasks: (tasks as Array<Record<string, unknown>>).slice(0, 5) } : {}),
  };
}

function hasId(value: unknown): boolean {
  return value !== null && value !== undefined && value !== "" && value !== "0" && value !== 0;
}

function unavailable(error: B24BatchCommandError): DealUnavailableError {
  if (isAccessDenied(error))
    return new DealUnavailableError(
      "no-access",
      "You do not have access to this deal in CRM. Ask your Bitrix24 administrator to give your role access to deals.",
    );
  // A portal with CRM switched off has no crm.* methods: "Method not found!", not a missing deal.
  if (error.code === "ERROR_METHOD_NOT_FOUND")
    return new DealUnavailableError(
      "no-crm",
      "CRM is not available in this Bitrix24, so there are no deals to score. Ask your Bitrix24 administrator to turn CRM on.",
    );
  if (/not found/i.test(error.description) || error.code === "NOT_FOUND")
    return new DealUnavailableError("not-found", "This deal no longer exists or was never created.");
  return new DealUnavailableError("failed", `Bitrix24 could not load the deal (${error.code}).`);
}

/** An open task: not completed (5), deferred (6) or declined (7) (tasks.task.list STATUS). */
export function isOpenTask(task: Record<string, unknown>): boolean {
  return !["5", "6", "7"].includes(String(task.status ?? task.STATUS ?? ""));
}
