/**
 * Headers about one connection, not the message (RFC 9110, section 7.6.1): the adapter
 * drops them on the way in (the body given to the app is already de-chunked)
 * and on the way out (Node frames the response itself).
 */
export const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
]);
