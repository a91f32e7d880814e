// Saving a decision about a face, shared by the viewer and triage: the core applies it and
// answers with the decision that takes it back, which is what undo runs; undoing answers in
// turn with the one that redoes it. Nothing here decides what a decision means.
import { api, type Consent, type ConsentChange, type FaceChange, type FaceDecision, type PhotoChange, type PhotoDecision } from "../api";
import { ask } from "../confirm";
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

/** Accepts an attendee's answer (its face is tagged, or a disputed name taken off) and records
 *  it for undo: undo takes the tag back and opens the answer again; redo accepts it again.
 *  When the answer asks for a consent less private than the attendee's, the organizer is asked
 *  plainly first whether to keep theirs or lower it; cancelling accepts nothing. `lowers` is the
 *  claim's, when the caller has it. */
export async function acceptClaim(issue: number, lowers?: ConsentChange | null): Promise<void> {
  const change = lowers === undefined ? (await api.listClaims()).find((c) => c.issue === issue)?.lowers ?? null : lowers;
  let lower = false;
  if (change) {
    const answer = await ask(
      `Accept issue #${issue}?`,
      `This makes @${change.login} ${change.to}; they are ${change.from} now. ${consentMeaning(change.from)}`,
      [
        { value: "keep", label: `Accept, keep @${change.login} ${change.from}`, primary: true },
        { value: "lower", label: `Accept and make them ${change.to}` },
      ],
    );
    if (answer === null) throw new Error(`Issue #${issue} not accepted.`);
    lower = answer === "lower";
  }
  const accepted = await history.track(api.acceptClaim(issue, lower));
  let photo = accepted.photo_id;
  let back = accepted.undo;
  const lowered = lower && change ? change : null;
  history.record({
    label: `accept issue #${issue}`,
    undo: async () => {
      await api.decideFace(photo, back);
      await api.reopenClaim(issue);
      // A consent lowered with the accept goes back to what it was (more private is always allowed).
      if (lowered) await restoreConsent(lowered.login, lowered.from);
    },
    redo: async () => {
      const again = await api.acceptClaim(issue, lowered !== null);
      photo = again.photo_id;
      back = again.undo;
    },
  });
  rosterChanged();
}

async function restoreConsent(login: string, consent: Consent): Promise<void> {
  const p = await api.getPerson(login);
  if (p) await api.savePerson({ login: p.login, name: p.name, affiliation: p.affiliation, consent, lower_consent: false });
}

function consentMeaning(c: Consent): string {
  return c === "no-publish"
    ? "While no-publish, their face is blurred and their name left out of everything you publish."
    : c === "no-tag"
      ? "While no-tag, they are never named, not even here."
      : "";
}

/** Rejects an attendee's answer, recorded for undo. Rejecting an accepted answer takes its tag
 *  back; undo accepts it again. */
export async function rejectClaim(issue: number): Promise<void> {
  const rejected = await history.track(api.rejectClaim(issue));
  history.record({
    label: `reject issue #${issue}`,
    undo: async () => {
      await api.reopenClaim(issue);
      if (rejected.was === "accepted") await api.acceptClaim(issue, false);
    },
    redo: async () => {
      await api.rejectClaim(issue);
    },
  });
  if (rejected.undo) rosterChanged();
}
