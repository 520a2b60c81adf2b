//! Execution stage: the fingerprint of an `ensemble` campaign. While the campaign runs it is the
//! one line of `OUT.part.meta` (resume checks it); when a shard completes, `OUT.meta` keeps it
//! next to `OUT`, one `key=value` per line, with the FNV-1a hash of `OUT` itself and the scenario
//! path, so that `merge` can refuse shards of different campaigns and files changed since.

use std::path::{Path, PathBuf};

use crate::error::{HostError, Result};
use crate::exec::shard::{fnv1a_file, Shard};
use crate::output::write_atomic;

/// First line of every `OUT.meta`.
const MAGIC: &str = "# larmor ensemble campaign";

/// The keys that make shards one campaign (the shard index and the rows hash may differ).
const CAMPAIGN_KEYS: [(&str, &str); 4] = [
    ("scenario", "the scenario files differ (content hash)"),
    ("seed", "the seeds differ"),
    ("trials", "the trial counts differ"),
    ("precision", "the precisions differ"),
];

/// What identifies a campaign and one shard of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// FNV-1a hash of the scenario file's bytes.
    pub scenario: u64,
    /// Seed.
    pub seed: u64,
    /// Trials of the whole campaign.
    pub trials: u64,
    /// This shard.
    pub shard: Shard,
    /// `--precision` as written by `{:?}` (`F64`, `F32`).
    pub precision: String,
}

/// The sidecar `OUT.meta` of a completed output.
pub fn meta_path(out: &Path) -> PathBuf {
    let mut p = out.as_os_str().to_owned();
    p.push(".meta");
    PathBuf::from(p)
}

impl Fingerprint {
    /// The one-line form of `OUT.part.meta` (unchanged since resumption was introduced).
    pub fn line(&self) -> String {
        format!(
            "scenario={:016x} seed={} trials={} shard={}/{} precision={}",
            self.scenario,
            self.seed,
            self.trials,
            self.shard.index,
            self.shard.count,
            self.precision
        )
    }

    /// Writes `OUT.meta` for the finished file `data` (its bytes are hashed), atomically.
    pub fn write_meta(&self, out: &Path, data: &Path, source: &str) -> Result<()> {
        let rows =
            fnv1a_file(data).map_err(|e| HostError::runtime(format!("{}: {e}", data.display())))?;
        let text = format!(
            "{MAGIC}\n{}\nrows={:016x}\nsource={}\n",
            self.line().replace(' ', "\n"),
            rows,
            source.replace('\n', " ")
        );
        write_atomic(&meta_path(out), text.as_bytes())
    }
}

/// A shard's `OUT.meta`, read back: its `key=value` pairs.
pub struct Meta {
    /// `FILE.meta`.
    pub path: PathBuf,
    pairs: Vec<(String, String)>,
}

impl Meta {
    /// The sidecar of `file`: `None` when there is none (a file of an older version, or one
    /// not written by `ensemble`); an error when it is damaged or does not describe `file`.
    pub fn of(file: &Path) -> Result<Option<Self>> {
        let path = meta_path(file);
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Ok(None);
        };
        let shown = path.display().to_string();
        let bad = |what: &str| {
            HostError::input(format!(
                "{shown}: {what} (delete it to merge {} unchecked)",
                file.display()
            ))
        };
        let mut lines = text.lines();
        if lines.next() != Some(MAGIC) {
            return Err(bad("not a campaign fingerprint"));
        }
        let pairs: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let meta = Self { path, pairs };
        for k in CAMPAIGN_KEYS.map(|k| k.0).iter().chain(&["shard", "rows"]) {
            if meta.get(k).is_none() {
                return Err(bad(&format!("no `{k}=` line")));
            }
        }
        let rows = fnv1a_file(file)
            .map_err(|e| HostError::input(format!("cannot read {}: {e}", file.display())))?;
        if meta.get("rows") != Some(&format!("{rows:016x}")) {
            return Err(bad(&format!(
                "does not describe {}: the file changed after its campaign wrote it",
                file.display()
            )));
        }
        Ok(Some(meta))
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&String> {
        self.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The shard `i/n` and the campaign's trial count, if they read back.
    pub fn shard(&self) -> Option<(Shard, u64)> {
        let shard = self.get("shard")?.parse().ok()?;
        let trials = self.get("trials")?.parse().ok()?;
        Some((shard, trials))
    }

    /// The fingerprint this sidecar records, if every value reads back.
    pub fn fingerprint(&self) -> Option<Fingerprint> {
        let (shard, trials) = self.shard()?;
        Some(Fingerprint {
            scenario: u64::from_str_radix(self.get("scenario")?, 16).ok()?,
            seed: self.get("seed")?.parse().ok()?,
            trials,
            shard,
            precision: self.get("precision")?.clone(),
        })
    }

    /// `Err` naming both files and what differs unless `self` and `other` are one campaign.
    pub fn same_campaign(&self, file: &Path, other: &Meta, other_file: &Path) -> Result<()> {
        for (key, why) in CAMPAIGN_KEYS {
            let (a, b) = (self.get(key), other.get(key));
            if a != b {
                let src = |m: &Meta| {
                    m.get("source")
                        .map(|s| format!(" (from {s})"))
                        .filter(|_| key == "scenario")
                        .unwrap_or_default()
                };
                return Err(HostError::input(format!(
                    "{} and {} are shards of different campaigns: {why}: {key}={}{} in {}, {key}={}{} in {}; merge only shards of one campaign (same scenario file, seed, trials and precision)",
                    file.display(),
                    other_file.display(),
                    a.map(String::as_str).unwrap_or("?"),
                    src(self),
                    self.path.display(),
                    b.map(String::as_str).unwrap_or("?"),
                    src(other),
                    other.path.display(),
                )));
            }
        }
        Ok(())
    }
}
