/**
 * Where a portal's installation of the app stands. Transitions are guarded
 * (`nextState`): an uninstalled tenant only comes back through a new install,
 * a duplicate ONAPPINSTALL is a no-op, a payment or a refreshed token brings a
 * tenant back to active.
 *
 *   installing ──finished──► active ──payment due──► payment_expired ──paid──► active
 *        │                     │  └────refresh token dead / access revoked──► blocked ──re-authorized──► active
 *        └─────────────────────┴──────────uninstalled / portal deleted──────► uninstalled ──install──► installing
 */
export type TenantState = "installing" | "active" | "payment_expired" | "blocked" | "uninstalled";

export type TenantTransition =
  | "install"
  | "finish"
  | "payment_due"
  | "paid"
  | "block"
  | "reauthorize"
  | "uninstall";

const TABLE: Record<TenantTransition, { from: ReadonlyArray<TenantState | undefined>; to: TenantState }> = {
  // A re-install over a live installation starts over too (new application_token, bindings gone).
  install: {
    from: [undefined, "installing", "active", "payment_expired", "blocked", "uninstalled"],
    to: "installing",
  },
  finish: { from: ["installing", "active"], to: "active" },
  payment_due: { from: ["active", "payment_expired", "installing"], to: "payment_expired" },
  paid: { from: ["payment_expired"], to: "active" },
  block: { from: ["active", "payment_expired", "installing", "blocked"], to: "blocked" },
  reauthorize: { from: ["blocked"], to: "active" },
  uninstall: {
    from: ["installing", "active", "payment_expired", "blocked", "uninstalled"],
    to: "uninstalled",
  },
};

/** The state after `transition`, or undefined when it does not apply from `current` (the caller ignores or reports it). */
export function nextState(
  current: TenantState | undefined,
  transition: TenantTransition,
): TenantState | undefined {
  const rule = TABLE[transition];
  return rule.from.includes(current) ? rule.to : undefined;
}

/** States in which the app may call the portal on the tenant's behalf. */
export function canCallPortal(state: TenantState | undefined): boolean {
  return state === "installing" || state === "active" || state === "payment_expired";
}
