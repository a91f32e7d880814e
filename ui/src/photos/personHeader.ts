// The person page's header over the photo grid filtered to one login: name, GitHub link (the
// core's profile address), affiliation, consent, counts, best face crop, and Edit.
import { avatarImage, personCropUrl, type Person } from "../api";
import { byId } from "../dom";
import { plural } from "../text";
import { CONSENT_LABEL, editPerson } from "../people/people";

export function showPersonHeader(
  person: Person | null,
  on: { onEdited: () => Promise<void>; onError: (e: unknown) => void; onSaved: (message: string) => void },
): void {
  const header = byId("person-header");
  header.hidden = !person;
  if (!person) {
    delete header.dataset.login;
    return;
  }
  header.dataset.login = person.login;
  byId("person-name").textContent = person.name ?? `@${person.login}`;
  const link = byId<HTMLAnchorElement>("person-link");
  link.href = person.profile_url;
  link.textContent = `@${person.login}`;
  const avatar = avatarImage(person);
  if (avatar) link.prepend(avatar, " ");
  byId("person-affiliation").textContent = person.affiliation ?? "";
  const consent = byId("person-consent");
  consent.hidden = person.consent === "ok";
  consent.className = `consent ${person.consent}`;
  consent.textContent = CONSENT_LABEL[person.consent];
  byId("person-stats").textContent = `${plural(person.photos, "photo")} · ${plural(person.faces, "tagged face")}`;
  const crop = byId<HTMLImageElement>("person-crop");
  crop.hidden = person.best_face === null;
  if (person.best_face !== null) crop.src = personCropUrl(person) ?? "";
  byId("person-edit").onclick = () => editPerson(person, on.onEdited, on.onError, on.onSaved);
}
