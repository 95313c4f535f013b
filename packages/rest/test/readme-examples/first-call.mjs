import { createB24Client, webhookAuth } from "@b24kit/rest";

// The webhook's URL holds its secret: it comes from the environment, never from the code.
const b24 = createB24Client({ auth: webhookAuth(process.env.B24_WEBHOOK_URL) });
const { result: me } = await b24.call("profile");
console.log(`Hello, ${me.NAME} ${me.LAST_NAME} (user ${me.ID})`);
const { result: dealId } = await b24.call("crm.deal.add", { fields: { TITLE: "My first deal" } });
console.log(`Deal ${dealId} created`);
