import { type EventRequestOptions, eventRequest } from "./event-requests.js";

export interface InstallEventOptions extends Omit<EventRequestOptions, "event"> {
  /** `data[VERSION]`: the app version installed (default "1"). */
  version?: string;
  /** `data[LANGUAGE_ID]` (default "en"). */
  languageId?: string;
}

/**
 * ONAPPINSTALL as the portal sends it (docs/protocol.md §2.4): the
 * installing admin's tokens in `auth`, and `data[VERSION]`, `data[ACTIVE]`,
 * `data[INSTALLED]`, `data[LANGUAGE_ID]`. To `b24/events` (a bound handler);
 * a headless app gets it at `path: "b24/install"`. The runtime redeems the
 * refresh token at its OAuth server for a portal it does not know, so only
 * real tokens (the emulator's, e.g.) make an accepted install.
 */
export function installEventRequest(options: InstallEventOptions): Request {
  const { version, languageId, ...rest } = options;
  return eventRequest({
    ...rest,
    event: "ONAPPINSTALL",
    data: {
      VERSION: version ?? "1",
      ACTIVE: "Y",
      INSTALLED: "Y",
      LANGUAGE_ID: languageId ?? "en",
      ...options.data,
    },
  });
}

export interface UninstallEventOptions extends Omit<EventRequestOptions, "event" | "withTokens"> {
  /** `data[CLEAN]`: the admin asked to delete the app's data too (default false). */
  clean?: boolean;
  /** `data[LANGUAGE_ID]` (default "en"). */
  languageId?: string;
}

/**
 * ONAPPUNINSTALL as the portal sends it (docs/protocol.md §2.6): `data[CLEAN]` 1 or 0 and an
 * `auth` block without tokens — the portal's address and the application_token,
 * the only proof the event carries.
 */
export function uninstallEventRequest(options: UninstallEventOptions): Request {
  const { clean, languageId, ...rest } = options;
  return eventRequest({
    ...rest,
    event: "ONAPPUNINSTALL",
    withTokens: false,
    data: { LANGUAGE_ID: languageId ?? "en", CLEAN: clean ? "1" : "0", ...options.data },
    auth: { scope: null, status: null, ...options.auth },
  });
}
