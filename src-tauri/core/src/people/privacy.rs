//! THE rule for changing an attendee's consent: who may make it less private.
//!
//! - The attendee's own word (an answer about themselves) applies at once when it is more
//!   private, and is remembered as what they asked (`Person::asked`); a less private word of
//!   theirs changes nothing until the organizer confirms it.
//! - The organizer, through the roster or the form, sets any consent, but never below what the
//!   attendee asked for themselves.
//! - Only the organizer, asked plainly in that moment (a confirmation in the window,
//!   `--lower-consent` on the command line), lowers a consent below what the attendee asked;
//!   what they asked is then what was confirmed.
//!
//! Everything here is a pure function of the consents, so the rule is tested on its own and
//! every caller (roster import, the form, claims, a teammate's record) gets the same answer.

use serde::Serialize;

use crate::consent::Consent;

/// Who asks for a consent, which decides what the request may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asker {
    /// The attendee, in their own answer.
    Attendee,
    /// The organizer, through the roster or the form.
    Organizer,
    /// The organizer, asked plainly in that moment whether to lower it.
    OrganizerConfirmed,
}

/// An attendee's consent and what they asked for themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Privacy {
    pub consent: Consent,
    pub asked: Option<Consent>,
}

impl Privacy {
    /// What `asker` asking for `wanted` makes of it.
    pub fn asked_by(self, asker: Asker, wanted: Consent) -> Self {
        match asker {
            Asker::Attendee => Self {
                consent: self.consent.most_private(wanted),
                asked: Some(self.asked.map_or(wanted, |a| a.most_private(wanted))),
            },
            Asker::Organizer => Self {
                consent: self.asked.map_or(wanted, |a| a.most_private(wanted)),
                asked: self.asked,
            },
            Asker::OrganizerConfirmed => Self {
                consent: wanted,
                asked: self.asked.map(|a| {
                    if wanted.is_less_private_than(a) {
                        wanted
                    } else {
                        a
                    }
                }),
            },
        }
    }

    /// Whether `wanted` would need the organizer's plain confirmation: it is less private than
    /// what applies now (for an attendee's word) or than what the attendee asked (for the
    /// organizer's).
    pub fn needs_confirmation(self, asker: Asker, wanted: Consent) -> bool {
        self.asked_by(asker, wanted).consent != wanted
    }
}

/// A consent made less private (element of `lowered` in a roster import's report), or one a
/// request would have lowered and did not (element of `kept`: `to` is what was asked for,
/// `from` what the attendee keeps).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConsentChange {
    pub login: String,
    pub from: Consent,
    pub to: Consent,
}

#[cfg(test)]
mod tests {
    use super::*;
    use Consent::*;

    const ALL: [Consent; 3] = [Ok, NoPublish, NoTag];

    fn p(consent: Consent, asked: Option<Consent>) -> Privacy {
        Privacy { consent, asked }
    }

    #[test]
    fn an_attendee_only_ever_makes_it_more_private() {
        assert_eq!(
            p(Ok, None).asked_by(Asker::Attendee, NoPublish),
            p(NoPublish, Some(NoPublish))
        );
        assert_eq!(
            p(NoPublish, Some(NoPublish)).asked_by(Asker::Attendee, Ok),
            p(NoPublish, Some(NoPublish))
        );
        assert!(p(NoPublish, None).needs_confirmation(Asker::Attendee, Ok));
        assert!(!p(Ok, None).needs_confirmation(Asker::Attendee, NoTag));
    }

    #[test]
    fn the_organizer_lowers_only_what_the_attendee_did_not_ask_for() {
        assert_eq!(
            p(NoPublish, None).asked_by(Asker::Organizer, Ok),
            p(Ok, None)
        );
        assert_eq!(
            p(NoTag, Some(NoPublish)).asked_by(Asker::Organizer, Ok),
            p(NoPublish, Some(NoPublish))
        );
        assert!(p(NoPublish, Some(NoPublish)).needs_confirmation(Asker::Organizer, Ok));
        assert_eq!(
            p(NoPublish, Some(NoPublish)).asked_by(Asker::OrganizerConfirmed, Ok),
            p(Ok, Some(Ok))
        );
    }

    /// The rule's promise, over every state and request: the consent never ends below what the
    /// attendee asked, and only a confirmed request ends below what applied before without the
    /// requester being the organizer.
    #[test]
    fn consent_never_falls_below_what_was_asked_unless_confirmed() {
        for consent in ALL {
            for asked in [None, Some(Ok), Some(NoPublish), Some(NoTag)] {
                let before = p(consent.most_private(asked.unwrap_or(Ok)), asked);
                for wanted in ALL {
                    for asker in [Asker::Attendee, Asker::Organizer] {
                        let after = before.asked_by(asker, wanted);
                        if let Some(a) = after.asked {
                            assert!(
                                !after.consent.is_less_private_than(a),
                                "{before:?} {asker:?} {wanted:?}"
                            );
                        }
                        if let Some(a) = before.asked {
                            assert!(!after.consent.is_less_private_than(a));
                        }
                    }
                    let after = before.asked_by(Asker::Attendee, wanted);
                    assert!(!after.consent.is_less_private_than(before.consent));
                    let confirmed = before.asked_by(Asker::OrganizerConfirmed, wanted);
                    assert_eq!(confirmed.consent, wanted);
                }
            }
        }
    }
}
