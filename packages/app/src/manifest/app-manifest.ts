import { z } from "zod";

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

export function parseManifest(input: AppManifestInput): AppManifest {
  const parsed = appManifestSchema.safeParse(input);
  if (parsed.success) {
    const seen = new Set<string>();
    for (const p of parsed.data.placements) {
      if (seen.has(p.placement))
        throw new Error(`Invalid app manifest: placement ${p.placement} is declared twice`);
      seen.add(p.placement);
    }
    return parsed.data;
  }
  const problems = parsed.error.issues.map(
    (issue) => `  ${issue.path.join(".") || "(manifest)"}: ${issue.message}`,
  );
  throw new Error(`Invalid app manifest:\n${problems.join("\n")}`);
}
