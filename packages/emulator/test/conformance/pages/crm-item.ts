import type { MethodPage, PageContext } from "../page-fixture.js";
import type { Shape } from "../shape.js";
import { denyType, FM_ENTRY, field, keys, MISSING_ID, made, RESTRICTED } from "./crm-common.js";

/**
 * crm.item.* (api-reference/crm/universal/). The pages' smart-process examples use
 * entityTypeId 1268, a type of the example portal; the emulator's portal has smart
 * process 1038, so the fixtures use that one.
 */

const SMART_PROCESS = 1038;
const NO_SUCH_TYPE = 777;

const UTM = keys("utmSource utmMedium utmCampaign utmContent utmTerm", "string|null");

/** crm-item-get.md's example: a lead as crm.item prints it. */
const LEAD_ITEM: Record<string, Shape> = {
  id: "number",
  createdTime: "datetime",
  dateCreateShort: "null",
  updatedTime: "datetime",
  dateModifyShort: "null",
  createdBy: "number",
  updatedBy: "number",
  assignedById: "number",
  opened: "Y/N",
  // No company or contact: 0, not null.
  companyId: "number",
  contactId: "number",
  stageId: "string",
  isConvert: "null",
  statusDescription: "string|null",
  stageSemanticId: "string",
  productId: "null",
  opportunity: "number",
  currencyId: "string",
  sourceId: "string",
  sourceDescription: "string",
  title: "string",
  name: "string",
  lastName: "string",
  secondName: "string",
  shortName: "null",
  companyTitle: "string",
  post: "string",
  address: "null",
  comments: "string",
  webformId: "number",
  originatorId: "string|null",
  originId: "string|null",
  dateClosed: "datetime|null",
  birthdate: "datetime",
  honorific: "string",
  hasPhone: "Y/N",
  hasEmail: "Y/N",
  hasImol: "Y/N",
  login: "null",
  isReturnCustomer: "Y/N",
  searchContent: "string",
  isManualOpportunity: "Y/N",
  movedBy: "number",
  movedTime: "datetime",
  lastActivityBy: "number",
  lastActivityTime: "datetime",
  ...keys("phoneMobile phoneWork phoneMailing emailHome emailWork emailMailing", "string"),
  skype: "string|null",
  icq: "string|null",
  imol: "string",
  email: "string",
  phone: "string",
  fm: [FM_ENTRY],
  // The example portal's user field (setup writes it) and its relations to smart processes (none here).
  ufCrm_1720019876534: "string",
  ...keys(
    `parentId1222? parentId1226? parentId1228? parentId1236? parentId1238? parentId1240? parentId1244?
     parentId1246? parentId1254? parentId1256?`,
    "number|null",
  ),
  ...UTM,
  observers: ["number"],
  contactIds: ["number"],
  entityTypeId: "number",
};

/** crm-item-add.md's example: a deal as crm.item prints it. */
const DEAL_ITEM: Record<string, Shape> = {
  id: "number",
  createdTime: "datetime",
  dateCreateShort: "null",
  updatedTime: "datetime",
  dateModifyShort: "null",
  createdBy: "number",
  updatedBy: "number",
  assignedById: "number",
  opened: "Y/N",
  leadId: "number",
  companyId: "number",
  contactId: "number",
  quoteId: "number",
  title: "string",
  productId: "null",
  categoryId: "number",
  stageId: "string",
  stageSemanticId: "string",
  isNew: "Y/N",
  isRecurring: "Y/N",
  isReturnCustomer: "Y/N",
  isRepeatedApproach: "Y/N",
  closed: "Y/N",
  typeId: "string",
  opportunity: "number",
  isManualOpportunity: "Y/N",
  taxValue: "number",
  currencyId: "string",
  probability: "number",
  comments: "string",
  begindate: "datetime",
  begindateShort: "null",
  closedate: "datetime",
  closedateShort: "null",
  eventDate: "null",
  eventDateShort: "null",
  eventId: "null",
  eventDescription: "null",
  locationId: "string|null",
  // null in crm-item-add.md's example, 0 in crm-item-update.md's.
  webformId: "number|null",
  sourceId: "string",
  sourceDescription: "string",
  originatorId: "string|null",
  originId: "string|null",
  additionalInfo: "string",
  // null in crm-item-add.md's example, a string in crm-item-update.md's and crm-item-get.md's.
  searchContent: "string|null",
  orderStage: "null",
  movedBy: "number",
  movedTime: "datetime",
  lastActivityBy: "number",
  lastActivityTime: "datetime",
  ...keys("isWork isWon isLose receivedAmount lostAmount hasProducts", "null"),
  // The example portal's user field and relation to smart process 1220; the calls write both.
  ufCrm_1721244707107: "number",
  parentId1220: "number",
  ...UTM,
  utmSource: "string",
  observers: ["number"],
  contactIds: ["number"],
  entityTypeId: "number",
};

/** crm-item-update.md's example: a deal without company, contact, lead, estimate or probability. */
const UPDATED_DEAL_ITEM: Record<string, Shape> = {
  ...DEAL_ITEM,
  leadId: "number|null",
  quoteId: "number|null",
  probability: "number|null",
  utmMedium: "string|null",
};

/** A crm.item.fields description: the field description plus `upperName`. */
const itemField = (extra: Record<string, Shape> = {}) => field({ ...extra, upperName: "string" });
const STAGE = itemField({ statusType: "string" });

/** crm-item-fields.md's example: a smart process's fields. */
const SMART_PROCESS_FIELDS: Record<string, Shape> = {
  ...Object.fromEntries(
    `id title xmlId createdTime updatedTime createdBy updatedBy assignedById opened webformId begindate closedate
     contactIds contacts observers categoryId movedTime movedBy currencyId isManualOpportunity opportunity
     taxValue lastActivityBy lastActivityTime sourceDescription`
      .split(/\s+/)
      .map((k) => [k, itemField()]),
  ),
  companyId: itemField({ settings: { parentEntityTypeId: "number" } }),
  contactId: itemField({ isDeprecated: "boolean" }),
  stageId: STAGE,
  previousStageId: STAGE,
  sourceId: STAGE,
  mycompanyId: itemField({
    settings: { isMyCompany: "boolean", parentEntityTypeId: "number", isEmbeddedEditorEnabled: "boolean" },
  }),
  // The example portal's relations of its smart process (to leads, deals and another smart process).
  ...keys("parentId1? parentId2? parentId1248?", itemField({ settings: { parentEntityTypeId: "number" } })),
};

async function linkedRecords(ctx: PageContext): Promise<void> {
  ctx.vars.lead = await made(ctx, "crm.lead.add", { fields: { TITLE: "Source lead" } });
  ctx.vars.company = await made(ctx, "crm.company.add", { fields: { TITLE: "Client company" } });
  ctx.vars.contacts = [
    await made(ctx, "crm.contact.add", { fields: { NAME: "First" } }),
    await made(ctx, "crm.contact.add", { fields: { NAME: "Second" } }),
  ];
}

export const itemPages: MethodPage[] = [
  {
    method: "crm.item.add",
    page: "api-reference/crm/universal/crm-item-add.md",
    scope: "crm",
    parameters: [
      { name: "entityTypeId", required: true },
      { name: "fields", required: true },
      { name: "useOriginalUfNames" },
    ],
    async setup(ctx) {
      await linkedRecords(ctx);
      await denyType(ctx, 2);
    },
    calls: [
      {
        params: (ctx) => ({
          entityTypeId: 2,
          fields: {
            title: "New deal (specifically for REST method examples)",
            typeId: "SERVICE",
            categoryId: 9,
            stageId: "C9:UC_KN8KFI",
            isReccurring: "Y",
            probability: 50,
            currencyId: "EUR",
            isManualOpportunity: "Y",
            opportunity: 999.99,
            taxValue: 99.9,
            companyId: ctx.vars.company,
            contactId: (ctx.vars.contacts as number[])[0],
            contactIds: ctx.vars.contacts,
            quoteId: 7,
            begindate: "2024-06-18",
            closedate: "2024-07-30",
            opened: "N",
            comments: "commentsExample",
            assignedById: 1,
            sourceId: "WEB",
            sourceDescription: "There should be an additional description about the source",
            leadId: ctx.vars.lead,
            additionalInfo: "There should be additional information",
            observers: [1],
            utmSource: "google",
            utmMedium: "CPC",
            ufCrm_1721244707107: 1111.1,
            parentId1220: 2,
          },
        }),
        result: { item: { ...DEAL_ITEM, utmMedium: "string" } },
      },
    ],
    errors: [
      {
        when: "entityTypeId names no type",
        status: 400,
        error: "NOT_FOUND",
        description: "Smart process not found",
        params: { entityTypeId: NO_SUCH_TYPE, fields: { title: "x" } },
      },
      {
        when: "the user may not add items of the type",
        status: 400,
        error: "ACCESS_DENIED",
        description: "Access denied",
        as: RESTRICTED,
        params: { entityTypeId: 2, fields: { title: "x" } },
      },
      {
        when: "a multiple field gets a single value",
        status: 400,
        error: "100",
        description: "Expected iterable value for multiple field, but got integer instead",
        params: { entityTypeId: 2, fields: { title: "x", observers: 1 } },
      },
      // Not provoked: allowed_only_intranet_user (extranet users), CRM_FIELD_ERROR_VALUE_NOT_VALID (the
      // portal's per-field validation) and CREATE_DYNAMIC_ITEM_RESTRICTED (plan limits on smart processes).
    ],
  },
  {
    method: "crm.item.get",
    page: "api-reference/crm/universal/crm-item-get.md",
    scope: "crm",
    parameters: [
      { name: "entityTypeId", required: true },
      { name: "id", required: true },
      { name: "useOriginalUfNames" },
    ],
    async setup(ctx) {
      const added = await made(ctx, "crm.item.add", {
        entityTypeId: 1,
        fields: {
          title: "Lead #250",
          stageId: "IN_PROCESS",
          opportunity: 999.9,
          isManualOpportunity: "Y",
          currencyId: "USD",
          sourceId: "TRADE_SHOW",
          sourceDescription: "Exhibition about admins",
          name: "Admin",
          lastName: "Admins",
          secondName: "Admin",
          companyTitle: "Administrative Company",
          post: "Admin",
          comments: "[B]Comment about admin[/B]",
          birthdate: "2000-01-01",
          honorific: "UC_N1LWUS",
          fm: [
            { valueType: "WORK", value: "+6111111111", typeId: "PHONE" },
            { valueType: "WORK", value: "admin@example.com", typeId: "EMAIL" },
          ],
          ufCrm_1720019876534: "321",
        },
      });
      ctx.vars.id = added.item.id;
      await denyType(ctx, 1);
    },
    calls: [
      {
        params: (ctx) => ({ entityTypeId: 1, id: ctx.vars.id, useOriginalUfNames: "N" }),
        result: { item: LEAD_ITEM },
      },
    ],
    errors: [
      {
        when: "entityTypeId names no type",
        status: 400,
        error: "NOT_FOUND",
        params: { entityTypeId: NO_SUCH_TYPE, id: 1 },
      },
      {
        when: "no item of the type has the id",
        status: 400,
        error: "NOT_FOUND",
        description: "Item not found",
        params: { entityTypeId: 1, id: MISSING_ID },
      },
      {
        when: "the user may not read items of the type",
        status: 400,
        error: "ACCESS_DENIED",
        description: "You do not have permission to view this item",
        as: RESTRICTED,
        params: (ctx) => ({ entityTypeId: 1, id: ctx.vars.id }),
      },
      // Not provoked: allowed_only_intranet_user (extranet users are not modelled).
    ],
  },
  {
    method: "crm.item.list",
    page: "api-reference/crm/universal/crm-item-list.md",
    scope: "crm",
    parameters: [
      { name: "entityTypeId", required: true },
      { name: "select" },
      { name: "filter" },
      { name: "order" },
      { name: "start" },
      { name: "useOriginalUfNames" },
    ],
    async setup(ctx) {
      // Leads the example's filter finds (a first or last name, NEW or IN_PROCESS, from the web or
      // advertising, 5 000–20 000, manual amount) and ones it leaves out.
      for (const [name, lastName, stageId, sourceId, opportunity] of [
        ["Admin", null, "NEW", "WEB", 19000],
        ["Klaus", "Weber", "NEW", "WEB", 19600],
        ["Klaus", "Schmidt", "NEW", "ADVERTISING", 12000],
        ["Schmidt", "Schmidt", "IN_PROCESS", "ADVERTISING", 19000],
        [null, null, "NEW", "WEB", 10000],
        ["Hans", "Meier", "JUNK", "WEB", 10000],
        ["Ute", "Lang", "NEW", "CALL", 10000],
      ] as const) {
        await made(ctx, "crm.item.add", {
          entityTypeId: 1,
          fields: { name, lastName, stageId, sourceId, opportunity, isManualOpportunity: "Y" },
        });
      }
    },
    calls: [
      {
        params: {
          entityTypeId: 1,
          select: [
            "id",
            "title",
            "lastName",
            "name",
            "stageId",
            "sourceId",
            "assignedById",
            "opportunity",
            "isManualOpportunity",
          ],
          filter: {
            "0": { logic: "OR", "0": { "!=name": "" }, "1": { "!=lastName": "" } },
            "@stageId": ["NEW", "IN_PROCESS"],
            "@sourceId": ["WEB", "ADVERTISING"],
            "@assignedById": [1, 6],
            ">=opportunity": 5000,
            "<=opportunity": 20000,
            isManualOpportunity: "Y",
          },
          order: { lastName: "ASC", name: "ASC" },
        },
        result: {
          items: [
            {
              id: "number",
              assignedById: "number",
              stageId: "string",
              opportunity: "number",
              sourceId: "string",
              title: "string",
              name: "string",
              lastName: "string|null",
              isManualOpportunity: "Y/N",
            },
          ],
        },
        envelope: { total: "number" },
      },
    ],
    errors: [
      {
        when: "entityTypeId names no type",
        status: 400,
        error: "NOT_FOUND",
        params: { entityTypeId: NO_SUCH_TYPE },
      },
      {
        when: "the filter names a field the type does not have",
        status: 400,
        error: "INVALID_ARG_VALUE",
        description: "Invalid filter: field 'noSuchField' is not allowed in filter",
        params: { entityTypeId: 1, filter: { ">noSuchField": 1 } },
      },
      {
        when: "the order names a field the type does not have",
        status: 400,
        error: "INVALID_ARG_VALUE",
        description: "Invalid order: field 'noSuchField' is not allowed in order",
        params: { entityTypeId: 1, order: { noSuchField: "ASC" } },
      },
      {
        when: "the order has a direction other than ASC or DESC",
        status: 400,
        error: "INVALID_ARG_VALUE",
        description: "Invalid order: allowed sort directions are ASC, DESC. But got 'UP' for field 'id'",
        params: { entityTypeId: 1, order: { id: "UP" } },
      },
      // Not provoked: allowed_only_intranet_user (extranet users) and "field has invalid value" (the
      // portal's per-type value checks in filters).
    ],
  },
  {
    method: "crm.item.update",
    page: "api-reference/crm/universal/crm-item-update.md",
    scope: "crm",
    parameters: [
      { name: "entityTypeId", required: true },
      { name: "id", required: true },
      { name: "fields", required: true },
      { name: "useOriginalUfNames" },
    ],
    async setup(ctx) {
      const added = await made(ctx, "crm.item.add", {
        entityTypeId: 2,
        fields: { categoryId: 9, comments: "", sourceId: "", sourceDescription: "" },
      });
      ctx.vars.id = added.item.id;
      await denyType(ctx, 2);
    },
    calls: [
      {
        params: (ctx) => ({
          entityTypeId: 2,
          id: ctx.vars.id,
          fields: {
            title: "REST Deal #1",
            stageId: "C9:UC_NYL06U",
            assignedById: 1,
            observers: [1],
            opened: "N",
            typeId: "SERVICE",
            opportunity: 10000,
            currencyId: "USD",
            additionalInfo: "Changing a deal via REST",
            isManualOpportunity: "N",
            utmSource: "google",
            ufCrm_1721244707107: 200.05,
            parentId1220: 2,
          },
        }),
        result: { item: UPDATED_DEAL_ITEM },
      },
    ],
    errors: [
      {
        when: "entityTypeId names no type",
        status: 400,
        error: "NOT_FOUND",
        params: (ctx) => ({ entityTypeId: NO_SUCH_TYPE, id: ctx.vars.id, fields: { title: "x" } }),
      },
      {
        when: "the user may not change items of the type",
        status: 400,
        error: "ACCESS_DENIED",
        description: "Access denied",
        as: RESTRICTED,
        params: (ctx) => ({ entityTypeId: 2, id: ctx.vars.id, fields: { title: "x" } }),
      },
      {
        when: "a multiple field gets a single value",
        status: 400,
        error: "100",
        description: "Expected iterable value for multiple field, but got string instead",
        params: (ctx) => ({ entityTypeId: 2, id: ctx.vars.id, fields: { contactIds: "5" } }),
      },
      // Not provoked: allowed_only_intranet_user, CRM_FIELD_ERROR_VALUE_NOT_VALID, stage-change
      // permissions and UPDATE_DYNAMIC_ITEM_RESTRICTED (extranet users, per-field validation, per-stage
      // rights and plan limits are not modelled).
    ],
  },
  {
    method: "crm.item.delete",
    page: "api-reference/crm/universal/crm-item-delete.md",
    scope: "crm",
    parameters: [
      { name: "entityTypeId", required: true },
      { name: "id", required: true },
    ],
    async setup(ctx) {
      ctx.vars.id = (
        await made(ctx, "crm.item.add", { entityTypeId: SMART_PROCESS, fields: { title: "Gone" } })
      ).item.id;
      ctx.vars.kept = (
        await made(ctx, "crm.item.add", { entityTypeId: SMART_PROCESS, fields: { title: "Kept" } })
      ).item.id;
      await denyType(ctx, SMART_PROCESS);
    },
    // `result` is an empty array on success.
    calls: [{ params: (ctx) => ({ entityTypeId: SMART_PROCESS, id: ctx.vars.id }), result: [] }],
    errors: [
      {
        when: "entityTypeId names no type",
        status: 400,
        error: "NOT_FOUND",
        params: { entityTypeId: NO_SUCH_TYPE, id: 1 },
      },
      {
        when: "no item of the type has the id",
        status: 400,
        error: "NOT_FOUND",
        description: "Item not found",
        params: { entityTypeId: SMART_PROCESS, id: MISSING_ID },
      },
      {
        when: "the user may not delete items of the type",
        status: 400,
        error: "ACCESS_DENIED",
        description: "Access denied",
        as: RESTRICTED,
        params: (ctx) => ({ entityTypeId: SMART_PROCESS, id: ctx.vars.kept }),
      },
      // Not provoked: allowed_only_intranet_user (extranet users are not modelled).
    ],
  },
  {
    method: "crm.item.fields",
    page: "api-reference/crm/universal/crm-item-fields.md",
    scope: "crm",
    parameters: [{ name: "entityTypeId", required: true }, { name: "useOriginalUfNames" }],
    setup: (ctx) => denyType(ctx, SMART_PROCESS),
    calls: [
      {
        params: { entityTypeId: SMART_PROCESS, useOriginalUfNames: "N" },
        result: { fields: SMART_PROCESS_FIELDS },
      },
    ],
    errors: [
      {
        when: "entityTypeId names no type",
        status: 400,
        error: "NOT_FOUND",
        description: "Smart process not found",
        params: { entityTypeId: NO_SUCH_TYPE },
      },
      {
        when: "the user may not read items of the type",
        status: 400,
        error: "ACCESS_DENIED",
        description: "You do not have permission to view this item",
        as: RESTRICTED,
        params: { entityTypeId: SMART_PROCESS },
      },
      // Not provoked: allowed_only_intranet_user (extranet users are not modelled).
    ],
  },
];
