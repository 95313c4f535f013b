export type { FormObject, FormValue } from "./encoding/php-form.js";
export { encodeForm, flattenParams } from "./encoding/php-form.js";
