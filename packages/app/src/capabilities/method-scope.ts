/**
 * Which scope a method needs, by name. `method.get` says whether a method
 * exists and may be called, not which scope it wants, so the hint "reinstall
 * with scope X" needs this table. Built from the scope line of every method
 * page in bitrix24/b24restdocs (api-reference/**: "> Scope: crm"); where a
 * namespace mixes scopes, the longer prefix wins.
 */
const SCOPE_BY_PREFIX: ReadonlyArray<readonly [prefix: string, scope: string]> = [
  ["ai.", "ai_admin"],
  ["biconnector.", "biconnector"],
  ["bizproc.", "bizproc"],
  ["booking.", "booking"],
  ["calendar.", "calendar"],
  ["catalog.", "catalog"],
  ["crm.", "crm"],
  ["ctrigger.", "crm"],
  ["department.", "department"],
  ["disk.", "disk"],
  ["documentgenerator.", "documentgenerator"],
  ["entity.", "entity"],
  ["humanresources.hcmlink.", "humanresources.hcmlink"],
  ["im.", "im"],
  ["imbot.", "imbot"],
  ["imconnector.chat.name.set", "imconnector"],
  ["imconnector.", "imopenlines"],
  ["imopenlines.", "imopenlines"],
  ["landing.", "landing"],
  ["lists.", "lists"],
  ["log.", "log"],
  ["mailservice.", "mailservice"],
  ["messageservice.", "messageservice"],
  ["placement.", "placement"],
  ["userfieldtype.", "placement"],
  ["rpa.", "rpa"],
  ["sale.cashbox.", "cashbox"],
  ["sale.delivery.", "delivery"],
  ["sale.paysystem.", "pay_system"],
  ["sale.", "sale"],
  ["salescenter.", "salescenter"],
  ["sign.b2e.", "sign.b2e"],
  ["socialnetwork.", "socialnetwork"],
  ["sonet_group.", "sonet"],
  ["task.", "task"],
  ["tasks.", "task"],
  ["telephony.", "telephony"],
  ["voximplant.", "telephony"],
  ["timeman.", "timeman"],
  ["user.access", "basic"],
  ["user.admin", "basic"],
  ["user.option.", "basic"],
  ["user.userfield.", "user.userfield"],
  ["user.", "user"],
  ["userconsent.", "userconsent"],
  ["userfieldconfig.", "userfieldconfig"],
  ["vote.", "vote"],
  // Methods every app may call (api-reference/common/**).
  ["access.name", "basic"],
  ["app.", "basic"],
  ["event.", "basic"],
  ["events", "basic"],
  ["feature.get", "basic"],
  ["method.get", "basic"],
  ["methods", "basic"],
  ["profile", "basic"],
  ["scope", "basic"],
  ["server.time", "basic"],
];

/** The scope `method` needs, or undefined for a namespace the table does not know. */
export function scopeForMethod(method: string): string | undefined {
  const name = method.toLowerCase();
  let best: readonly [string, string] | undefined;
  for (const entry of SCOPE_BY_PREFIX) {
    const prefix = entry[0];
    const matches = prefix.endsWith(".")
      ? name.startsWith(prefix)
      : name === prefix || name.startsWith(`${prefix}.`);
    if (matches && (!best || prefix.length > best[0].length)) best = entry;
  }
  return best?.[1];
}

/**
 * Scopes whose methods belong to a Bitrix24 module (or tool) a portal can lack
 * or switch off, with the name people see in the portal. A method of one of
 * these that does not exist means the module is off; any other missing method
 * is unknown to the portal.
 */
const MODULE_OF_SCOPE: Readonly<Record<string, string>> = {
  bizproc: "Workflows",
  booking: "Booking",
  calendar: "Calendar",
  cashbox: "Online store",
  catalog: "Product catalog",
  crm: "CRM",
  delivery: "Online store",
  disk: "Drive",
  documentgenerator: "Document generator",
  im: "Messenger",
  imbot: "Messenger",
  imconnector: "Open Channels",
  imopenlines: "Open Channels",
  landing: "Sites",
  lists: "Lists",
  log: "Feed",
  pay_system: "Online store",
  rpa: "RPA",
  sale: "Online store",
  salescenter: "Sales Center",
  "sign.b2e": "Sign",
  socialnetwork: "Workgroups",
  sonet: "Workgroups",
  task: "Tasks",
  telephony: "Telephony",
  timeman: "Time and reports",
  vote: "Polls",
  biconnector: "BI Builder",
};

/** The module a scope's methods need (its display name), when the scope is a module's. */
export function moduleForScope(scope: string | undefined): string | undefined {
  return scope === undefined ? undefined : MODULE_OF_SCOPE[scope];
}

/** What a scope lets an app reach, in the words of the portal's install dialog. */
const SCOPE_LABEL: Readonly<Record<string, string>> = {
  crm: "CRM",
  task: "Tasks",
  disk: "Drive",
  im: "Messenger",
  imbot: "Chat bots",
  imopenlines: "Open Channels",
  user: "Users",
  user_basic: "Users (basic)",
  user_brief: "Users (brief)",
  "user.userfield": "User fields",
  placement: "Widgets (embedding)",
  department: "Company structure",
  calendar: "Calendar",
  bizproc: "Workflows",
  lists: "Lists",
  telephony: "Telephony",
  entity: "Data storage",
  timeman: "Time and reports",
  sale: "Online store",
  catalog: "Product catalog",
  landing: "Sites",
  sonet: "Workgroups",
  socialnetwork: "Workgroups",
};

export function scopeLabel(scope: string): string {
  return SCOPE_LABEL[scope] ?? scope;
}
