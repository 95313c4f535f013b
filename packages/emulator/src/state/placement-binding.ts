/** One `placement.bind` row (docs/protocol.md §8.1), as `placement.get` lists it. */
export interface PlacementBinding {
  id: number;
  placement: string;
  handler: string;
  title: string;
  description: string;
  groupName: string;
  langAll: Record<string, { TITLE?: string; DESCRIPTION?: string; GROUP_NAME?: string }>;
  options: Record<string, unknown>;
  /** 0 = for everyone; PAGE_BACKGROUND_WORKER may be bound for one user. */
  userId: number;
}
