/** Golden tables: inputs with the outputs a person wrote down for them. */
import assert from 'node:assert/strict';

/** Assert that `f` gives each input of `cases` its expected output; a failure shows every row. */
export function assertGolden<I, O>(cases: readonly (readonly [I, O])[], f: (input: I) => O): void {
  assert.deepEqual(
    cases.map(([input]) => [input, f(input)]),
    cases.map(([input, want]) => [input, want]),
  );
}

/** Assert the fields of `actual` named in `want` hold those values (other fields are not compared). */
export function assertFields<T extends object>(actual: T, want: Partial<T>): void {
  const got = Object.fromEntries(Object.keys(want).map((k) => [k, actual[k as keyof T]]));
  assert.deepEqual(got, want);
}
