//! The summary a run prints.

use super::{RenderSummary, Scope};
use std::fmt;

/// `YYYY-MM-DDTHH:MM:SSZ` of milliseconds since the epoch.
fn utc(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map_or_else(|| format!("{ms} ms"), |t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

impl fmt::Display for RenderSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.elapsed.as_secs_f64();
        let mib = |b: u64| b as f64 / (1 << 20) as f64;
        writeln!(f, "map tiles in {}", self.out.display())?;
        writeln!(f, "read:    {} features in {:.2} s", self.features, self.read_time.as_secs_f64())?;
        writeln!(
            f,
            "tiles:   {} written of {} in range; {} proven copies not rendered; {} stored as links to identical tiles",
            self.written, self.tiles, self.proven_copies, self.deduplicated
        )?;
        match &self.scope {
            Scope::Everything => {}
            Scope::NoIndex { why } => writeln!(f, "changes: rendered everything: {why}")?,
            Scope::EditedAfter { features, newest_edit_ms } => {
                let newest = utc(*newest_edit_ms);
                let written = self.written;
                writeln!(
                    f,
                    "changes: {written} re-rendered: {features} features edited after --since (newest edit {newest})"
                )?;
                if *features == 0 {
                    writeln!(
                        f,
                        "         to re-render what changed since the last render into this directory: --since last"
                    )?;
                }
            }
            Scope::SinceLastRender { added, removed, modified, new_zooms } => {
                write!(
                    f,
                    "changes: {} re-rendered: {} features changed since the last render ({added} added, {removed} removed, {modified} modified)",
                    self.written,
                    added + removed + modified
                )?;
                match (new_zooms.first(), new_zooms.last()) {
                    (Some(lo), Some(hi)) => writeln!(f, "; zooms {lo}-{hi} it did not cover rendered in full")?,
                    _ => writeln!(f)?,
                }
            }
        }
        writeln!(
            f,
            "bytes:   {:.2} MiB stored ({:.2} MiB of tiles before deduplication)",
            mib(self.stored_bytes),
            mib(self.tile_bytes)
        )?;
        match &self.labels_font {
            Some(font) => writeln!(f, "labels:  {}", font.display())?,
            None => writeln!(f, "labels:  none (vector tiles carry names; for PNG no font was found, see --font)")?,
        }
        if let Some((path, bytes)) = &self.archive {
            writeln!(f, "archive: {} ({:.2} MiB)", path.display(), mib(*bytes))?;
        }
        let render_secs = (secs - self.read_time.as_secs_f64()).max(1e-9);
        write!(f, "time:    {secs:.2} s, {:.0} tiles/s", self.written as f64 / render_secs)?;
        if let Some(peak) = self.peak_rss_bytes {
            write!(f, "; peak memory {:.1} MiB", mib(peak))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(1_457_127_183_000), "2016-03-04T21:33:03Z");
        assert_eq!(utc(-1000), "1969-12-31T23:59:59Z");
    }
}
