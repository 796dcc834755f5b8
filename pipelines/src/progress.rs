//! Terminal progress bars for the jobs (hidden unless asked for) and a byte-counting reader.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

const BYTES_TEMPLATE: &str = "{spinner} {prefix} [{elapsed_precise}] [{wide_bar}] {bytes}/{total_bytes} ({eta}) {msg}";
const COUNT_TEMPLATE: &str =
    "{spinner} {prefix} [{elapsed_precise}] [{wide_bar}] {human_pos}/{human_len} ({eta}) {msg}";

fn styled(visible: bool, len: u64, template: &str, prefix: &'static str) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar());
    ProgressBar::new(len).with_style(style).with_prefix(prefix)
}

/// A bar over `len` bytes, or a hidden one when `visible` is false.
pub fn bytes_bar(visible: bool, len: u64, prefix: &'static str) -> ProgressBar {
    styled(visible, len, BYTES_TEMPLATE, prefix)
}

/// A bar over `len` items (rows, index rows, cells), or a hidden one when `visible` is false.
pub fn count_bar(visible: bool, len: u64, prefix: &'static str) -> ProgressBar {
    styled(visible, len, COUNT_TEMPLATE, prefix)
}

/// Counts the bytes read through it, advancing a progress bar and a shared counter.
pub struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
    bar: ProgressBar,
}

impl<R: Read> CountingReader<R> {
    pub fn new(inner: R, bar: ProgressBar) -> Self {
        CountingReader { inner, count: Arc::new(AtomicU64::new(0)), bar }
    }

    /// A handle on the number of bytes read so far, for use while the reader is owned elsewhere.
    pub fn counter(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.count)
    }
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        self.bar.inc(n as u64);
        Ok(n)
    }
}
