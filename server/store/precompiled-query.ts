/**
 * A Kysely query built and compiled once, then executed many times with fresh values.
 *
 * Building and compiling a Kysely query costs more than running it on SQLite (tens of µs of
 * immutable-node copying per request on the token endpoint and the bearer check). The query is
 * still written once in Kysely, so each dialect gets its own SQL text; only the values change.
 *
 * How: the builder receives `param(name)`, which stands in a unique marker string for a value.
 * After compiling, each of the query's parameters is either a marker (filled from `values` at
 * execution) or a constant the builder wrote itself (kept as is). A marker that Kysely inlined
 * into the SQL text instead of passing as a parameter would be a bug: the constructor refuses it.
 */
import type { Compilable } from 'kysely';

const MARKER = '\u0000ats-param:';

type Slot = { name: string } | { constant: unknown };

export class PrecompiledQuery<Values extends Record<string, unknown>> {
  readonly sql: string;
  readonly #slots: readonly Slot[];

  constructor(build: (param: <Name extends keyof Values & string>(name: Name) => Values[Name]) => Compilable) {
    const compiled = build((name) => `${MARKER}${name}` as never).compile();
    if (compiled.sql.includes(MARKER)) throw new Error(`a precompiled query inlined a parameter: ${compiled.sql}`);
    this.sql = compiled.sql;
    this.#slots = compiled.parameters.map((value) =>
      typeof value === 'string' && value.startsWith(MARKER) ? { name: value.slice(MARKER.length) } : { constant: value },
    );
  }

  /** The parameters in the order the SQL text expects them. */
  parameters(values: Values): unknown[] {
    return this.#slots.map((slot) => {
      if ('constant' in slot) return slot.constant;
      const value = values[slot.name];
      if (value === undefined) throw new Error(`precompiled query: no value for ${slot.name}`);
      return value;
    });
  }
}
