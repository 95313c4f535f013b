/** One attempt to deliver an event to a handler, as the control API shows it. */
export interface DeliveryRecord {
  id: number;
  memberId: string;
  clientId: string;
  bindingId: number | null;
  event: string;
  handler: string;
  /** Unix seconds when the POST started. */
  at: number;
  durationMs: number;
  status: number | null;
  outcome: "ok" | "http_error" | "timeout" | "network_error" | "refused";
  error?: string;
  /** Strict mode removed the binding after this attempt. */
  unbound: boolean;
  /** The form-encoded body that was sent. */
  body: string;
}

const MAX_RECORDS = 20_000;

/** Bounded, newest last; enough history for tests and the operator without growing forever. */
export class DeliveryLog {
  readonly records: DeliveryRecord[] = [];
  #nextId = 1;

  add(record: Omit<DeliveryRecord, "id">): DeliveryRecord {
    const full = { ...record, id: this.#nextId++ };
    this.records.push(full);
    if (this.records.length > MAX_RECORDS) this.records.splice(0, this.records.length - MAX_RECORDS);
    return full;
  }

  forPortal(memberId: string): DeliveryRecord[] {
    return this.records.filter((r) => r.memberId === memberId);
  }
}
