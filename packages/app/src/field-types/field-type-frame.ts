import type { FrameHandler } from "../core/handler-types.js";
import { type FieldTypeHandlers, fieldFromOptions } from "./field-type-types.js";

/**
 * The frame handler of one field type: reads the field from PLACEMENT_OPTIONS
 * and renders `edit` in the card's edit form, `view` everywhere else (and in
 * the edit form too when the type has no `edit`). Undefined for a type
 * without handlers: the route answers 404 after verifying the request.
 */
export function fieldTypeFrame(handlers: FieldTypeHandlers | undefined): FrameHandler | undefined {
  if (!handlers) return undefined;
  return (ctx) => {
    const field = fieldFromOptions(ctx.options);
    const render = field.mode === "edit" && handlers.edit ? handlers.edit : handlers.view;
    return render({ ...ctx, field });
  };
}
