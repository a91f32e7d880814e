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
