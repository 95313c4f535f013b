/**
 * BullMQ job ids for (memberId, id): BullMQ refuses ids with ":" and plain
 * integers, and a job id is the de-duplication key, so the mapping must be
 * one-to-one. Percent-escaping "%", ":" and "/" then joining with "/" is: the
 * first unescaped "/" always ends the memberId, and the result is never an integer.
 */
export function bullmqJobId(memberId: string, id: string): string {
  return `${escapePart(memberId)}/${escapePart(id)}`;
}

/** The prefix every job id of this tenant starts with. */
export function tenantIdPrefix(memberId: string): string {
  return `${escapePart(memberId)}/`;
}

export function escapePart(text: string): string {
  return text.replace(/[%:/]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}
