import type { StoredScore } from "../scoring.js";
import { esc, money, scoreBadge } from "./html.js";

/** The CRM_CONTACT_DETAIL_TAB page: the contact's deals with the scores the app computed. */
export function contactTabBody(
  contact: Record<string, unknown>,
  deals: Array<Record<string, unknown>>,
  scores: Map<number, StoredScore>,
): string {
  const name = `${contact.NAME ?? ""} ${contact.LAST_NAME ?? ""}`.trim();
  const rows = deals
    .map((deal) => {
      const stored = scores.get(Number(deal.ID));
      return `<tr><td>${esc(deal.TITLE)}</td><td>${esc(deal.STAGE_ID)}</td><td>${money(deal.OPPORTUNITY, deal.CURRENCY_ID)}</td><td>${
        stored ? scoreBadge(stored.score, `score-${esc(deal.ID)}`) : `<span class="muted">not scored</span>`
      }</td></tr>`;
    })
    .join("");
  return `<main>
<h1 id="contact-name">${esc(name)}</h1>
<section class="card"><h2>Deals of this contact</h2>${
    rows
      ? `<table id="contact-deals"><thead><tr><th>Deal</th><th>Stage</th><th>Amount</th><th>Score</th></tr></thead><tbody>${rows}</tbody></table>`
      : `<p class="muted" id="contact-deals">This contact has no deals.</p>`
  }</section>
</main>`;
}
