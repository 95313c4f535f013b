import { z } from "zod";

/** Bot colours for the mobile app (chat-bots/outdated/bots/imbot-register.md, PROPERTIES.COLOR). */
export const BOT_COLORS = [
  "RED",
  "GREEN",
  "MINT",
  "LIGHT_BLUE",
  "DARK_BLUE",
  "PURPLE",
  "AQUA",
  "PINK",
  "LIME",
  "BROWN",
  "AZURE",
  "KHAKI",
  "SAND",
  "MARENGO",
  "GRAY",
  "GRAPHITE",
] as const;

/**
 * `rest_<app id>_` takes up to 14 of the 50 characters of a type's full code with an
 * app id of up to 8 digits (userfieldtype-add.md, USER_TYPE_ID).
 */
export const MAX_FIELD_TYPE_CODE = 36;

/** An app may register at most 5 classic bots (imbot-register.md, MAX_COUNT_ERROR). */
export const MAX_BOTS = 5;
/** …and at most 100 Chatbots 2.0 bots (chat-bots-v2/index.md, limits). */
export const MAX_V2_BOTS = 100;

/**
 * A classic chat bot (docs/protocol.md §12.1, imbot.register): what the portal's
 * `imbot.register` takes besides the handler URL, which the runtime supplies.
 */
const botSchema = z
  .object({
    /** CODE, unique on the portal; events name it as BOT_CODE and handler sets are keyed by it. */
    code: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, "a bot code is letters, digits, _ or - (it keys the bot's handlers)"),
    /**
     * Which bot API registers it: `classic` (imbot.register, the default) or `v2` (Chatbots 2.0,
     * imbot.v2.Bot.register; chat-bots-v2/migration.md). The handlers are the same on both.
     */
    api: z.enum(["classic", "v2"], { error: "a bot's api is classic or v2" }).default("classic"),
    /**
     * classic: B standard (default), S supervisor (reads every message of its chats), O open lines,
     * H "human" (typing first). v2: bot (default), supervisor, personal, openline (chat-bots-v2/index.md).
     */
    type: z
      .enum(["B", "S", "O", "H", "bot", "supervisor", "personal", "openline"], {
        error: "a bot type is B, S, O or H (classic) or bot, supervisor, personal or openline (v2)",
      })
      .optional(),
    /** PROPERTIES.NAME */
    name: z.string({ error: "a bot needs a name" }).trim().min(1, "a bot needs a name"),
    /** PROPERTIES.LAST_NAME */
    lastName: z.string().optional(),
    /** PROPERTIES.COLOR */
    color: z.enum(BOT_COLORS, { error: `a bot colour is one of ${BOT_COLORS.join(", ")}` }).optional(),
    /** PROPERTIES.WORK_POSITION: shown under the bot's name. */
    workPosition: z.string().optional(),
    /** OPENLINE=Y: the bot works in open lines (forced for type O); v2: isSupportOpenline. */
    openline: z.boolean().optional(),
  })
  .superRefine((bot, ctx) => {
    const v2Type = bot.type !== undefined && bot.type === bot.type.toLowerCase();
    if (bot.type !== undefined && v2Type !== (bot.api === "v2"))
      ctx.addIssue({
        code: "custom",
        path: ["type"],
        message:
          bot.api === "v2"
            ? "a v2 bot's type is bot, supervisor, personal or openline"
            : "a classic bot's type is B, S, O or H (bot, supervisor, … are v2 types: set api: v2)",
      });
  });

/** A robot's input or output property (bizproc-robot-add.md, "PROPERTY"). */
const robotPropertySchema = z.object({
  name: z.string().trim().min(1, "a robot property needs a name"),
  description: z.string().optional(),
  type: z
    .enum(["bool", "date", "datetime", "double", "file", "int", "select", "string", "text", "user"], {
      error: "a property type is bool, date, datetime, double, file, int, select, string, text or user",
    })
    .default("string"),
  /** For `select`: value → title. */
  options: z.record(z.string(), z.string()).optional(),
  required: z.boolean().optional(),
  multiple: z.boolean().optional(),
  default: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]).optional(),
});

const propertyMap = z
  .record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "a property code starts with a letter: letters, digits, _"),
    robotPropertySchema,
  )
  .default({});

/**
 * An automation robot (api-reference/bizproc/bizproc-robot/bizproc-robot-add.md): a step an
 * admin places on a CRM stage; the portal POSTs the runtime's robot URL when a record enters it.
 */
const robotSchema = z.object({
  /** CODE, unique within the app; handler sets are keyed by it. */
  code: z.string().regex(/^[A-Za-z0-9._-]+$/, "a robot code is letters, digits, . _ or -"),
  name: z.string().trim().min(1, "a robot needs a name"),
  description: z.string().optional(),
  properties: propertyMap,
  /** What the handler answers with (bizproc.event.send RETURN_VALUES): usable by later steps. */
  returnProperties: propertyMap,
  /** Wait for the handler's answer (USE_SUBSCRIPTION=Y, the default) or go on at once. */
  waitForAnswer: z.boolean().default(true),
  /** The CRM records it is offered for (FILTER); all of the portal's by default. */
  documents: z.array(z.enum(["deal", "lead", "contact", "company"])).optional(),
  /** The user whose token the portal's POST carries (AUTH_USER_ID). */
  authUserId: z.number().int().positive().optional(),
});

/**
 * A custom field type (api-reference/widgets/user-field/userfieldtype-add.md): CRM cards render
 * fields of this type in the app's USERFIELD_TYPE frame, in view and in edit mode.
 */
const fieldTypeSchema = z.object({
  /** USER_TYPE_ID: a-z, 0-9 and _; the portal names the type `rest_<app id>_<code>` (at most 50 characters). */
  code: z
    .string()
    .regex(/^[a-z0-9_]+$/, "a field type code is a-z, 0-9 and _ (the portal's USER_TYPE_ID)")
    .max(MAX_FIELD_TYPE_CODE, `a field type code is at most ${MAX_FIELD_TYPE_CODE} characters`),
  /** TITLE: what an admin picks when adding a field. */
  title: z.string().trim().min(1, "a field type needs a title"),
  description: z.string().optional(),
  /** OPTIONS.height in px; the portal's standard height when absent. */
  height: z.number().int().positive().optional(),
});

/**
 * What an app is, declared once: the runtime applies it on install and on
 * update (binds what is missing, unbinds what is gone, then installFinish) and
 * probes each portal against its requirements.
 */
export const appManifestSchema = z.object({
  /** Change it whenever the bindings change: a portal whose applied version differs is re-applied. */
  version: z.string().min(1),
  scopes: z.array(z.string().min(1)).min(1),
  placements: z
    .array(
      z.object({
        /** The placement code (api-reference/widgets/placements.md), e.g. CRM_DEAL_DETAIL_TAB. */
        placement: z.string().regex(/^[A-Z0-9_]+$/, "placement codes are UPPER_SNAKE"),
        title: z.string().min(1).max(255),
        description: z.string().optional(),
        /** Extra placement.bind parameters (OPTIONS, LANG_ALL, GROUP_NAME, …). */
        bind: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .default([]),
  events: z
    .array(
      z.object({
        event: z.string().regex(/^[A-Za-z0-9_]+$/),
        /** Also bind the offline flavour where the plan allows (part 2's reconciliation reads it). */
        offline: z.boolean().optional(),
      }),
    )
    .default([]),
  /** Chat bots registered on every portal (docs/protocol.md §12.1); their events all go to the runtime's events URL. */
  bots: z
    .array(botSchema)
    .default([])
    .superRefine((bots, ctx) => {
      const classic = bots.filter((bot) => bot.api === "classic").length;
      if (classic > MAX_BOTS)
        ctx.addIssue({
          code: "custom",
          message: `an app can register at most ${MAX_BOTS} classic bots on a portal`,
        });
      if (bots.length - classic > MAX_V2_BOTS)
        ctx.addIssue({ code: "custom", message: `an app can register at most ${MAX_V2_BOTS} v2 bots` });
      const seen = new Set<string>();
      bots.forEach((bot, index) => {
        if (seen.has(bot.code))
          ctx.addIssue({
            code: "custom",
            path: [index, "code"],
            message: `bot ${bot.code} is declared twice`,
          });
        seen.add(bot.code);
      });
    }),
  /** Automation robots registered on every portal (bizproc.robot.add); their POSTs go to the runtime's robot URL. */
  robots: z
    .array(robotSchema)
    .default([])
    .superRefine((robots, ctx) => {
      const seen = new Set<string>();
      robots.forEach((robot, index) => {
        if (seen.has(robot.code))
          ctx.addIssue({
            code: "custom",
            path: [index, "code"],
            message: `robot ${robot.code} is declared twice`,
          });
        seen.add(robot.code);
      });
    }),
  /** Custom field types registered on every portal (userfieldtype.add); each renders at its own frame URL. */
  fieldTypes: z
    .array(fieldTypeSchema)
    .default([])
    .superRefine((types, ctx) => {
      const seen = new Set<string>();
      types.forEach((type, index) => {
        if (seen.has(type.code))
          ctx.addIssue({
            code: "custom",
            path: [index, "code"],
            message: `field type ${type.code} is declared twice`,
          });
        seen.add(type.code);
      });
    }),
  /** Methods and features the app cannot work without / uses when present (capability probe). */
  requires: z
    .object({ methods: z.array(z.string()).default([]), features: z.array(z.string()).default([]) })
    .default({ methods: [], features: [] }),
  optional: z
    .object({ methods: z.array(z.string()).default([]), features: z.array(z.string()).default([]) })
    .default({ methods: [], features: [] }),
});

export type AppManifestInput = z.input<typeof appManifestSchema>;
export type AppManifest = z.output<typeof appManifestSchema>;
/** One of the manifest's bots, as parsed. */
export type ManifestBot = AppManifest["bots"][number];
/** One of the manifest's field types, as parsed. */
export type ManifestFieldType = AppManifest["fieldTypes"][number];
/** One of the manifest's robots, as parsed. */
export type ManifestRobot = AppManifest["robots"][number];

export function parseManifest(input: AppManifestInput): AppManifest {
  const parsed = appManifestSchema.safeParse(input);
  if (parsed.success) {
    const seen = new Set<string>();
    for (const p of parsed.data.placements) {
      if (seen.has(p.placement))
        throw new Error(`Invalid app manifest: placement ${p.placement} is declared twice`);
      seen.add(p.placement);
    }
    if (parsed.data.bots.length > 0 && !parsed.data.scopes.includes("imbot"))
      throw new Error("Invalid app manifest: bots need the imbot scope in scopes");
    if (parsed.data.robots.length > 0 && !parsed.data.scopes.includes("bizproc"))
      throw new Error("Invalid app manifest: robots need the bizproc scope in scopes");
    if (parsed.data.fieldTypes.length > 0 && !parsed.data.scopes.includes("placement"))
      throw new Error("Invalid app manifest: field types need the placement scope in scopes");
    return parsed.data;
  }
  const problems = parsed.error.issues.map(
    (issue) => `  ${issue.path.join(".") || "(manifest)"}: ${issue.message}`,
  );
  throw new Error(`Invalid app manifest:\n${problems.join("\n")}`);
}
