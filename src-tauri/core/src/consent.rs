//! What an attendee agreed to. A plain value type at the bottom of the core: the catalog stores
//! it, `people` edits it, `publication` applies it to exports.

use serde::Serialize;

/// What an attendee agreed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Consent {
    /// Tag and publish.
    #[default]
    #[serde(rename = "ok")]
    Ok,
    /// Never suggested or tagged.
    #[serde(rename = "no-tag")]
    NoTag,
    /// Tagged privately, but blurred and unnamed in every export.
    #[serde(rename = "no-publish")]
    NoPublish,
}

impl Consent {
    /// Reads the spellings registration systems use; an empty cell means the default, `ok`.
    pub fn parse(s: &str) -> Option<Self> {
        let key: String = s
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        match key.as_str() {
            "" | "ok" | "yes" | "y" | "true" | "1" | "granted" | "tagandpublish" => Some(Self::Ok),
            "notag" | "donottag" | "notagging" => Some(Self::NoTag),
            "nopublish" | "private" | "donotpublish" | "nopublication" => Some(Self::NoPublish),
            _ => None,
        }
    }

    /// The consent of a value read back from storage. A value this build cannot read (a newer
    /// build's, a hand edit) is taken as `no-publish`: the safe default, which names nobody in
    /// an export while keeping the person's tags. The same default covers a login that is on a
    /// face but not in the roster (see `publication`).
    pub fn from_stored(s: &str) -> Self {
        Self::parse(s).unwrap_or(Self::UNKNOWN)
    }

    /// What an unknown consent counts as, everywhere.
    pub const UNKNOWN: Self = Self::NoPublish;

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::NoTag => "no-tag",
            Self::NoPublish => "no-publish",
        }
    }

    /// Whether the attendee's login may be put on a face (or suggested for one).
    pub fn may_tag(self) -> bool {
        self != Self::NoTag
    }

    /// Whether the attendee may be named, and shown unblurred, in an exported file.
    pub fn may_publish(self) -> bool {
        self == Self::Ok
    }

    /// How much it keeps private: `ok` < `no-publish` (never published) < `no-tag` (never
    /// named at all). THE ranking every rule that compares consents uses (a self-claim's,
    /// a roster import's, a teammate's).
    fn privacy(self) -> u8 {
        match self {
            Self::Ok => 0,
            Self::NoPublish => 1,
            Self::NoTag => 2,
        }
    }

    /// Whether `self` keeps less private than `other`: changing `other` into `self` lowers it.
    pub fn is_less_private_than(self, other: Self) -> bool {
        self.privacy() < other.privacy()
    }

    /// The more private of the two.
    pub fn most_private(self, other: Self) -> Self {
        if other.privacy() > self.privacy() {
            other
        } else {
            self
        }
    }

    /// What this consent does in an export, in the words an attendee reads.
    pub fn meaning(self) -> &'static str {
        match self {
            Self::Ok => "name me, with my face, in the gallery and the recap post",
            Self::NoPublish => {
                "never publish my face or my name: my face is blurred and unnamed in everything the organizers publish (they may still know who I am)"
            }
            Self::NoTag => {
                "never name me, not even privately: my face stays unnamed and nobody's answer can name it"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Consent::*;

    #[test]
    fn consents_rank_by_how_much_they_keep_private() {
        assert!(Ok.is_less_private_than(NoPublish));
        assert!(NoPublish.is_less_private_than(NoTag));
        assert!(!NoTag.is_less_private_than(NoTag));
        assert_eq!(Ok.most_private(NoTag), NoTag);
        assert_eq!(NoPublish.most_private(Ok), NoPublish);
    }
}
