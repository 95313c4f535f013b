import type { AppStore } from "../storage/app-store.js";

/** What the runtime keeps per tenant about its offline-event queue (in the tenant's kv rows). */
export interface OfflineState {
  /** The auth_connector the offline bindings were made with (none on plans without `rest_auth_connector`). */
  connector?: string;
  /** A reservation read but not yet cleared (a crash in between: the next drain finishes it). */
  processId?: string;
}

const KEY = "b24kit:offline";

export async function readOfflineState(store: AppStore, memberId: string): Promise<OfflineState | undefined> {
  const text = await store.tenant(memberId).kv.get(KEY);
  return text ? (JSON.parse(text) as OfflineState) : undefined;
}

export async function writeOfflineState(
  store: AppStore,
  memberId: string,
  state: OfflineState,
): Promise<void> {
  await store.tenant(memberId).kv.set(KEY, JSON.stringify(state));
}
