import type { Kysely } from "kysely";
import type { AdminStore } from "./app-store.js";
import type { AppDatabase } from "./database-schema.js";
import { appendAuditBatch, auditActivity, pruneAudit, queryAudit } from "./kysely-audit.js";
import { pruneEventMatches } from "./kysely-event-matches.js";
import { appendMetricSample, pruneMetricSamples, queryMetricSamples } from "./kysely-metric-samples.js";
import { tenantFromRow } from "./row-mapping.js";

/** Operator views across tenants: the console, `b24kit logs` without a tenant, retention. */
export function kyselyAdminStore(db: Kysely<AppDatabase>): AdminStore {
  return {
    async tenants(filter = {}) {
      let query = db.selectFrom("b24kit_tenants").selectAll();
      if (filter.states?.length) query = query.where("state", "in", filter.states);
      const rows = await query.orderBy("member_id").execute();
      return rows.map(tenantFromRow);
    },
    audit: (filter) => queryAudit(db, undefined, filter),
    auditActivity: (filter) => auditActivity(db, filter),
    pruneAudit: (before) => pruneAudit(db, before),
    appendAudit: (entries) => appendAuditBatch(db, entries),
    appendMetricSample: (sample) => appendMetricSample(db, sample),
    metricSamples: (filter) => queryMetricSamples(db, filter),
    pruneMetricSamples: (before) => pruneMetricSamples(db, before),
    pruneEventMatches: (cutoffs) => pruneEventMatches(db, cutoffs),
  };
}
