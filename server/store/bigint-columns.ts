/**
 * PostgreSQL's driver hands BIGINT columns back as strings (they may exceed 2^53); our BIGINTs are
 * Unix milliseconds and counters, well within range, so every adapter returns them as numbers.
 */
export function asNumbers<Row, Key extends keyof Row>(row: Row, columns: readonly Key[]): Row {
  const copy = { ...row };
  for (const column of columns) {
    const value = copy[column];
    if (value !== null && value !== undefined) copy[column] = Number(value) as Row[Key];
  }
  return copy;
}
