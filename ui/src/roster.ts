// The roster as the typeahead needs it, fetched once and kept until something changes it (an
// import, an edit, a login typed that was not in it). Views that show counts fetch fresh.
import { api, type Person } from "./api";

let cached: Promise<Person[]> | null = null;
/** The last list seen, even if something may have changed since: for drawing at once. */
let last: Person[] | null = null;

export function roster(): Promise<Person[]> {
  cached ??= api.listPeople().then(
    (people) => (last = people),
    (e: unknown) => {
      cached = null;
      throw e;
    },
  );
  return cached;
}

/** The last list seen, possibly stale, or null before the first fetch. */
export function lastRoster(): Person[] | null {
  return last;
}

/** A fresher list is known (the People view just fetched it). */
export function rosterIs(people: Person[]): void {
  last = people;
  cached = Promise.resolve(people);
}

export function rosterChanged(): void {
  cached = null;
}
