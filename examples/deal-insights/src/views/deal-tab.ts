import type { DealSnapshot } from "../deal-snapshot.js";
import type { DealScore } from "../score.js";
import type { StoredScore } from "../scoring.js";
import { esc, money, noticeBlock, scoreBadge } from "./html.js";

/**
 * The CRM_DEAL_DETAIL_TAB page, rendered by the server from one batch (deal,
 * contact, company, tasks), so the user sees the deal before any script runs.
 * The button recomputes through the app's backend and writes the score back.
 */
export function dealTabBody(
  snapshot: DealSnapshot,
  score: DealScore,
  last: StoredScore | undefined,
  tasksNote: string,
): string {
  const { deal, contact, company, tasks } = snapshot;
  const id = Number(deal.ID);
  const contactName = contact ? `${contact.NAME ?? ""} ${contact.LAST_NAME ?? ""}`.trim() : "";
  const reasons = score.reasons.map((r) => `<li>${esc(r)}</li>`).join("");
  const taskItems = (tasks ?? [])
    .map(
      (t) =>
        `<li>${esc(t.title ?? t.TITLE)} <span class="muted">${t.deadline ? `due ${esc(String(t.deadline).slice(0, 10))}` : ""}</span></li>`,
    )
    .join("");
  return `<main data-deal-id="${id}">
<h1 id="deal-title">${esc(deal.TITLE)}</h1>
<div class="card row">
  ${scoreBadge(score.score)}
  <div><div><strong>Deal score</strong> <span class="muted" id="score-source">${
    last
      ? `last saved ${esc(new Date(last.at).toISOString().slice(0, 16).replace("T", " "))} UTC (${esc(last.source)})`
      : "not saved yet"
  }</span></div><ul class="plain" id="score-reasons">${reasons}</ul></div>
</div>
<div class="grid">
  <section class="card"><h2>Deal</h2><div>Stage: <strong id="deal-stage">${esc(deal.STAGE_ID)}</strong></div><div>Amount: <strong>${money(
    deal.OPPORTUNITY,
    deal.CURRENCY_ID,
  )}</strong></div><div>Probability in CRM: <strong id="deal-probability">${esc(deal.PROBABILITY ?? "—")}</strong></div></section>
  <section class="card"><h2>Contact</h2>${
    contact
      ? `<div id="deal-contact">${esc(contactName)}</div><div class="muted">${esc(firstValue(contact.EMAIL))} ${esc(firstValue(contact.PHONE))}</div>`
      : `<div class="muted" id="deal-contact">No contact attached</div>`
  }</section>
  <section class="card"><h2>Company</h2>${
    company
      ? `<div id="deal-company">${esc(company.TITLE)}</div><div class="muted">${esc(company.INDUSTRY ?? "")}</div>`
      : `<div class="muted" id="deal-company">No company attached</div>`
  }</section>
</div>
<section class="card"><h2>Recent tasks</h2>${
    tasksNote
      ? `<p class="muted" role="status">${esc(tasksNote)}</p>`
      : taskItems
        ? `<ul class="plain" id="deal-tasks">${taskItems}</ul>`
        : `<p class="muted" id="deal-tasks">No tasks for this deal yet.</p>`
  }</section>
<button class="btn" id="recompute" type="button">Recompute and save</button> <span class="muted" id="recompute-status"></span>
</main>
<script>
document.getElementById("recompute").addEventListener("click", function () {
  var status = document.getElementById("recompute-status");
  status.textContent = "Recomputing…";
  // b24kit.api resolves with the backend's answer, { result: what the handler returned }.
  b24kit.api("recompute", { dealId: ${id} }).then(function (answer) {
    var result = answer.result;
    if (result.error) { status.textContent = result.error; return; }
    var badge = document.getElementById("score");
    badge.textContent = result.score;
    badge.dataset.score = result.score;
    badge.className = "score " + (result.score < 30 ? "low" : result.score < 60 ? "mid" : "high");
    document.getElementById("deal-probability").textContent = result.score;
    status.textContent = result.written ? "Saved to the deal." : "Unchanged.";
    return b24kit.ready.then(function (b24) { return b24.placement.call("reloadData", {}); });
  }).catch(function (error) { status.textContent = (error && error.message) || "Could not recompute the score."; });
});
</script>`;
}

/** A deal the user may not read, or one that is gone: plain words instead of an error page. */
export function dealUnavailableBody(message: string): string {
  return `<main>${noticeBlock("Deal insights cannot show this deal", message)}</main>`;
}

/** EMAIL/PHONE are lists of {VALUE, VALUE_TYPE}; the first one is enough here. */
function firstValue(list: unknown): string {
  return Array.isArray(list) && list[0] && typeof list[0] === "object"
    ? String((list[0] as { VALUE?: unknown }).VALUE ?? "")
    : "";
}
