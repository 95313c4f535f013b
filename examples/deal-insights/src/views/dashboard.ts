import type { StoredScore } from "../scoring.js";
import type { Settings } from "../settings.js";
import { esc, money, scoreBadge } from "./html.js";

export interface StageSummary {
  stageId: string;
  deals: number;
  amount: number;
}

export interface DashboardInput {
  userName: string;
  admin: boolean;
  stages: StageSummary[];
  currency: string;
  top: StoredScore[];
  settings: Settings;
  /** The user's own preference (user.option): the pipeline counts only their deals. */
  mineOnly: boolean;
}

/** The app's own page (and its LEFT_MENU item): the portal's pipeline at a glance, and the settings. */
export function dashboardBody(input: DashboardInput): string {
  const stageRows = input.stages
    .map(
      (s) =>
        `<tr><td>${esc(s.stageId)}</td><td>${s.deals}</td><td>${money(s.amount, input.currency)}</td></tr>`,
    )
    .join("");
  const top = input.top
    .slice(0, 5)
    .map((s) => `<li class="row">${scoreBadge(s.score, `top-${s.dealId}`)}<span>${esc(s.title)}</span></li>`)
    .join("");
  const total = input.stages.reduce((sum, s) => sum + s.deals, 0);
  return `<main>
<h1>Deal insights</h1>
<p class="muted">Hello, ${esc(input.userName)}. ${total} ${input.mineOnly ? "of your deals" : "deals"} in the pipeline.</p>
<div class="grid">
  <section class="card"><h2>Pipeline</h2><table id="pipeline"><thead><tr><th>Stage</th><th>Deals</th><th>Amount</th></tr></thead><tbody>${stageRows}</tbody></table></section>
  <section class="card"><h2>Best scores</h2>${top ? `<ul class="plain" id="top-scores">${top}</ul>` : `<p class="muted" id="top-scores">No deal scored yet: open a deal's Insights tab or change a deal.</p>`}</section>
</div>
<section class="card"><h2>Settings</h2>
  <form id="settings">
    <label>A big deal is at least <input id="big-deal" name="bigDealAmount" type="number" min="1" value="${input.settings.bigDealAmount}" ${input.admin ? "" : "disabled"}></label>
    ${input.admin ? "" : `<span class="muted">Only administrators change this.</span>`}
    <label><input id="mine-only" type="checkbox" ${input.mineOnly ? "checked" : ""}> Only my deals in the pipeline</label>
    <button class="btn" type="submit">Save</button> <span class="muted" id="settings-status"></span>
  </form>
</section>
</main>
<script>
// Saved through the official SDK from the frame, as the user: the portal itself checks that only an
// administrator changes app options (app.option.set), and user options are the user's own.
document.getElementById("settings").addEventListener("submit", function (event) {
  event.preventDefault();
  var status = document.getElementById("settings-status");
  var big = document.getElementById("big-deal");
  var mineOnly = document.getElementById("mine-only").checked ? "Y" : "N";
  b24kit.ready.then(function (b24) {
    var calls = [b24.callMethod("user.option.set", { options: { mineOnly: mineOnly } })];
    if (!big.disabled) calls.push(b24.callMethod("app.option.set", { options: { bigDealAmount: Number(big.value) } }));
    return Promise.all(calls);
  }).then(function () { status.textContent = "Saved."; }, function (error) {
    status.textContent = "Not saved: " + ((error && error.message) || "the portal refused");
  });
});
</script>`;
}
