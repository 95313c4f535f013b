import { parseTimeBound } from "../audit/audit-format.js";
import { AUDIT_KINDS, queryAuditLog } from "../audit/audit-query.js";
import { AppError } from "../core/app-error.js";
import type { StoredAuditEntry } from "../storage/records.js";
import { flashOf } from "./console-actions.js";
import type { ConsoleDeps } from "./console-deps.js";
import { type AuditSearch, auditSearchQuery, memberIdParam, problems, queryOf } from "./console-forms.js";
import { ago, consolePage, h, htmlResponse, time } from "./console-html.js";
import type { OperatorSession } from "./console-session.js";
import {
  actionButton,
  auditTable,
  deadLetterRow,
  planText,
  stateText,
  tokenHealth,
} from "./console-widgets.js";
import { type TenantSummary, tenantSummary } from "./tenant-summary.js";

const DAY_MS = 86_400_000;

/** The tenant of a path, or 404 (an unknown or malformed member_id). */
export async function tenantOf(deps: ConsoleDeps, raw: string | undefined): Promise<TenantSummary> {
  const memberId = memberIdParam.safeParse(raw ?? "");
  const record = memberId.success ? await deps.rt.tenants.get(memberId.data) : undefined;
  if (!record) throw new AppError("TENANT_UNKNOWN", 404, "No such tenant");
  return tenantSummary(deps.rt.store, record);
}

function tenantPage(
  deps: ConsoleDeps,
  request: Request,
  session: OperatorSession,
  title: string,
  body: string,
  status = 200,
) {
  const flash = flashOf(request);
  return htmlResponse(
    consolePage({
      title,
      appName: deps.rt.config.appName,
      base: deps.base,
      operator: { name: session.operator, csrf: session.csrf },
      nav: "tenants",
      body,
      ...(flash ? { flash } : {}),
    }),
    status,
  );
}

function searchForm(deps: ConsoleDeps, memberId: string, search: Partial<AuditSearch>): string {
  const value = (v: unknown) => (v === undefined ? "" : h(String(v)));
  const kinds = ["", ...AUDIT_KINDS]
    .map(
      (k) =>
        `<option value="${h(k)}"${(search.kind ?? "") === k ? " selected" : ""}>${h(k || "any")}</option>`,
    )
    .join("");
  return `<form class="search" method="get" action="${h(`${deps.base}tenants/${encodeURIComponent(memberId)}/audit`)}">
<label>since <input name="since" value="${value(search.since)}" placeholder="1h, 7d or 2026-01-31T08:00Z" size="22"></label>
<label>until <input name="until" value="${value(search.until)}" placeholder="(now)" size="22"></label>
<label>kind <select name="kind">${kinds}</select></label>
<label>method / action <input name="method" value="${value(search.method)}" placeholder="crm.deal.get" size="20"></label>
<label>error code <input name="code" value="${value(search.code)}" placeholder="ERROR_METHOD_NOT_FOUND" size="24"></label>
<label>correlation id <input name="correlation" value="${value(search.correlation)}" size="16"></label>
<label>at most <input name="limit" value="${value(search.limit ?? 100)}" size="4"></label>
<button>Search</button></form>`;
}

function summaryTable(s: TenantSummary, now: number): string {
  const row = (label: string, value: string) => `<tr><th>${h(label)}</th><td>${value}</td></tr>`;
  const caps = s.capabilities;
  const missing = caps
    ? Object.entries(caps.methods)
        .filter(([, m]) => !m.available)
        .map(([name, m]) => `${name}${m.required ? " (required)" : ""}`)
    : [];
  return `<table class="summary">${[
    row("portal", `${h(s.domain)} <span class="mono l">${h(s.memberId)}</span>`),
    row("state", stateText(s)),
    row(
      "plan",
      `${h(planText(s))}${caps?.app ? ` · app status ${h(caps.app.status)}${caps.app.daysLeft !== null ? `, ${caps.app.daysLeft} days left` : ""}` : ""}`,
    ),
    row("token", tokenHealth(s, now)),
    row("scopes", h(s.scopes.join(", ") || "—")),
    row("probed", caps ? `${h(time(caps.probedAt))} (${h(ago(caps.probedAt, now))})` : "never"),
    row("methods missing", missing.length ? `<span class="error">${h(missing.join(", "))}</span>` : "none"),
    row("manifest applied", h(s.manifestVersion ?? "—")),
    row("installed", h(time(s.installedAt))),
    row(
      "last activity",
      s.lastActivity
        ? `${h(time(s.lastActivity.at))} (${h(ago(s.lastActivity.at, now))}) <span class="mono">${h(s.lastActivity.action)}</span> <span class="${h(
            s.lastActivity.outcome,
          )}">${h(s.lastActivity.outcome)}</span>`
        : "—",
    ),
  ].join("")}</table>`;
}

/** `GET console/tenants/:memberId`: the tenant, its actions, its dead letters, 24 h of activity, the latest audit lines. */
export async function tenantDetailPage(
  deps: ConsoleDeps,
  request: Request,
  params: Record<string, string>,
  session: OperatorSession,
): Promise<Response> {
  const s = await tenantOf(deps, params.memberId);
  const { rt } = deps;
  const now = rt.now();
  const path = `${deps.base}tenants/${encodeURIComponent(s.memberId)}`;
  const [dead, [activity], recent] = await Promise.all([
    deps.queue?.deadLetters({ memberId: s.memberId, limit: 50 }).catch(() => []) ?? Promise.resolve([]),
    rt.store.admin
      .auditActivity({ since: now - DAY_MS })
      .then((all) => all.filter((a) => a.memberId === s.memberId)),
    rt.store.tenant(s.memberId).audit.query({ limit: 20 }),
  ]);
  const actions = `<section class="actions"><b>Actions</b> ${actionButton(`${path}/probe`, session.csrf, "Re-run capability probe")} ${actionButton(
    `${path}/refresh`,
    session.csrf,
    "Force token refresh",
  )} <span class="l">Each action is written to this tenant's audit log.</span></section>`;
  const deadRows = dead
    .map((job) => deadLetterRow(job, { path: `${path}/replay`, csrf: session.csrf, back: "tenant" }))
    .join("");
  const counts = activity
    ? `${activity.restCalls} REST calls, <span class="${activity.restErrors ? "error" : ""}">${activity.restErrors} failed</span>, <span class="${
        activity.limitWaits ? "warn" : ""
      }">${activity.limitWaits} limit waits</span>, ${activity.eventFailures} event failures (${activity.deadLetters} dead), ${activity.security} refused as suspicious`
    : "nothing in the audit log";
  return tenantPage(
    deps,
    request,
    session,
    s.domain,
    `<h1>${h(s.domain)}</h1>${summaryTable(s, now)}${actions}<h2>Last 24 hours</h2><p>${counts}</p><h2>Dead letters</h2>${
      deadRows
        ? `<table class="dead"><thead><tr><th>event</th><th>data</th><th>attempts</th><th>last error</th><th>queued</th><th></th></tr></thead><tbody>${deadRows}</tbody></table>`
        : `<p class="l">${deps.queue ? "None." : "This app has no event queue."}</p>`
    }<h2>Audit log</h2>${searchForm(deps, s.memberId, {})}<h3>Latest lines</h3>${auditTable(recent)}`,
  );
}

/** `GET console/tenants/:memberId/audit?since&until&kind&method&code&correlation&limit`: the audit search. */
export async function auditSearchPage(
  deps: ConsoleDeps,
  request: Request,
  params: Record<string, string>,
  session: OperatorSession,
): Promise<Response> {
  const s = await tenantOf(deps, params.memberId);
  const raw = queryOf(request);
  const parsed = auditSearchQuery.safeParse(raw);
  const now = deps.rt.now();
  let lines: StoredAuditEntry[] = [];
  let problem: string | undefined;
  if (!parsed.success) problem = problems(parsed.error);
  else {
    try {
      const q = parsed.data;
      lines = await queryAuditLog(deps.rt.store, {
        memberId: s.memberId,
        since: q.since === undefined ? undefined : parseTimeBound(q.since, now),
        until: q.until === undefined ? undefined : parseTimeBound(q.until, now),
        kinds: q.kind ? [q.kind] : undefined,
        action: q.method,
        errorCode: q.code,
        correlationId: q.correlation,
        limit: q.limit,
      });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      problem = error.message;
    }
  }
  const shown: Partial<AuditSearch> = parsed.success ? parsed.data : {};
  const back = `<p><a href="${h(`${deps.base}tenants/${encodeURIComponent(s.memberId)}`)}">← ${h(s.domain)}</a></p>`;
  return tenantPage(
    deps,
    request,
    session,
    `Audit log of ${s.domain}`,
    `${back}<h1>Audit log of ${h(s.domain)}</h1>${searchForm(deps, s.memberId, shown)}${
      problem
        ? `<p class="flash bad" role="alert">${h(problem)}</p>`
        : `<p class="l">${lines.length} line(s), newest first. Times in UTC; details are redacted.</p>${auditTable(lines)}`
    }`,
    problem ? 400 : 200,
  );
}
