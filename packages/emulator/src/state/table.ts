/** Rows of one entity kind in one portal, with the portal's own id sequence. */
export type Row = Record<string, unknown> & { ID: number };

export class Table {
  seq = 0;
  readonly rows = new Map<number, Row>();

  insert(fields: Record<string, unknown>): Row {
    this.seq += 1;
    const row = { ...fields, ID: this.seq } as Row;
    this.rows.set(row.ID, row);
    return row;
  }

  get(id: number): Row | undefined {
    return this.rows.get(id);
  }

  delete(id: number): boolean {
    return this.rows.delete(id);
  }

  all(): Row[] {
    return [...this.rows.values()];
  }

  toJSON(): { seq: number; rows: Row[] } {
    return { seq: this.seq, rows: this.all() };
  }

  static fromJSON(data: { seq: number; rows: Row[] }): Table {
    const t = new Table();
    t.seq = data.seq;
    for (const r of data.rows) t.rows.set(r.ID, r);
    return t;
  }
}
