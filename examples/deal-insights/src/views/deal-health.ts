import { esc } from "./html.js";

/** The three values a "Deal health" field holds: what a manager judges, beside the computed score. */
export const HEALTH = {
  green: { label: "On track", color: "var(--ok)" },
  amber: { label: "Needs attention", color: "var(--warn)" },
  red: { label: "At risk", color: "var(--bad)" },
} as const;

export type Health = keyof typeof HEALTH;

export function isHealth(value: unknown): value is Health {
  return typeof value === "string" && Object.hasOwn(HEALTH, value);
}

const pill = (health: Health, extra = "") =>
  `<span class="health" data-health="${health}"${extra} style="background:${HEALTH[health].color}">${esc(HEALTH[health].label)}</span>`;

const HEALTH_STYLE = `<style>
body{padding:4px 0;background:transparent}.health{display:inline-block;border-radius:12px;padding:3px 12px;color:#fff;font-weight:600;font-size:12px}
button.health{border:2px solid transparent;cursor:pointer;font:inherit;font-weight:600;font-size:12px;margin-right:6px;opacity:.55}
button.health[aria-pressed="true"]{opacity:1;border-color:#333}
</style>`;

/** The field on the card: the stored value, or the score's suggestion when nobody set one. */
export function dealHealthView(value: Health | undefined, suggested: Health | undefined): string {
  const shown = value
    ? pill(value, ' id="health-value"')
    : `<span id="health-value" class="muted">Not set</span>`;
  const hint =
    !value && suggested
      ? ` <span class="muted" id="health-hint">Score suggests: ${esc(HEALTH[suggested].label)}</span>`
      : "";
  return `${HEALTH_STYLE}<div>${shown}${hint}</div>`;
}

/**
 * The field in the card's edit form: three buttons; a press hands the value to
 * the card (b24kit.setFieldValue, the SDK's placement.setValue), which saves it
 * with the rest of the form.
 */
export function dealHealthEdit(value: Health | undefined): string {
  const buttons = (Object.keys(HEALTH) as Health[])
    .map(
      (health) =>
        `<button type="button" class="health" data-health="${health}" aria-pressed="${health === value}" style="background:${HEALTH[health].color}">${esc(HEALTH[health].label)}</button>`,
    )
    .join("");
  return `${HEALTH_STYLE}<div id="health-edit">${buttons}</div>
<script>
document.querySelectorAll("#health-edit button").forEach(function (button) {
  button.addEventListener("click", function () {
    var health = button.getAttribute("data-health");
    b24kit.setFieldValue(health).then(function () {
      document.querySelectorAll("#health-edit button").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
      document.documentElement.dataset.healthSet = health;
    });
  });
});
</script>`;
}
