//! Watches what a process tree talks to: every 50 ms, the sockets of the given process and its
//! descendants (the app, and WebKit's web and network processes) are matched against the
//! kernel's TCP and UDP tables, and any peer that is not this machine is recorded. Polling can
//! miss a socket that lives less than 50 ms; a page, an image or an API call from a CDN or a
//! telemetry endpoint holds its connection far longer.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub struct NetworkWatch {
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<BTreeSet<String>>>,
    samples: Arc<Mutex<u64>>,
    /// Sockets of the tree found in the kernel's tables, loopback included: proof the watch
    /// sees the right processes.
    sockets: Arc<Mutex<u64>>,
}

impl NetworkWatch {
    pub fn start(root_pid: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(BTreeSet::new()));
        let samples = Arc::new(Mutex::new(0));
        let sockets = Arc::new(Mutex::new(0));
        let (s, w, n) = (Arc::clone(&stop), Arc::clone(&seen), Arc::clone(&samples));
        let k = Arc::clone(&sockets);
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                let (peers, found) = remote_peers(root_pid);
                w.lock().unwrap().extend(peers);
                *k.lock().unwrap() += found;
                *n.lock().unwrap() += 1;
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        Self {
            stop,
            seen,
            samples,
            sockets,
        }
    }

    /// Peers outside this machine seen so far, and how many times the tree was looked at.
    pub fn outside(&self) -> (Vec<String>, u64) {
        (
            self.seen.lock().unwrap().iter().cloned().collect(),
            *self.samples.lock().unwrap(),
        )
    }

    /// How many (socket, sample) sightings there were, any address.
    pub fn sockets_seen(&self) -> u64 {
        *self.sockets.lock().unwrap()
    }

    /// Fails unless the tree was looked at more than `min_samples` times, its own sockets were
    /// seen (so the watch looked at the right processes), and no peer was off this machine.
    pub fn assert_stayed_local(&self, min_samples: u64) {
        let (outside, samples) = self.outside();
        assert!(samples > min_samples, "the watch looked {samples} times");
        assert!(
            self.sockets_seen() > 0,
            "the watch saw none of the app's sockets"
        );
        assert!(
            outside.is_empty(),
            "connected off this machine: {outside:?}"
        );
    }
}

impl Drop for NetworkWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// The process and all its descendants.
fn tree(root: u32) -> HashSet<u32> {
    let mut parent_of: HashMap<u32, u32> = HashMap::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": comm may hold spaces, so read after the last ')'.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse().ok());
        if let Some(ppid) = ppid {
            parent_of.insert(pid, ppid);
        }
    }
    let mut found: HashSet<u32> = HashSet::from([root]);
    loop {
        let before = found.len();
        for (&pid, ppid) in &parent_of {
            if found.contains(ppid) {
                found.insert(pid);
            }
        }
        if found.len() == before {
            return found;
        }
    }
}

fn socket_inodes(pids: &HashSet<u32>) -> HashSet<u64> {
    let mut inodes = HashSet::new();
    for pid in pids {
        for fd in std::fs::read_dir(format!("/proc/{pid}/fd"))
            .into_iter()
            .flatten()
            .flatten()
        {
            if let Ok(target) = std::fs::read_link(fd.path()) {
                let t = target.to_string_lossy();
                if let Some(inode) = t.strip_prefix("socket:[").and_then(|r| r.strip_suffix(']')) {
                    if let Ok(inode) = inode.parse() {
                        inodes.insert(inode);
                    }
                }
            }
        }
    }
    inodes
}

/// Peers off this machine, and how many of the tree's sockets the tables listed.
fn remote_peers(root: u32) -> (Vec<String>, u64) {
    let inodes = socket_inodes(&tree(root));
    let mut peers = Vec::new();
    let mut found = 0;
    for table in ["tcp", "tcp6", "udp", "udp6"] {
        let Ok(text) = std::fs::read_to_string(format!("/proc/net/{table}")) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let (Some(remote), Some(inode)) = (cols.get(2), cols.get(9)) else {
                continue;
            };
            let Ok(inode) = inode.parse::<u64>() else {
                continue;
            };
            if inodes.contains(&inode) {
                found += 1;
                if !on_this_machine(remote) {
                    peers.push(format!("{table} {remote}"));
                }
            }
        }
    }
    (peers, found)
}

/// `HEXADDR:PORT` as the kernel prints it: unconnected (all zero) or loopback.
fn on_this_machine(endpoint: &str) -> bool {
    let address = endpoint.split(':').next().unwrap_or("");
    if address.chars().all(|c| c == '0') {
        return true;
    }
    let ipv4 = |hex: &str| u32::from_str_radix(hex, 16).ok().map(u32::to_le_bytes);
    match address.len() {
        8 => ipv4(address).is_some_and(|b| b[0] == 127),
        32 => {
            let (head, last) = address.split_at(24);
            // ::1, or ::ffff:127.x.y.z
            (head == "000000000000000000000000" && last == "01000000")
                || (head == "0000000000000000FFFF0000" && ipv4(last).is_some_and(|b| b[0] == 127))
        }
        _ => false,
    }
}
