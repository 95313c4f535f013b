/**
 * What `b24kit matrix` does in each cell, as the app declares it: plain data (JSON-able) exported as
 * `scenarios` from the module package.json names (`"b24kit": {"matrix": "src/matrix.ts"}`). Strings may
 * hold placeholders, filled per portal: `{deal}`, `{contact}`, `{company}`, `{lead}` (the id of the
 * first such record of the portal's seeded CRM data, 1 without CRM), `{user}` (the cell's user id).
 */
export type Scenario = PlacementScenario | PageScenario | EventScenario | BotScenario;

/** A placement opened by the cell's user: the portal's own request (control API `placements/open`). */
export interface PlacementScenario {
  kind: "placement";
  name: string;
  placement: string;
  /** PLACEMENT_OPTIONS, e.g. `{"ID": "{deal}"}`. */
  options?: Record<string, unknown>;
}

/** The app's own page opened by the cell's user (control API `apps/{clientId}/open`). */
export interface PageScenario {
  kind: "page";
  name: string;
  options?: Record<string, unknown>;
}

/** A change made by the portal (its automation) that fires an event the app has bound. */
export interface EventScenario {
  kind: "event";
  name: string;
  event: string;
  change: { method: string; params?: Record<string, unknown> };
  /**
   * How to tell the handler ran: a key of the app's store (`ctx.kv`) whose value changes, or a field
   * of a REST answer (read as the portal) that changes. Without one, the handler counts as run when
   * the app took the event and recorded no failure within a couple of seconds.
   */
  effect?: { kv: string } | { rest: { method: string; params?: Record<string, unknown>; field: string } };
  /** How long to wait for the effect (default 20 s: the runtime retries a failing handler for ~15 s). */
  timeoutMs?: number;
}

/** A message to one of the app's bots from the cell's user (control API `chat/messages`); its reply is awaited. */
export interface BotScenario {
  kind: "bot";
  name: string;
  /** The bot's code in the manifest. */
  bot: string;
  message: string;
  /** A regular expression the reply must match. */
  expect?: string;
}

const KINDS = ["placement", "page", "event", "bot"];

/** Checks scenarios read from an app's module; throws one message naming every problem. */
export function parseScenarios(raw: unknown, source: string): Scenario[] {
  if (!Array.isArray(raw)) throw new Error(`${source}: \`scenarios\` must be an array`);
  const problems: string[] = [];
  const out: Scenario[] = [];
  for (const [i, item] of raw.entries()) {
    const at = `${source}: scenarios[${i}]`;
    if (!item || typeof item !== "object") {
      problems.push(`${at} is not an object`);
      continue;
    }
    const s = item as Record<string, unknown>;
    const kind = String(s.kind ?? "");
    if (!KINDS.includes(kind)) {
      problems.push(`${at}.kind must be one of ${KINDS.join(", ")}`);
      continue;
    }
    const text = (key: string) => typeof s[key] === "string" && (s[key] as string).trim() !== "";
    if (kind === "placement" && !text("placement")) problems.push(`${at}.placement is required`);
    if (kind === "event") {
      if (!text("event")) problems.push(`${at}.event is required`);
      const change = s.change as Record<string, unknown> | undefined;
      if (!change || typeof change.method !== "string") problems.push(`${at}.change.method is required`);
    }
    if (kind === "bot" && (!text("bot") || !text("message")))
      problems.push(`${at}: a bot scenario needs bot (its code) and message`);
    if (kind === "bot" && s.expect !== undefined) {
      try {
        new RegExp(String(s.expect));
      } catch {
        problems.push(`${at}.expect is not a regular expression`);
      }
    }
    const name = text("name") ? String(s.name) : defaultName(s);
    out.push({ ...(s as unknown as Scenario), name });
  }
  const names = out.map((s) => s.name);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length > 0)
    problems.push(`${source}: scenario names must differ (${[...new Set(twice)].join(", ")})`);
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return out;
}

function defaultName(s: Record<string, unknown>): string {
  if (s.kind === "placement") return String(s.placement);
  if (s.kind === "event") return String(s.event);
  if (s.kind === "bot") return `bot ${s.bot}: ${s.message}`;
  return "app page";
}

/** What the matrix reads of the manifest when the app declares no scenarios. */
export interface ManifestOutline {
  placements?: Array<{ placement: string }>;
  bots?: Array<{ code: string }>;
  events?: Array<{ event: string } | string>;
}

/**
 * Scenarios for an app that declares none: its app page, each placement of its manifest (CRM cards
 * opened on the first record of their kind) and `/help` to each bot. Events need a change that fires
 * them, which only the app can say.
 */
export function defaultScenarios(manifest: ManifestOutline | undefined): Scenario[] {
  const out: Scenario[] = [{ kind: "page", name: "app page" }];
  for (const p of manifest?.placements ?? []) {
    const entity = /^CRM_(DEAL|CONTACT|COMPANY|LEAD)_/.exec(p.placement)?.[1]?.toLowerCase();
    out.push({
      kind: "placement",
      name: p.placement,
      placement: p.placement,
      ...(entity ? { options: { ID: `{${entity}}` } } : {}),
    });
  }
  for (const b of manifest?.bots ?? [])
    out.push({ kind: "bot", name: `bot ${b.code}`, bot: b.code, message: "/help" });
  return out;
}

/** Every `{name}` in the strings of `value` replaced by `vars[name]` (unknown names stay). */
export function fillPlaceholders<T>(value: T, vars: Record<string, string>): T {
  if (typeof value === "string") {
    const whole = /^\{(\w+)\}$/.exec(value);
    if (whole && vars[whole[1]!] !== undefined) return vars[whole[1]!] as T;
    return value.replace(/\{(\w+)\}/g, (all, name: string) => vars[name] ?? all) as T;
  }
  if (Array.isArray(value)) return value.map((v) => fillPlaceholders(v, vars)) as T;
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fillPlaceholders(v, vars)]),
    ) as T;
  return value;
}
