import type { MethodCaller } from "@b24kit/rest";
import type { ManifestFieldType } from "../manifest/app-manifest.js";
import { type BindingFailure, noteRefusal } from "../manifest/binding-attempt.js";

/** What reconciling the field types adds to the apply report. */
export interface FieldTypeApplyResult {
  bound: string[];
  unbound: string[];
  kept: string[];
  failed: BindingFailure[];
}

/** A type as userfieldtype.list shows it (userfieldtype-list.md). */
interface PortalFieldType {
  USER_TYPE_ID: string;
  HANDLER: string;
  TITLE?: string;
  DESCRIPTION?: string;
}

/** userfieldtype.add/update's parameters for a manifest type, its frame at `handler`. */
export function fieldTypeParams(type: ManifestFieldType, handler: string): Record<string, unknown> {
  return {
    USER_TYPE_ID: type.code,
    HANDLER: handler,
    TITLE: type.title,
    DESCRIPTION: type.description ?? "",
    // 0 is the portal's standard height (userfieldtype-add.md, OPTIONS).
    OPTIONS: { height: type.height ?? 0 },
  };
}

/**
 * Makes the app's field types on the portal match the manifest: registers
 * the missing ones, updates the present ones (handler, title, description,
 * height: the code itself cannot change, userfieldtype-update.md), deletes the
 * types under `base` the manifest no longer has. The portal lists only this
 * app's types; a type with a handler elsewhere was registered by someone else
 * for the app and is left alone. Fields already made of a deleted type stay on
 * the cards, rendered by nobody, so an app drops a type only on purpose.
 */
export async function applyFieldTypes(
  client: MethodCaller,
  types: readonly ManifestFieldType[],
  handlerFor: (code: string) => string,
  base: string,
): Promise<FieldTypeApplyResult> {
  const out: FieldTypeApplyResult = { bound: [], unbound: [], kept: [], failed: [] };
  let existing: PortalFieldType[];
  try {
    existing = (await client.call<PortalFieldType[]>("userfieldtype.list")).result ?? [];
  } catch (error) {
    for (const type of types) noteRefusal(out.failed, `field type ${type.code}`, error);
    return out;
  }
  const wanted = new Set(types.map((t) => t.code));
  for (const type of existing) {
    if (wanted.has(type.USER_TYPE_ID) || !type.HANDLER.startsWith(base)) continue;
    try {
      await client.call("userfieldtype.delete", { USER_TYPE_ID: type.USER_TYPE_ID });
      out.unbound.push(`field type ${type.USER_TYPE_ID}`);
    } catch (error) {
      noteRefusal(out.failed, `field type ${type.USER_TYPE_ID}`, error);
    }
  }
  for (const type of types) {
    const params = fieldTypeParams(type, handlerFor(type.code));
    const present = existing.find((t) => t.USER_TYPE_ID === type.code);
    try {
      if (present) {
        await client.call("userfieldtype.update", params);
        out.kept.push(`field type ${type.code}`);
      } else {
        await client.call("userfieldtype.add", params);
        out.bound.push(`field type ${type.code}`);
      }
    } catch (error) {
      noteRefusal(out.failed, `field type ${type.code}`, error);
    }
  }
  return out;
}
