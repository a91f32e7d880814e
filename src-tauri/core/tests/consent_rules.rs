//! The consent promise under any order of what people do: attendees' answers imported (each
//! asking more or less privacy, or none), roster imports, the organizer's form, accepts and
//! rejects, with or without the organizer's plain confirmation. Whatever the order, an
//! attendee's consent is never less private than the most private of what they asked and what
//! the organizer last set, unless the organizer lowered it plainly; their own request applies
//! at import; and no export names them unless they are `ok`.

mod common;

use common::{shared, TestLibrary};
use whoiswho_core::claims::{self, FaceRef, Issue, Listing};
use whoiswho_core::faces::{decide, FaceDecision};
use whoiswho_core::people::{import_roster, save_person, Consent, PersonInput};
use whoiswho_core::publication::Publication;
use whoiswho_core::region::Region;

const ALL: [Consent; 3] = [Consent::Ok, Consent::NoPublish, Consent::NoTag];

/// A small, seeded generator: the same sequences on every run and every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn coin(&mut self) -> bool {
        self.next() & 1 == 1
    }
}

/// What the promise allows: the most private of what the attendee asked since the organizer
/// last lowered plainly, and what the organizer set last.
#[derive(Debug, Clone, Copy)]
struct Floor {
    asked: Consent,
    organizer: Consent,
}

impl Floor {
    fn consent(&self) -> Consent {
        self.asked.most_private(self.organizer)
    }

    /// The organizer set `to`, asked plainly: what she asked counts no higher than that now.
    fn lowered_plainly(self, to: Consent) -> Self {
        Self {
            asked: if to.is_less_private_than(self.asked) {
                to
            } else {
                self.asked
            },
            organizer: to,
        }
    }
}

fn consent_of(lib: &TestLibrary, login: &str) -> Consent {
    lib.library
        .read(|c| c.person(login))
        .expect("person")
        .map_or(Consent::Ok, |p| p.consent)
}

#[test]
fn consent_never_falls_below_what_was_asked_whatever_the_order() {
    let lib = TestLibrary::new();
    let photos = lib.dir.path().join("photos");
    std::fs::create_dir_all(&photos).unwrap();
    std::fs::copy(shared("groups/ul-9.jpg"), photos.join("ul-9.jpg")).unwrap();
    lib.index(&[&photos]);
    let photo = lib.photos()[0].id;
    let hash = lib.library.read(|c| c.photo_hash(photo)).unwrap().unwrap();
    let boxes: Vec<Region> = (0..4)
        .map(|i| Region {
            x: 0.05 + 0.22 * f64::from(i),
            y: 0.3,
            w: 0.12,
            h: 0.18,
        })
        .collect();
    for region in &boxes {
        decide(
            &mut lib.library.catalog().unwrap(),
            photo,
            &FaceDecision::Draw {
                region: *region,
                login: None,
            },
        )
        .unwrap();
    }
    let roster = |consent: Consent| format!("login,consent\nann,{}\n", consent.as_str());
    import_roster(
        &mut lib.library.catalog().unwrap(),
        roster(Consent::Ok).as_bytes(),
        false,
    )
    .unwrap();

    let mut issue = 0u64;
    let mut steps = 0;
    for seed in 1..=40u64 {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ seed.wrapping_mul(0x2545_F491_4F6C_DD1D));
        // Each sequence starts from what the organizer sets plainly: ok first, which leaves
        // nothing she asked above it, then the start.
        let start = ALL[rng.below(3)];
        for consent in [Consent::Ok, start] {
            save_person(
                &mut lib.library.catalog().unwrap(),
                &PersonInput {
                    login: "ann".into(),
                    name: None,
                    affiliation: None,
                    consent,
                    lower_consent: true,
                },
            )
            .unwrap();
        }
        let mut floor = Floor {
            asked: Consent::Ok,
            organizer: start,
        };
        let mut open: Vec<u64> = Vec::new();
        for _ in 0..12 {
            steps += 1;
            let before = consent_of(&lib, "ann");
            let wanted = ALL[rng.below(3)];
            let plainly = rng.below(4) == 0;
            let what = match rng.below(5) {
                0 | 1 => {
                    // Ann answers about herself, asking for `wanted` or for nothing.
                    issue += 1;
                    let asks = rng.coin().then_some(wanted);
                    let region = boxes[rng.below(boxes.len())];
                    let face = FaceRef {
                        hash: hash.clone(),
                        region,
                    };
                    let body = format!(
                        "Who: me\n\nConsent: {}\n\nFace: `{}`\n",
                        asks.map_or("", Consent::as_str),
                        face.text()
                    );
                    let issues = [Issue {
                        number: issue,
                        author: "ann".into(),
                        title: "Who is this?".into(),
                        body,
                        created_at: None,
                        url: format!("https://github.com/o/r/issues/{issue}"),
                        closed: None,
                    }];
                    claims::import(
                        &lib.library,
                        Listing {
                            issues: &issues,
                            errors: Vec::new(),
                            repo: Some("o/r"),
                        },
                    )
                    .unwrap();
                    open.push(issue);
                    if let Some(a) = asks {
                        floor.asked = floor.asked.most_private(a);
                        // Her own request applies at once.
                        assert!(
                            !consent_of(&lib, "ann").is_less_private_than(a),
                            "seed {seed}: import"
                        );
                    }
                    format!("answer asking {asks:?}")
                }
                2 => {
                    import_roster(
                        &mut lib.library.catalog().unwrap(),
                        roster(wanted).as_bytes(),
                        plainly,
                    )
                    .unwrap();
                    format!("roster {wanted:?}, plainly {plainly}")
                }
                3 => {
                    let saved = save_person(
                        &mut lib.library.catalog().unwrap(),
                        &PersonInput {
                            login: "ann".into(),
                            name: None,
                            affiliation: None,
                            consent: wanted,
                            lower_consent: plainly,
                        },
                    );
                    if saved.is_err() {
                        // Refused: it would lower what she asked, and nobody confirmed.
                        assert!(!plainly && wanted.is_less_private_than(floor.asked));
                        assert_eq!(consent_of(&lib, "ann"), before);
                        continue;
                    }
                    format!("form {wanted:?}, plainly {plainly}")
                }
                _ => {
                    let Some(n) = (!open.is_empty()).then(|| open.remove(rng.below(open.len())))
                    else {
                        continue;
                    };
                    if rng.coin() {
                        let _ = claims::reject(&lib.library, n);
                        format!("reject #{n}")
                    } else {
                        // Accepting may fail (she is no-tag): it changes nothing then.
                        let accepted = claims::accept(&lib.library, n, plainly);
                        if accepted.is_err() {
                            assert_eq!(
                                consent_of(&lib, "ann"),
                                before,
                                "seed {seed}: failed accept"
                            );
                            continue;
                        }
                        let asked = lib.library.read(|c| c.claim(n)).unwrap().unwrap().consent;
                        if let Some(a) = asked.filter(|_| plainly) {
                            floor = floor.lowered_plainly(a);
                        }
                        format!("accept #{n} asking {asked:?}, plainly {plainly}")
                    }
                }
            };
            let now = consent_of(&lib, "ann");
            match what.as_str() {
                w if w.starts_with("roster") || w.starts_with("form") => {
                    if plainly {
                        assert_eq!(now, wanted, "seed {seed}: {what}");
                        floor = floor.lowered_plainly(wanted);
                    } else {
                        floor.organizer = wanted;
                    }
                }
                w if w.starts_with("answer")
                    || w.starts_with("reject")
                    || (w.starts_with("accept") && !plainly) =>
                {
                    assert!(
                        !now.is_less_private_than(before),
                        "seed {seed}: {what} lowered {before:?} to {now:?}"
                    );
                }
                _ => {}
            }
            assert!(
                !now.is_less_private_than(floor.consent()),
                "seed {seed}: after {what}, {now:?} is below {floor:?}"
            );
            // No export names her unless she is ok; a no-tag attendee is on no face at all.
            let faces = lib.library.read(|c| c.faces(photo)).unwrap();
            let publication = Publication::load(&lib.library).unwrap();
            let named = publication
                .photo(&faces)
                .named
                .iter()
                .any(|(n, _)| n.login == "ann");
            assert!(
                !named || now == Consent::Ok,
                "seed {seed}: named while {now:?}"
            );
            if now == Consent::NoTag {
                assert!(
                    faces.iter().all(|f| f.login.as_deref() != Some("ann")),
                    "seed {seed}"
                );
            }
        }
    }
    assert!(steps >= 400);
}
