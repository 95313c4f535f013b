/**
 * What `b24kit matrix` does in each cell, as the app declares it: plain data (JSON-able) exported as
 * `scenarios` from the module package.json names (`"b24kit": {"matrix": "src/matrix.ts"}`). Strings may
 * hold placeholders, filled per portal: `{deal}`, `{contact}`, `{company}`, `{lead}` (the id of the
 * first such record of the portal's seeded CRM data, 1 without CRM), `{user}` (the cell's user id).
 */
export type Scenario =
  | PlacementScenario
  | PageScenario
  | EventScenario
  | BotScenario
  | RobotScenario
  | FieldScenario;

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

/**
 * One of the app's automation robots at work: placed on a deal stage (control API `automation-rules`),
 * the first seeded deal moved there by the portal, and the robot's run followed in `robot-runs`.
 */
export interface RobotScenario {
  kind: "robot";
  name: string;
  /** The robot's code in the manifest. */
  robot: string;
  /** The deal stage the robot is placed on, e.g. `FINAL_INVOICE`. */
  stage: string;
  /** The robot's property values on that stage. */
  values?: Record<string, unknown>;
  /** `returnValues`: a regular expression per return value that the completed run's value must match. */
  expect?: { returnValues?: Record<string, string> };
  /** How long the run may take (default: the matrix's `--timeout`). */
  timeoutMs?: number;
}

/**
 * A field of one of the app's field types, opened by the cell's user as the portal's card shows it (the
 * USERFIELD_TYPE frame, control API `placements/open`). The field is made once per portal if it has none.
 */
export interface FieldScenario {
  kind: "field";
  name: string;
  /** The field type's code in the manifest. */
  fieldType: string;
  entity?: "deal";
  /** The mode asked for (default view); the portal shows a user who may not change the record `view`. */
  mode?: "view" | "edit";
}

const KINDS = ["placement", "page", "event", "bot", "robot", "field"];

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
    if (kind === "robot") problems.push(...robotProblems(s, at));
    if (kind === "field") {
      if (!text("fieldType")) problems.push(`${at}.fieldType is required`);
      if (s.entity !== undefined && s.entity !== "deal") problems.push(`${at}.entity must be deal`);
      if (s.mode !== undefined && s.mode !== "view" && s.mode !== "edit")
        problems.push(`${at}.mode must be view or edit`);
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

function robotProblems(s: Record<string, unknown>, at: string): string[] {
  const problems: string[] = [];
  for (const key of ["robot", "stage"])
    if (typeof s[key] !== "string" || (s[key] as string).trim() === "")
      problems.push(`${at}.${key} is required`);
  if (
    s.values !== undefined &&
    (typeof s.values !== "object" || s.values === null || Array.isArray(s.values))
  )
    problems.push(`${at}.values must be an object`);
  const expected = (s.expect as { returnValues?: unknown } | undefined)?.returnValues;
  if (s.expect !== undefined && (typeof s.expect !== "object" || s.expect === null))
    problems.push(`${at}.expect must be an object`);
  else if (expected !== undefined) {
    if (typeof expected !== "object" || expected === null)
      problems.push(`${at}.expect.returnValues must be an object`);
    else
      for (const [key, pattern] of Object.entries(expected)) {
        try {
          new RegExp(String(pattern));
        } catch {
          problems.push(`${at}.expect.returnValues.${key} is not a regular expression`);
        }
      }
  }
  return problems;
}

function defaultName(s: Record<string, unknown>): string {
  if (s.kind === "placement") return String(s.placement);
  if (s.kind === "robot") return `robot ${s.robot}`;
  if (s.kind === "field") return `field ${s.fieldType}`;
  if (s.kind === "event") return String(s.event);
  if (s.kind === "bot") return `bot ${s.bot}: ${s.message}`;
  return "app page";
}

/** What the matrix reads of the manifest when the app declares no scenarios. */
export interface ManifestOutline {
  placements?: Array<{ placement: string }>;
  bots?: Array<{ code: string }>;
  events?: Array<{ event: string } | string>;
  requires?: { methods?: string[]; features?: string[] };
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
