import { type FieldTable, f, RO } from "./crm-fields.js";

/**
 * Smart-process fields: the types, flags and titles of crm-item-fields.md's example
 * (a smart process answering crm.item.fields), stored under UPPER names; their
 * stage fields name the type's stage list, `DYNAMIC_{entityTypeId}_STAGE_{categoryId}`.
 */
export function dynamicFields(entityTypeId: number, categoryId: number): FieldTable {
  const stages = `DYNAMIC_${entityTypeId}_STAGE_${categoryId}`;
  return {
    ID: f("integer", "ID", RO),
    TITLE: f("string", "Name"),
    XML_ID: f("string", "External code"),
    DATE_CREATE: f("datetime", "Created at", { ...RO, camel: "createdTime" }),
    DATE_MODIFY: f("datetime", "Updated at", { ...RO, camel: "updatedTime" }),
    CREATED_BY_ID: f("user", "Created by", { ...RO, camel: "createdBy" }),
    MODIFY_BY_ID: f("user", "Updated by", { ...RO, camel: "updatedBy" }),
    ASSIGNED_BY_ID: f("user", "Assigned to"),
    OPENED: f("boolean", "Publicly available", { required: true }),
    WEBFORM_ID: f("integer", "Created by CRM form"),
    BEGINDATE: f("date", "Start date"),
    CLOSEDATE: f("date", "End date"),
    COMPANY_ID: f("crm_company", "Company", { settings: { parentEntityTypeId: 4 } }),
    CONTACT_ID: f("crm_contact", "Contact", { deprecated: true }),
    CONTACT_IDS: f("crm_contact", "CONTACT_IDS", { multiple: true }),
    CONTACTS: f("crm_contact", "CONTACTS", { multiple: true, itemFieldOnly: true }),
    OBSERVERS: f("user", "Observers", { multiple: true }),
    CATEGORY_ID: f("crm_category", "Pipeline"),
    MOVED_TIME: f("datetime", "Moved at", RO),
    MOVED_BY_ID: f("user", "Moved by", { ...RO, camel: "movedBy" }),
    STAGE_ID: f("crm_status", "Stage", { statusType: stages }),
    PREVIOUS_STAGE_ID: f("crm_status", "Previous stage", { ...RO, statusType: stages }),
    SOURCE_ID: f("crm_status", "Source", { statusType: "SOURCE" }),
    SOURCE_DESCRIPTION: f("text", "Additional source info"),
    CURRENCY_ID: f("crm_currency", "Currency"),
    IS_MANUAL_OPPORTUNITY: f("boolean", "Amount calculation mode"),
    OPPORTUNITY: f("double", "Amount"),
    TAX_VALUE: f("double", "Tax amount"),
    MYCOMPANY_ID: f("crm_company", "Your company details", {
      settings: { isMyCompany: true, parentEntityTypeId: 4, isEmbeddedEditorEnabled: true },
    }),
    LAST_ACTIVITY_BY: f("user", "Last activity in timeline by", RO),
    LAST_ACTIVITY_TIME: f("datetime", "Last activity", RO),
  };
}

/**
 * A smart-process item: the fields above in crm.item.fields' order, the disabled
 * account-currency fields of object-fields.md (always null), relation and user
 * fields at `*`.
 */
export const DYNAMIC_ITEM = [
  "ID",
  "TITLE",
  "XML_ID",
  "DATE_CREATE",
  "DATE_MODIFY",
  "CREATED_BY_ID",
  "MODIFY_BY_ID",
  "ASSIGNED_BY_ID",
  "OPENED",
  "WEBFORM_ID",
  "BEGINDATE",
  "CLOSEDATE",
  "COMPANY_ID",
  "CONTACT_ID",
  "CONTACT_IDS",
  "OBSERVERS",
  "CATEGORY_ID",
  "MOVED_TIME",
  "MOVED_BY_ID",
  "STAGE_ID",
  "PREVIOUS_STAGE_ID",
  "SOURCE_ID",
  "SOURCE_DESCRIPTION",
  "CURRENCY_ID",
  "IS_MANUAL_OPPORTUNITY",
  "OPPORTUNITY",
  "TAX_VALUE",
  "opportunityAccount",
  "taxValueAccount",
  "accountCurrencyId",
  "MYCOMPANY_ID",
  "LAST_ACTIVITY_BY",
  "LAST_ACTIVITY_TIME",
  "*",
  "entityTypeId",
];
