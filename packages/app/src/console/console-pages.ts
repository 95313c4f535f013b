import type { QueueStats } from "../queue/job-queue.js";
import type { AuditActivity } from "../storage/records.js";
import { flashOf } from "./console-actions.js";
import type { ConsoleDeps } from "./console-deps.js";
import { chartWindow, queryOf } from "./console-forms.js";
import { ago, consolePage, h, htmlResponse, time } from "./console-html.js";
import type { OperatorSession } from "./console-session.js";
import { card, deadLetterRow, planText, queueCards, stateText, tokenHealth } from "./console-widgets.js";
import { consoleCharts } from "./metric-charts.js";
import { svgChart } from "./svg-chart.js";
import { tenantSummary } from "./tenant-summary.js";

const DAY_MS = 86_400_000;
/** The tenant list shows this many portals (the rest: filter by state). */
const TENANT_PAGE = 500;

async function queueStats(deps: ConsoleDeps): Promise<QueueStats | undefined> {
  try {
    return await deps.queue?.stats();
  } catch {
    return undefined;
  }
}

function page(
  deps: ConsoleDeps,
  session: OperatorSession,
  title: string,
  nav: "overview" | "tenants" | "events",
  body: string,
  request?: Request,
) {
  const flash = request ? flashOf(request) : undefined;
  return htmlResponse(
    consolePage({
      title,
      appName: deps.rt.config.appName,
      base: deps.base,
      operator: { name: session.operator, csrf: session.csrf },
      nav,
      body,
      ...(flash ? { flash } : {}),
    }),
  );
}

/** `GET console`: tenants by state, the queue, and the charts drawn from stored metric samples. */
export async function overviewPage(
  deps: ConsoleDeps,
  request: Request,
  session: OperatorSession,
): Promise<Response> {
  const { rt } = deps;
  const parsed = chartWindow.safeParse(queryOf(request));
  const hours = parsed.success ? parsed.data.hours : 1;
  const now = rt.now();
  const since = now - hours * 3_600_000;
  const [tenants, stats, samples] = await Promise.all([
    rt.store.admin.tenants(),
    queueStats(deps),
    rt.store.admin.metricSamples({ since, until: now + 1, limit: 10_000 }),
  ]);
  // A window older than the first sample starts at the data (a process that just started).
  const from = Math.max(since, (samples[0]?.at ?? since) - (deps.sampleIntervalMs || 60_000));
  const byState = (state: string) => tenants.filter((t) => t.state === state).length;
  const cards = [
    card(byState("active"), "active tenants"),
    card(byState("installing"), "installing"),
    card(byState("payment_expired"), "payment expired"),
    card(byState("blocked"), "blocked"),
    card(byState("uninstalled"), "uninstalled"),
    ...queueCards(stats, Boolean(deps.queue), "events waiting"),
  ].join("");
  const bucketMs = Math.max(deps.sampleIntervalMs || 60_000, Math.ceil((now - from) / 120));
  const charts = consoleCharts(samples, { from, to: now, bucketMs }).map(svgChart).join("");
  const windows = [1, 6, 24, 168]
    .map((n) =>
      n === hours
        ? `<b>${n < 168 ? `${n} h` : "7 d"}</b>`
        : `<a href="${h(`${deps.base}?hours=${n}`)}">${n < 168 ? `${n} h` : "7 d"}</a>`,
    )
    .join(" · ");
  const sampling = deps.sampleIntervalMs
    ? `${samples.length} samples stored in this window (every ${deps.sampleIntervalMs / 1000} s, every process its own)${
        from > since ? `; the first at ${time(samples[0]?.at)}` : ""
      }`
    : "The metrics sampler is off (B24KIT_METRICS_SAMPLE_SECONDS=0): no charts.";
  return page(
    deps,
    session,
    "Overview",
    "overview",
    `<h1>Overview</h1><div class="cards">${cards}</div><h2>Over time</h2><p class="l">Window: ${windows}. ${h(
      sampling,
    )}</p><div class="charts">${charts}</div>`,
  );
}

function activityCells(activity: AuditActivity | undefined): string {
  const a = activity;
  return `<td class="num">${a?.restCalls ?? 0}</td><td class="num${a?.restErrors ? " error" : ""}">${a?.restErrors ?? 0}</td><td class="num${
    a?.limitWaits ? " warn" : ""
  }">${a?.limitWaits ?? 0}</td><td class="num${a?.eventFailures ? " error" : ""}">${a?.eventFailures ?? 0}</td>`;
}

/** `GET console/tenants[?state=]`: every portal with plan, state, token health, last activity, 24 h of REST. */
export async function tenantsPage(
  deps: ConsoleDeps,
  request: Request,
  session: OperatorSession,
): Promise<Response> {
  const { rt } = deps;
  const now = rt.now();
  const state = new URL(request.url).searchParams.get("state") ?? "";
  const states = ["installing", "active", "payment_expired", "blocked", "uninstalled"] as const;
  const wanted = states.find((s) => s === state);
  const [records, activity] = await Promise.all([
    rt.store.admin.tenants(wanted ? { states: [wanted] } : {}),
    rt.store.admin.auditActivity({ since: now - DAY_MS }),
  ]);
  const shown = records.slice(0, TENANT_PAGE);
  const summaries = await Promise.all(shown.map((record) => tenantSummary(rt.store, record)));
  const byMember = new Map(activity.map((a) => [a.memberId, a]));
  const rows = summaries
    .map(
      (s) =>
        `<tr data-member-id="${h(s.memberId)}"><td><a href="${h(`${deps.base}tenants/${encodeURIComponent(s.memberId)}`)}">${h(
          s.domain,
        )}</a><div class="mono l">${h(s.memberId)}</div></td><td>${h(planText(s))}</td><td>${stateText(s)}</td><td>${tokenHealth(
          s,
          now,
        )}</td><td>${
          s.lastActivity
            ? `<span title="${h(time(s.lastActivity.at))}">${h(ago(s.lastActivity.at, now))}</span> <span class="mono l">${h(
                s.lastActivity.action,
              )}</span> <span class="${h(s.lastActivity.outcome)}">${h(s.lastActivity.outcome)}</span>`
            : "—"
        }</td>${activityCells(byMember.get(s.memberId))}</tr>`,
    )
    .join("");
  const filter = [["", "all"], ...states.map((s) => [s, s])]
    .map(([value, label]) =>
      value === (wanted ?? "")
        ? `<b>${h(label!)}</b>`
        : `<a href="${h(`${deps.base}tenants${value ? `?state=${value}` : ""}`)}">${h(label!)}</a>`,
    )
    .join(" · ");
  return page(
    deps,
    session,
    "Tenants",
    "tenants",
    `<h1>Tenants</h1><p class="l">${filter} — ${records.length} portal(s)${
      records.length > TENANT_PAGE ? `, the first ${TENANT_PAGE} shown` : ""
    }. REST columns: the last 24 hours, from the audit log.</p><table class="tenants"><thead><tr><th>portal</th><th>plan</th><th>state</th><th>token</th><th>last activity</th><th>REST calls</th><th>failed</th><th>limit waits</th><th>event failures</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

/** `GET console/events`: the queue, dead letters (with replay), event failures and REST per portal. */
export async function eventsPage(
  deps: ConsoleDeps,
  request: Request,
  session: OperatorSession,
): Promise<Response> {
  const { rt } = deps;
  const now = rt.now();
  const [stats, dead, activity, tenants] = await Promise.all([
    queueStats(deps),
    deps.queue?.deadLetters({ limit: 100 }).catch(() => []) ?? Promise.resolve([]),
    rt.store.admin.auditActivity({ since: now - DAY_MS }),
    rt.store.admin.tenants(),
  ]);
  const domains = new Map(tenants.map((t) => [t.memberId, t.domain]));
  const cards = queueCards(stats, Boolean(deps.queue), "waiting").join("");
  const deadRows = dead
    .map((job) =>
      deadLetterRow(
        job,
        {
          path: `${deps.base}tenants/${encodeURIComponent(job.memberId)}/replay`,
          csrf: session.csrf,
          back: "events",
        },
        `<td><a href="${h(`${deps.base}tenants/${encodeURIComponent(job.memberId)}`)}">${h(
          domains.get(job.memberId) ?? job.memberId,
        )}</a></td>`,
      ),
    )
    .join("");
  const portalRows = activity
    .filter((a) => a.restCalls + a.eventFailures + a.limitWaits > 0)
    .map(
      (a) =>
        `<tr><td><a href="${h(`${deps.base}tenants/${encodeURIComponent(a.memberId)}`)}">${h(
          domains.get(a.memberId) ?? a.memberId,
        )}</a></td>${activityCells(a)}<td class="num">${a.deadLetters}</td></tr>`,
    )
    .join("");
  return page(
    deps,
    session,
    "Events",
    "events",
    `<h1>Events and REST</h1><div class="cards">${cards}</div><h2>Dead letters</h2>${
      deadRows
        ? `<table class="dead"><thead><tr><th>portal</th><th>event</th><th>data</th><th>attempts</th><th>last error</th><th>queued</th><th></th></tr></thead><tbody>${deadRows}</tbody></table>`
        : `<p class="l">No dead letters.</p>`
    }<h2>Per portal, last 24 hours</h2>${
      portalRows
        ? `<table><thead><tr><th>portal</th><th>REST calls</th><th>failed</th><th>limit waits</th><th>event failures</th><th>dead letters</th></tr></thead><tbody>${portalRows}</tbody></table>`
        : `<p class="l">No REST calls or event failures in the last 24 hours.</p>`
    }<p class="l">Rates over time: the charts on the overview. Throughput counts every process's stored samples.</p>`,
    request,
  );
}
