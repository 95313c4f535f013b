import type { StoredScore } from "../scoring.js";
import { esc, scoreBadge } from "./html.js";

/**
 * The CRM_DEAL_DETAIL_TOOLBAR widget: the button on the deal card opened it,
 * and it has already recomputed and saved the score; it tells the card to
 * reload its fields (the placement interface's reloadData), then can close.
 */
export function toolbarWidgetBody(result: StoredScore & { written: boolean }): string {
  return `<main>
<h1>Score for ${esc(result.title)}</h1>
<div class="card row">${scoreBadge(result.score)}<div id="widget-status">${
    result.written ? "Recomputed and saved to the deal." : "Recomputed: the deal already had this score."
  }</div></div>
<button class="btn" id="close" type="button">Close</button>
</main>
<script>
b24kit.ready.then(function (b24) {
  b24.placement.call("reloadData", {}).catch(function () {});
  document.getElementById("close").addEventListener("click", function () { b24.parent.closeApplication(); });
});
</script>`;
}
