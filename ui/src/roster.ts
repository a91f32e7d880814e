// The roster as the typeahead needs it, fetched once and kept until something changes it (an
// import, an edit, a login typed that was not in it). Views that show counts fetch fresh.
import { api, type Person } from "./api";

let cached: Promise<Person[]> | null = null;

export function roster(): Promise<Person[]> {
  cached ??= api.listPeople().catch((e: unknown) => {
    cached = null;
    throw e;
  });
  return cached;
}

/** A fresher list is known (the People view just fetched it). */
export function rosterIs(people: Person[]): void {
  cached = Promise.resolve(people);
}

export function rosterChanged(): void {
  cached = null;
}
