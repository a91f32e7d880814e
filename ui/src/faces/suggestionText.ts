// How a suggestion is written wherever it is shown: a suggestion that only the attendee's
// avatar made (nobody has named them in a photo yet) says so.
import type { Face } from "../api";

export function fromAvatar(face: Pick<Face, "suggestion">): string {
  return face.suggestion?.from === "avatar" ? " (avatar)" : "";
}
