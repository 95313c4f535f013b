import { shortDetail } from "../audit/audit-format.js";
import { redactSecrets, scrubText } from "../logging/secret-redaction.js";
import type { QueuedJob, QueueStats } from "../queue/job-queue.js";
import type { StoredAuditEntry } from "../storage/records.js";
import { ago, h, time } from "./console-html.js";
import type { TenantSummary } from "./tenant-summary.js";

/** The plan as the probe found it (`pro / commercial`), or why it is not known. */
export function planText(summary: TenantSummary): string {
  if (summary.plan) return [summary.plan.license, summary.plan.type].filter(Boolean).join(" / ");
  if (summary.capabilities?.portalRefusal) return `refused: ${summary.capabilities.portalRefusal.code}`;
  return summary.capabilities ? "unknown (no app.info)" : "not probed yet";
}

/** Token health in a few words: expiry, and the last refresh's outcome. */
export function tokenHealth(summary: TenantSummary, now: number): string {
  if (!summary.token) return `<span class="error">no tokens</span>`;
  const expired = summary.token.expiresAt <= now;
  const expiry = `<span class="${expired ? "warn" : "ok"}" title="${h(time(summary.token.expiresAt))}">${
    expired ? "expired" : "expires"
  } ${h(ago(summary.token.expiresAt, now))}</span>`;
  const refresh = summary.lastRefresh
    ? ` · last refresh <span class="${h(summary.lastRefresh.outcome)}" title="${h(time(summary.lastRefresh.at))}">${h(
        summary.lastRefresh.outcome,
      )}${summary.lastRefresh.errorCode ? ` ${h(summary.lastRefresh.errorCode)}` : ""}, ${h(
        ago(summary.lastRefresh.at, now),
      )}</span>`
    : " · never refreshed";
  return expiry + refresh;
}

export function stateText(summary: Pick<TenantSummary, "state" | "stateReason">): string {
  return `<span class="${h(summary.state)}">${h(summary.state)}</span>${
    summary.stateReason ? ` <span class="l">${h(summary.stateReason)}</span>` : ""
  }`;
}

/** The audit lines as a table; the detail (redacted again here, whatever the store holds) folds out. */
export function auditTable(
  lines: ReadonlyArray<StoredAuditEntry>,
  options: { member?: boolean } = {},
): string {
  if (lines.length === 0) return `<p class="l">No audit lines match.</p>`;
  const rows = lines
    .map((e) => {
      const detail = e.detail ? JSON.stringify(redactSecrets(e.detail), null, 1) : "";
      return `<tr data-audit-id="${e.id}"><td class="mono">${h(time(e.at))}</td>${
        options.member ? `<td class="mono">${h(e.memberId)}</td>` : ""
      }<td>${h(e.kind)}</td><td class="mono">${h(e.action)}</td><td class="${h(e.outcome)}">${h(e.outcome)}</td><td class="num">${
        e.durationMs ?? ""
      }</td><td>${h(shortDetail(e))}${
        detail ? `<details><summary>detail</summary><pre class="mono">${h(detail)}</pre></details>` : ""
      }</td><td class="mono">${h(e.correlationId)}</td></tr>`;
    })
    .join("");
  return `<table class="audit"><thead><tr><th>time (UTC)</th>${
    options.member ? "<th>portal</th>" : ""
  }<th>kind</th><th>action</th><th>outcome</th><th>ms</th><th>detail</th><th>correlation id</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The event a dead letter was for, and a bounded, redacted look at its data. */
export function jobText(job: QueuedJob): { event: string; data: string } {
  const payload = (job.payload ?? {}) as { event?: unknown; data?: unknown };
  const event = typeof payload.event === "string" ? payload.event : job.kind;
  const data = payload.data === undefined ? "" : JSON.stringify(redactSecrets(payload.data));
  return { event, data: data.length > 200 ? `${data.slice(0, 199)}…` : data };
}

/** A job's last error, scrubbed (a handler's message can hold anything) and cut to size. */
export function errorText(message: string | undefined): string {
  if (!message) return "";
  const text = scrubText(message);
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

/** A POST form with the session's CSRF token: one button. */
export function actionButton(
  path: string,
  csrf: string,
  label: string,
  fields: Record<string, string> = {},
): string {
  const hidden = Object.entries({ csrf, ...fields })
    .map(([name, value]) => `<input type="hidden" name="${h(name)}" value="${h(value)}">`)
    .join("");
  return `<form class="inline" method="post" action="${h(path)}">${hidden}<button>${h(label)}</button></form>`;
}

/** A figure with its label: the console's summary cards. */
export function card(value: string | number, label: string): string {
  return `<div class="card"><div class="n">${h(String(value))}</div><div class="l">${h(label)}</div></div>`;
}

/** The queue's cards (waiting, running, dead, oldest waiting), or one card saying why there are none. */
export function queueCards(stats: QueueStats | undefined, hasQueue: boolean, waitingLabel: string): string[] {
  if (!stats) return [card("—", hasQueue ? "queue unreachable" : "no event queue")];
  return [
    card(stats.waiting, waitingLabel),
    card(stats.running, "running"),
    card(stats.dead, "dead letters"),
    card(
      stats.oldestWaitingAgeMs ? `${Math.round(stats.oldestWaitingAgeMs / 1000)} s` : "—",
      "oldest waiting",
    ),
  ];
}

/** One dead letter as a table row with its Replay button; `portalCell` leads the row on cross-tenant pages. */
export function deadLetterRow(
  job: QueuedJob,
  replay: { path: string; csrf: string; back: "tenant" | "events" },
  portalCell = "",
): string {
  const { event, data } = jobText(job);
  return `<tr data-job="${h(job.id)}">${portalCell}<td class="mono">${h(event)}</td><td class="mono l">${h(data)}</td><td class="num">${job.attemptsMade}/${
    job.maxAttempts
  }</td><td class="error">${h(errorText(job.lastError))}</td><td>${h(time(job.enqueuedAt))}</td><td>${actionButton(
    replay.path,
    replay.csrf,
    "Replay",
    { job: job.id, back: replay.back },
  )}</td></tr>`;
}
