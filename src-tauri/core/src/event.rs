//! The event a library names, as the organizer sets it: the one rule for what a valid event is
//! (days written `YYYY-MM-DD`, the repository `OWNER/REPO`), for the window and the command
//! line alike. The record itself is the catalog's (`catalog::Event`).

use crate::catalog::Event;
use crate::claims::link::parse_repo;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    #[error("the event's {which} day {day:?} is not a day written YYYY-MM-DD")]
    BadDay { which: &'static str, day: String },
    #[error("the event ends ({end}) before it starts ({start})")]
    EndsBeforeStart { start: String, end: String },
    #[error("{0:?} is not a GitHub repository: write OWNER/REPO")]
    Repo(String),
}

/// The event trimmed and checked: what the library keeps.
pub fn checked(event: Event) -> Result<Event, EventError> {
    let trim = |s: String| s.trim().to_string();
    let event = Event {
        name: trim(event.name),
        start: trim(event.start),
        end: trim(event.end),
        place: trim(event.place),
        repository: event
            .repository
            .map(trim)
            .filter(|r| !r.is_empty())
            .map(|r| {
                parse_repo(&r)
                    .map(|(owner, name)| format!("{owner}/{name}"))
                    .ok_or(EventError::Repo(r))
            })
            .transpose()?,
        organizers: event
            .organizers
            .into_iter()
            .map(trim)
            .filter(|o| !o.is_empty())
            .collect(),
    };
    for (which, day) in [("first", &event.start), ("last", &event.end)] {
        if !day.is_empty() && !crate::export::is_date(day) {
            return Err(EventError::BadDay {
                which,
                day: day.clone(),
            });
        }
    }
    if !event.start.is_empty() && !event.end.is_empty() && event.end < event.start {
        return Err(EventError::EndsBeforeStart {
            start: event.start.clone(),
            end: event.end.clone(),
        });
    }
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_is_kept_trimmed_and_checked() {
        let e = checked(Event {
            name: " KCS Shanghai 2023 ".into(),
            start: "2023-09-26".into(),
            end: String::new(),
            place: "Shanghai".into(),
            repository: Some(" kubernetes/community ".into()),
            organizers: vec!["Paco Xu (DaoCloud)".into(), " ".into()],
        })
        .expect("valid");
        assert_eq!(e.name, "KCS Shanghai 2023");
        assert_eq!(e.repository.as_deref(), Some("kubernetes/community"));
        assert_eq!(e.organizers, ["Paco Xu (DaoCloud)"]);
        let bad = |f: fn(&mut Event)| {
            let mut e = Event::default();
            f(&mut e);
            checked(e).is_err()
        };
        assert!(bad(|e| e.start = "26/09/2023".into()));
        assert!(bad(|e| e.repository = Some("not a repo".into())));
        assert!(bad(|e| {
            e.start = "2023-09-27".into();
            e.end = "2023-09-26".into();
        }));
        assert!(!bad(|e| e.repository = Some(String::new())));
    }
}
