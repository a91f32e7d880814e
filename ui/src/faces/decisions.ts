// Saving a decision about a face, shared by the viewer and triage: the core applies it and
// answers with the decision that takes it back, which is what undo runs; undoing answers in
// turn with the one that redoes it. Nothing here decides what a decision means.
import { api, type FaceChange, type FaceDecision, type PhotoChange, type PhotoDecision } from "../api";
import { history } from "../history";
import { rosterChanged } from "../roster";

/** Saves `decision` on a face of `photoId` and records it for undo and redo under `label`. */
export async function saveDecision(photoId: number, decision: FaceDecision, label: string): Promise<FaceChange> {
  const change = await history.track(api.decideFace(photoId, decision));
  let back = change.undo;
  const flip = async (): Promise<void> => {
    back = (await api.decideFace(photoId, back)).undo;
  };
  history.record({ label, undo: flip, redo: flip });
  // A login typed for the first time joins the roster.
  if ("login" in decision && decision.login) rosterChanged();
  return change;
}

/** Saves several decisions as one step (accepting a person's suggestions, naming a group):
 *  one undo takes them all back, in reverse order, and one redo applies them again. */
export async function saveDecisions(decisions: PhotoDecision[], label: string): Promise<PhotoChange[]> {
  const changes = await history.track(api.decideFaces(decisions));
  let back: PhotoDecision[] = changes.map((c) => ({ photo_id: c.photo_id, decision: c.change.undo })).reverse();
  const flip = async (): Promise<void> => {
    const again = await api.decideFaces(back);
    back = again.map((c) => ({ photo_id: c.photo_id, decision: c.change.undo })).reverse();
  };
  history.record({ label, undo: flip, redo: flip });
  return changes;
}

/** Accepts an attendee's answer (its face is tagged) and records it for undo: undo takes the
 *  tag back and opens the answer again; redo accepts it again. */
export async function acceptClaim(issue: number): Promise<void> {
  const accepted = await history.track(api.acceptClaim(issue));
  let photo = accepted.photo_id;
  let back = accepted.undo;
  history.record({
    label: `accept issue #${issue}`,
    undo: async () => {
      await api.decideFace(photo, back);
      await api.reopenClaim(issue);
    },
    redo: async () => {
      const again = await api.acceptClaim(issue);
      photo = again.photo_id;
      back = again.undo;
    },
  });
  rosterChanged();
}

/** Rejects an attendee's answer, recorded for undo (which opens it again). */
export async function rejectClaim(issue: number): Promise<void> {
  await history.track(api.rejectClaim(issue));
  history.record({
    label: `reject issue #${issue}`,
    undo: async () => {
      await api.reopenClaim(issue);
    },
    redo: async () => {
      await api.rejectClaim(issue);
    },
  });
}
