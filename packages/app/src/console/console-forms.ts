import { z } from "zod";
import { AUDIT_KINDS } from "../audit/audit-query.js";
import { AppError } from "../core/app-error.js";
import { readText } from "../inbound/read-body.js";
import type { AuditKind } from "../storage/records.js";

/** Console forms are a few short fields. */
const FORM_LIMIT_BYTES = 8 * 1024;

/** A urlencoded form as a flat record (the last value of a repeated field wins). */
export async function readForm(request: Request): Promise<Record<string, string>> {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (!type.startsWith("application/x-www-form-urlencoded"))
    throw new AppError("BAD_REQUEST", 400, "Send the console's form as application/x-www-form-urlencoded");
  return Object.fromEntries(new URLSearchParams(await readText(request, FORM_LIMIT_BYTES)));
}

export const loginForm = z.object({
  name: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(1024),
  csrf: z.string().max(200).optional(),
});

export const actionForm = z.object({
  csrf: z.string().min(1).max(200),
  /** A dead letter's job id (replay). */
  job: z.string().min(1).max(200).optional(),
  /** Where to go back to: one of the console's own pages. */
  back: z.enum(["tenant", "events"]).optional(),
});

/** A member_id as the runtime keys tenants (32 hex digits, or a webhook host). */
export const memberIdParam = z.string().regex(/^[\w.:-]{1,128}$/);

const KINDS = AUDIT_KINDS as readonly [AuditKind, ...AuditKind[]];
const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

/** The audit search's query string: everything optional, every field bounded. */
export const auditSearchQuery = z.object({
  since: z.preprocess(blankToUndefined, z.string().max(40).optional()),
  until: z.preprocess(blankToUndefined, z.string().max(40).optional()),
  kind: z.preprocess(blankToUndefined, z.enum(KINDS).optional()),
  method: z.preprocess(blankToUndefined, z.string().trim().max(200).optional()),
  code: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^[\w.:-]{1,100}$/)
      .optional(),
  ),
  correlation: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^[\w.:-]{1,128}$/)
      .optional(),
  ),
  limit: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(1000).default(100)),
});

export type AuditSearch = z.output<typeof auditSearchQuery>;

/** The chart window in hours. */
export const chartWindow = z.object({
  hours: z.preprocess(
    blankToUndefined,
    z.coerce
      .number()
      .refine((h) => [1, 6, 24, 168].includes(h))
      .default(1),
  ),
});

/** The query string of a GET as a record. */
export function queryOf(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}

/** A zod failure as one readable line (field: problem; …), never echoing the values. */
export function problems(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "form"}: ${issue.message}`).join("; ");
}
