// The four ways of reading every deal that bench/bulk-read.ts compares. Each reader yields the IDs
// it receives, one page (or one batch of pages) at a time, so the bench can change the portal
// between requests exactly as often for every method.
import { createB24Client, webhookAuth } from "@b24kit/rest";

export type Reader = (hook: string) => AsyncGenerator<number[]>;

const SELECT = ["ID", "TITLE", "STAGE_ID", "OPPORTUNITY"];
const PAGE = 50;

async function post(url: string, body: unknown): Promise<any> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as any;
  if (!res.ok || json.error) throw new Error(`${url}: ${res.status} ${JSON.stringify(json).slice(0, 200)}`);
  return json;
}

const ids = (rows: Array<{ ID: string }>) => rows.map((r) => Number(r.ID));

/** b24kit: keyset pages chained 50 to a batch through `$result` references. */
export const fastList: Reader = async function* (hook) {
  const client = createB24Client({ auth: webhookAuth(hook) });
  let chunk: number[] = [];
  for await (const row of client.fastList<{ ID: string }>("crm.deal.list", { select: SELECT })) {
    chunk.push(Number(row.ID));
    if (chunk.length === PAGE) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
};

/** The official SDK's list helper (keyset, one page per request). */
export const b24jssdk: Reader = async function* (hook) {
  const { B24Hook } = await import("@bitrix24/b24jssdk");
  // The SDK's own limiter would hold it to 2 req/s; loosen it like the portal's bucket.
  const sdk = B24Hook.fromWebhookUrl(hook, {
    restrictionParams: {
      rateLimit: { burstLimit: 1e6, drainRate: 1e6, adaptiveEnabled: false },
      adaptiveConfig: { enabled: false, thresholdPercent: 100, coefficient: 0, maxDelay: 0 },
    },
  } as never);
  for await (const page of sdk.actions.v2.fetchList.make({
    method: "crm.deal.list",
    params: { select: SELECT },
  })) {
    yield ids(page as Array<{ ID: string }>);
  }
};

/** 50 offset pages (`start=k·50`) inside one batch: also ceil(N/2,500) requests. */
export const batchedOffset: Reader = async function* (hook) {
  const select = SELECT.map((f) => `select[]=${f}`).join("&");
  let page = 0;
  let pages = Number.POSITIVE_INFINITY;
  while (page < pages) {
    const cmd: Record<string, string> = {};
    for (let k = page; k < Math.min(page + PAGE, pages); k++)
      cmd[`p${k}`] = `crm.deal.list?order[ID]=ASC&${select}&start=${k * PAGE}`;
    const answer = await post(`${hook}batch`, { halt: 0, cmd });
    const result = answer.result;
    for (const name of Object.keys(cmd)) {
      const total = Number(result.result_total?.[name]);
      if (Number.isFinite(total)) pages = Math.min(pages, Math.ceil(total / PAGE));
      const rows = (result.result?.[name] ?? []) as Array<{ ID: string }>;
      if (rows.length) yield ids(rows);
      if (rows.length < PAGE || result.result_next?.[name] === undefined) pages = Math.min(pages, page + 1);
      page += 1;
      if (page >= pages) break;
    }
  }
};

/** The baseline: one offset page per request, following `next`. */
export const offsetLoop: Reader = async function* (hook) {
  let start: number | undefined = 0;
  while (start !== undefined) {
    const answer = await post(`${hook}crm.deal.list`, { select: SELECT, order: { ID: "ASC" }, start });
    yield ids(answer.result);
    start = answer.next;
  }
};

export const READERS: Record<string, Reader> = { fastList, b24jssdk, batchedOffset, offsetLoop };
