// How a suggestion or an attendee's answer (a claim) is written wherever it is shown: a
// suggestion that only the attendee's avatar made (nobody has named them in a photo yet) says so.
import type { Face, FaceClaim } from "../api";

export function fromAvatar(face: Pick<Face, "suggestion">): string {
  return face.suggestion?.from === "avatar" ? " (avatar)" : "";
}

/** An attendee's answer about a face that is not its name yet (open, or in conflict). */
export function openClaim(face: Pick<Face, "claim" | "login">): FaceClaim | null {
  const c = face.claim;
  return c && (face.login ?? "").toLowerCase() !== c.login.toLowerCase() ? c : null;
}

/** "@alice says this is them (issue #12)" / "@bob says this is @alice (issue #14)". */
export function claimText(c: FaceClaim): string {
  return c.by.toLowerCase() === c.login.toLowerCase()
    ? `@${c.by} says this is them (issue #${c.issue})`
    : `@${c.by} says this is @${c.login} (issue #${c.issue})`;
}

/** What an attendee's answer asks for this face, as every export applies it before anyone
 *  reviews it; empty when it asks nothing. */
export function askedText(face: Pick<Face, "asked">): string {
  return face.asked === "no-publish"
    ? "An attendee asked: never published (blurred and unnamed in every export until you reject their answer)"
    : face.asked === "no-tag"
      ? "An attendee asked: never named (left unnamed in every export until you reject their answer)"
      : "";
}

/** The same in two words, for a face's label. */
export function askedLabel(face: Pick<Face, "asked">): string {
  return face.asked === "no-publish" ? "🔒 never published" : face.asked === "no-tag" ? "🔒 never named" : "";
}
