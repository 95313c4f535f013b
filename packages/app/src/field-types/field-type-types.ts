import type { FrameContext, FrameHandler } from "../core/handler-types.js";

/**
 * The field a USERFIELD_TYPE frame renders, from its PLACEMENT_OPTIONS
 * (api-reference/widgets/user-field/userfieldtype-add.md): which card, which
 * field, the value stored now, and whether the card is being edited.
 */
export interface FieldTypeField {
  /** `edit` in the card's edit form: the frame sets the value with `b24kit.setFieldValue(value)`. */
  mode: "view" | "edit";
  /** ENTITY_ID: CRM_DEAL, CRM_LEAD, CRM_CONTACT, CRM_COMPANY, … */
  entityId: string;
  /** FIELD_NAME: UF_CRM_… */
  fieldName: string;
  /** ENTITY_VALUE_ID: the record's id ('' on a card not saved yet). */
  entityValueId: string;
  /** VALUE as the portal sends it: a string, an array for a multiple field, null when empty. */
  value: unknown;
  multiple: boolean;
  mandatory: boolean;
  xmlId: string | null;
}

/** A field type's frame: the frame context plus the field. */
export interface FieldTypeContext extends FrameContext {
  field: FieldTypeField;
}

export type FieldTypeHandler = (ctx: FieldTypeContext) => ReturnType<FrameHandler>;

/**
 * A field type's two renderings. `edit` is optional: without it the edit form
 * shows the view (the field is then read-only for everyone).
 */
export interface FieldTypeHandlers {
  view: FieldTypeHandler;
  edit?: FieldTypeHandler;
}

const yes = (v: unknown) => v === true || v === "Y" || v === "y" || v === 1 || v === "1";
const text = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : "");

/** PLACEMENT_OPTIONS as the field's description (unknown MODE values read as `view`: never edit by accident). */
export function fieldFromOptions(options: Record<string, unknown>): FieldTypeField {
  return {
    mode: options.MODE === "edit" ? "edit" : "view",
    entityId: text(options.ENTITY_ID),
    fieldName: text(options.FIELD_NAME),
    entityValueId: text(options.ENTITY_VALUE_ID),
    value: options.VALUE ?? null,
    multiple: yes(options.MULTIPLE),
    mandatory: yes(options.MANDATORY),
    xmlId: options.XML_ID === null || options.XML_ID === undefined ? null : text(options.XML_ID),
  };
}
