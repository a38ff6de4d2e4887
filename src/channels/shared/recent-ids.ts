/** A bounded set of recently seen ids, for dropping re-delivered updates. */
export class RecentIds {
  private readonly ids = new Set<string>();

  /** `capacity` bounds memory; the oldest id is forgotten first. */
  constructor(private readonly capacity = 10_000) {}

  /** Records `id`; returns false when it was already seen (a duplicate). */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }

  /** Forgets `id` so a later re-delivery is processed (used when accepting it failed). */
  delete(id: string): void {
    this.ids.delete(id);
  }

  /** Whether `id` was seen recently. */
  has(id: string): boolean {
    return this.ids.has(id);
  }
}
