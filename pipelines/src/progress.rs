//! Terminal progress bars for the jobs (hidden unless asked for) and a reader that advances one.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::Read;

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

/// Advances a progress bar by the bytes read through it.
pub struct ProgressReader<R> {
    inner: R,
    bar: ProgressBar,
}

impl<R: Read> ProgressReader<R> {
    pub fn new(inner: R, bar: ProgressBar) -> Self {
        ProgressReader { inner, bar }
    }
}

impl<R: Read> Read for ProgressReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}
