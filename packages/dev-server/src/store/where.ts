type Value = string | number;

/** A SQL WHERE clause built from optional filters, with its parameters in order. */
export class Where {
  readonly #clauses: string[] = [];
  readonly params: Value[] = [];

  constructor(...fixed: string[]) {
    this.#clauses.push(...fixed);
  }

  /** Adds `clause` (with `?` placeholders) unless the filter value is missing or empty. */
  when(value: Value | undefined | null, clause: string): this {
    if (value === undefined || value === null || value === '') return this;
    this.#clauses.push(clause);
    this.params.push(value);
    return this;
  }

  /** `column IN (?, …)` for a non-empty list; nothing for an empty one. */
  in(column: string, values: readonly Value[] | undefined): this {
    if (!values?.length) return this;
    this.#clauses.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    this.params.push(...values);
    return this;
  }

  /** A clause without parameters that must hold. */
  add(clause: string): this {
    this.#clauses.push(clause);
    return this;
  }

  /** A clause nothing satisfies: an empty "any of" list matches no row, never every row. */
  nothing(): this {
    this.#clauses.push('0');
    return this;
  }

  /** `(clause OR clause …)`, one `clause` (with one `?`) per value; nothing for an empty list. */
  anyOf(values: readonly Value[] | undefined, clause: string): this {
    if (!values?.length) return this;
    this.#clauses.push(`(${values.map(() => clause).join(' OR ')})`);
    this.params.push(...values);
    return this;
  }

  /** `WHERE a AND b`, or '' when there is nothing to filter on. */
  toString(): string {
    return this.#clauses.length ? `WHERE ${this.#clauses.join(' AND ')}` : '';
  }
}
