/**
 * A PHP object without public properties, which json_encode writes as `{}` where an empty
 * array is `[]` (rest-endpoint/envelope.ts). user.get and user.search answer TIMESTAMP_X and
 * LAST_ACTIVITY_DATE this way (api-reference/user/user-get.md, example response).
 */
export class EmptyPhpObject {}
