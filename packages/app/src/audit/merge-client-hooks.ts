import type { ClientHooks } from "@b24kit/rest";

type HookName = keyof ClientHooks;
const HOOK_NAMES: HookName[] = [
  "onAudit",
  "onRateLimit",
  "onRetry",
  "onRenewal",
  "onPortalState",
  "onDomainMoved",
];

/**
 * One set of client hooks that calls each given set in order (audit hooks,
 * the tenant state machine's onPortalState, metrics). A hook that throws does
 * not keep the ones after it from running.
 */
export function mergeClientHooks(...sets: ReadonlyArray<ClientHooks | undefined>): ClientHooks {
  const merged: Record<string, (event: never) => void> = {};
  for (const name of HOOK_NAMES) {
    const hooks = sets.map((set) => set?.[name]).filter((h) => h !== undefined) as Array<
      (event: never) => void
    >;
    if (hooks.length === 0) continue;
    merged[name] = (event: never) => {
      for (const hook of hooks) {
        try {
          hook(event);
        } catch {
          // Same rule as the client's own notify(): a broken hook breaks nothing else.
        }
      }
    };
  }
  return merged as ClientHooks;
}
