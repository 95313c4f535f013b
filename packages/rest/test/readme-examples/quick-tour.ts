import { createB24Client, typedMethods, webhookAuth } from "@b24kit/rest";

const b24 = createB24Client({ auth: webhookAuth(process.env.B24_WEBHOOK_URL!) });
const fields = { TITLE: "New deal", STAGE_ID: "NEW" };
const { result: id } = await b24.call<number>("crm.deal.add", { fields });
const { result: deal } = await b24.call<{ TITLE: string }>("crm.deal.get", { id });
console.log(`Deal ${id}: ${deal.TITLE}`);
// Every new deal, 2,500 per request.
for await (const row of b24.fastList("crm.deal.list", { filter: { STAGE_ID: "NEW" } })) {
  console.log(row.ID, row.TITLE);
}
const api = typedMethods(b24);
await api.crm.deal.update(id, { TITLE: "Renamed" });
