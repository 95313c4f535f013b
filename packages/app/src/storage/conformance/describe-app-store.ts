import type { TestApi } from "@b24kit/rest/testing";
import { auditChecks } from "./audit-checks.js";
import type { AppStoreFactory } from "./conformance-kit.js";
import { consoleChecks } from "./console-checks.js";
import { eventMatchChecks } from "./event-match-checks.js";
import { isolationChecks } from "./isolation-checks.js";
import { kvChecks } from "./kv-checks.js";
import { tenantChecks } from "./tenant-checks.js";
import { tokenChecks } from "./token-checks.js";

/**
 * What every AppStore adapter must do (`storage/app-store.ts`), as one suite:
 * every method, tenant isolation for each of them, compare-and-swap races,
 * guarded updates, purge, audit filters and retention, and what
 * the operator console reads (audit search, per-tenant counts, metric samples), and the
 * matching of an event's online and offline copies. `make` returns a new,
 * empty store for each check; pass `{ describe, it }` of your test framework.
 */
export function describeAppStore(name: string, make: AppStoreFactory, t: TestApi): void {
  t.describe(`AppStore conformance: ${name}`, () => {
    tenantChecks(make, t);
    tokenChecks(make, t);
    kvChecks(make, t);
    auditChecks(make, t);
    isolationChecks(make, t);
    consoleChecks(make, t);
    eventMatchChecks(make, t);
  });
}
