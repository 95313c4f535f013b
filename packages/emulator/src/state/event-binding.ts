/** One `event.bind` row (docs/protocol.md §7.2): (app, event, handler, auth_type[, connector]). */
export interface EventBinding {
  id: number;
  event: string;
  /** Empty for offline bindings. */
  handler: string;
  /** User whose token goes with the event; 0 = the user who triggered it. */
  authType: number;
  eventType: "online" | "offline";
  authConnector?: string;
  options: Record<string, unknown>;
  /** Consecutive failed deliveries (strict mode unbinds at 3). */
  consecutiveFailures: number;
}
