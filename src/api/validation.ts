// Changeset-style validation for API writes: Ecto's stock English messages (reference 1.3), all
// problems at once, answered as 422 {"errors":{field:[messages]}}.
import { JsonError } from '../http/errors.js';
import type { Params } from '../http/params.js';

export class Changeset {
  readonly errors: Record<string, string[]> = {};
  constructor(readonly body: Params) {}

  add(field: string, message: string): void {
    (this.errors[field] ??= []).push(message);
  }

  has(field: string): boolean {
    return Object.hasOwn(this.errors, field);
  }

  /** A string field (absent → undefined, wrong type → "is invalid"). */
  string(key: string, field = key): string | undefined {
    const v = this.body[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.add(field, 'is invalid');
      return undefined;
    }
    return v;
  }

  /** A required string field: blank → "can't be blank". */
  required(key: string, field = key): string | undefined {
    const v = this.string(key, field);
    if (!this.has(field) && (v === undefined || v.trim() === '')) {
      this.add(field, "can't be blank");
      return undefined;
    }
    return v;
  }

  length(field: string, value: string | undefined, min: number, max: number): void {
    if (value === undefined) return;
    const n = [...value].length;
    if (n < min) this.add(field, `should be at least ${min} character(s)`);
    if (n > max) this.add(field, `should be at most ${max} character(s)`);
  }

  bytes(field: string, value: string | null | undefined, max: number): void {
    if (value && Buffer.byteLength(value) > max) this.add(field, `should be at most ${max} byte(s)`);
  }

  format(field: string, value: string | undefined, pattern: RegExp, message = 'has invalid format'): void {
    if (value !== undefined && !this.has(field) && !pattern.test(value)) this.add(field, message);
  }

  oneOf(field: string, value: string | undefined, allowed: readonly string[]): void {
    if (value !== undefined && !allowed.includes(value)) this.add(field, 'is invalid');
  }

  /** Throws the 422 if anything was added. */
  check(): void {
    if (Object.keys(this.errors).length > 0) throw new JsonError(422, { errors: this.errors });
  }
}
