//! Two real Syncthing instances on 127.0.0.1 keeping two folders in sync, with no network
//! beyond loopback (no discovery, relays, NAT, telemetry or upgrades), as
//! `../shared/notes/syncthing-on-loopback.md` describes. The test starts and stops them.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub struct SyncthingPair {
    children: Vec<Child>,
    _homes: tempfile::TempDir,
}

impl Drop for SyncthingPair {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Whether Debian's syncthing is installed (scripts/setup.sh installs it).
pub fn available() -> bool {
    Command::new("syncthing")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

struct Instance {
    home: std::path::PathBuf,
    id: String,
    port: u16,
}

/// Starts two instances sharing `a` (the first's) and `b` (the second's) as one folder.
pub fn pair(a: &Path, b: &Path) -> SyncthingPair {
    let homes = tempfile::tempdir().expect("syncthing homes");
    let instances: Vec<Instance> = ["one", "two"]
        .iter()
        .map(|name| {
            let home = homes.path().join(name);
            let out = Command::new("syncthing")
                .arg("generate")
                .arg(format!("--home={}", home.display()))
                .arg("--no-default-folder")
                .output()
                .expect("syncthing generate");
            assert!(out.status.success(), "{out:?}");
            let config = std::fs::read_to_string(home.join("config.xml")).expect("config");
            let id = config
                .split("<device id=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .expect("device id")
                .to_string();
            Instance {
                home,
                id,
                port: free_port(),
            }
        })
        .collect();
    let mut children = Vec::new();
    for (i, (me, folder)) in instances.iter().zip([a, b]).enumerate() {
        let other = &instances[1 - i];
        std::fs::create_dir_all(folder.join(".stfolder")).expect("folder marker");
        let path = me.home.join("config.xml");
        let config = std::fs::read_to_string(&path).expect("config");
        let shared = format!(
            r#"<device id="{other_id}" name="other" compression="metadata" introducer="false" skipIntroductionRemovals="false" introducedBy=""><address>tcp://127.0.0.1:{other_port}</address><paused>false</paused><autoAcceptFolders>false</autoAcceptFolders></device>
    <folder id="whoiswho-team" label="team" path="{folder}" type="sendreceive" rescanIntervalS="5" fsWatcherEnabled="true" fsWatcherDelayS="1" ignorePerms="false" autoNormalize="true"><filesystemType>basic</filesystemType><device id="{me_id}" introducedBy=""></device><device id="{other_id}" introducedBy=""></device><minDiskFree unit="%">1</minDiskFree></folder>
    <gui "#,
            other_id = other.id,
            other_port = other.port,
            folder = folder.display(),
            me_id = me.id,
        );
        let config = config
            .replacen("<gui ", &shared, 1)
            .replace(
                "<address>127.0.0.1:8384</address>",
                &format!("<address>127.0.0.1:{}</address>", free_port()),
            )
            .replace(
                "<listenAddress>default</listenAddress>",
                &format!("<listenAddress>tcp://127.0.0.1:{}</listenAddress>", me.port),
            )
            .replace(
                "<globalAnnounceEnabled>true",
                "<globalAnnounceEnabled>false",
            )
            .replace("<localAnnounceEnabled>true", "<localAnnounceEnabled>false")
            .replace("<relaysEnabled>true", "<relaysEnabled>false")
            .replace("<natEnabled>true", "<natEnabled>false")
            .replace("<startBrowser>true", "<startBrowser>false")
            .replace("<urAccepted>0<", "<urAccepted>-1<")
            .replace("<autoUpgradeIntervalH>12<", "<autoUpgradeIntervalH>0<")
            .replace(
                "<crashReportingEnabled>true",
                "<crashReportingEnabled>false",
            );
        std::fs::write(&path, config).expect("write config");
        let child = Command::new("syncthing")
            .arg("serve")
            .arg(format!("--home={}", me.home.display()))
            .args(["--no-browser", "--no-restart"])
            .env("STNOUPGRADE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("syncthing serve");
        children.push(child);
    }
    SyncthingPair {
        children,
        _homes: homes,
    }
}
