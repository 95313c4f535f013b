import type { EmulatorHandle } from "@b24kit/emulator";
import type { InstalledApp, PortalInfo } from "@b24kit/emulator/testing";
import type { RestReply } from "../helpers.js";
import type { Shape } from "./shape.js";

type Params = Record<string, unknown>;

/**
 * Who makes a call: the admin's incoming webhook (default), an app installed
 * with these scopes (OAuth, `auth` parameter), or a webhook of a non-admin
 * user with these scopes.
 */
export type Caller = "admin" | { app: string[] } | { user: string[] };

/** What a fixture's functions get: a fresh portal of its own and ways to call it. */
export interface PageContext {
  emu: EmulatorHandle;
  portal: PortalInfo;
  /** Calls the classic API (`/rest/…/{method}`, JSON body) as `as` (default the admin's webhook). */
  call(method: string, params?: Params, as?: Caller): Promise<RestReply>;
  /** Calls REST 3.0 (`/rest/api/…/{method}`, JSON body) as `as`. */
  callV3(method: string, params?: Params, as?: Caller): Promise<RestReply>;
  /** The app installed for `{ app: scopes }` callers (installed once per scope set). */
  app(scopes: string[]): Promise<InstalledApp>;
  /** Whatever `setup` left for the calls (ids of records it made, …). */
  vars: Record<string, unknown>;
}

type ParamsOf = Params | ((ctx: PageContext) => Params);

/** A call made the way the page's example makes it, and the shape its answer must have. */
export interface DocumentedCall {
  /** What this example shows, when a page has several. */
  title?: string;
  as?: Caller;
  params: ParamsOf;
  /** The example response's `result`: its keys and value types (see shape.ts). */
  result: Shape;
  /** Other top-level keys of the example response besides `result` and `time` (`total`, `next`). */
  envelope?: Record<string, Shape>;
  /** Values the page states for this call (beyond the shape): throws (expect) when the answer differs. */
  check?: (result: any, ctx: PageContext) => void | Promise<void>;
}

/** An error the page documents, and how to provoke it. */
export interface DocumentedError {
  /** The situation, as the page's error table describes it. */
  when: string;
  status: number;
  /** The `error` code; for REST 3.0 the `error.code`. */
  error: string;
  /** Part of `error_description` (REST 3.0: `error.message`) when the page gives the text. */
  description?: string;
  as?: Caller;
  params: ParamsOf;
}

/** One documentation page's facts about one method — the fixture a conformance test replays. */
export interface MethodPage {
  method: string;
  /** The page's path in bitrix24/b24restdocs (the method catalogue's page for this method). */
  page: string;
  /** REST 3.0 (`/rest/api/`) rather than the classic API. */
  v3?: boolean;
  /** The page's `Scope:` line. */
  scope: string;
  /**
   * The page's top-level parameters. `required: true` ones are checked by
   * leaving each out of the first example call: the portal must refuse it.
   */
  parameters: Array<{
    name: string;
    required?: boolean;
    /**
     * Why the emulator answers (200) without this required parameter, when the
     * page documents no error for it and real portals are known to accept it.
     */
    acceptedWithout?: string;
  }>;
  /** Prepares the portal (records the examples refer to), storing ids in `ctx.vars`. */
  setup?: (ctx: PageContext) => Promise<void>;
  calls: DocumentedCall[];
  errors?: DocumentedError[];
}
