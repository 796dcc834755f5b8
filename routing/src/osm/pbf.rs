//! `.osm.pbf`: two passes over the file, block by block, never the whole file in memory.
//!
//! Pass one keeps the routable ways and the restriction relations; pass two keeps only the
//! nodes those ways reference (a sorted id list, binary searched), so a large extract costs
//! memory for its road nodes, not for every node in it.
//!
//! A file fails when it is not a complete PBF file: no `OSMHeader` block first, a damaged or
//! cut-off block, stray bytes after the last block. The decoder runs behind `catch_unwind`, so
//! a block crafted to make the third-party decoder panic is an error too, not a crash.

use super::collect::Collector;
use super::restriction::{Member, MemberKind};
use super::{OsmData, OsmError};
use osmpbf::{BlobDecode, BlobReader, Element, PrimitiveBlock, RelMemberType};
use std::io::{BufReader, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

fn pbf_error(path: &Path, message: impl ToString) -> OsmError {
    OsmError::Pbf { path: path.to_owned(), message: message.to_string() }
}

/// A reader that counts the bytes read through it.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Hands every data block of the file to `visit`, in order.
fn scan(path: &Path, mut visit: impl FnMut(&PrimitiveBlock)) -> Result<(), OsmError> {
    let file = std::fs::File::open(path).map_err(|source| OsmError::Io { path: path.to_owned(), source })?;
    let count = Arc::new(AtomicU64::new(0));
    let reader = Counting { inner: BufReader::with_capacity(1 << 20, file), count: count.clone() };
    let mut blocks = 0u64;
    let mut clean_end = 0u64;
    for blob in BlobReader::new(reader) {
        let blob = blob.map_err(|e| pbf_error(path, e))?;
        let outcome = catch_unwind(AssertUnwindSafe(|| -> Result<(), String> {
            match blob.decode().map_err(|e| e.to_string())? {
                BlobDecode::OsmHeader(_) if blocks == 0 => {}
                BlobDecode::OsmData(block) if blocks > 0 => visit(&block),
                BlobDecode::Unknown(_) if blocks > 0 => {}
                _ => return Err("it does not start with an OSMHeader block".to_owned()),
            }
            Ok(())
        }));
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(message)) => return Err(pbf_error(path, message)),
            Err(_) => return Err(pbf_error(path, format!("block {blocks} is malformed (the decoder gave up)"))),
        }
        blocks += 1;
        clean_end = count.load(Ordering::Relaxed);
    }
    if blocks == 0 {
        return Err(pbf_error(path, "it holds no complete block"));
    }
    let stray = count.load(Ordering::Relaxed) - clean_end;
    if stray > 0 {
        return Err(pbf_error(path, format!("it ends with {stray} bytes of a cut-off block")));
    }
    Ok(())
}

fn member_kind(t: &RelMemberType) -> MemberKind {
    match t {
        RelMemberType::Node => MemberKind::Node,
        RelMemberType::Way => MemberKind::Way,
        RelMemberType::Relation => MemberKind::Relation,
    }
}

pub fn read(path: &Path) -> Result<OsmData, OsmError> {
    let mut c = Collector::default();
    scan(path, |block| {
        for element in block.elements() {
            match element {
                Element::Way(w) => {
                    let tags = c.tags(w.tags(), |_| true);
                    c.way(w.id(), w.refs().collect(), tags);
                }
                Element::Relation(r) => {
                    let tags = c.tags(r.tags(), |_| true);
                    let members: Vec<Member> = r
                        .members()
                        .map(|m| Member {
                            kind: member_kind(&m.member_type),
                            id: m.member_id,
                            role: m.role().unwrap_or_default().to_owned(),
                        })
                        .collect();
                    c.relation(r.id(), &members, &tags);
                }
                Element::Node(_) | Element::DenseNode(_) => {}
            }
        }
    })?;
    let needed = c.needed_nodes();
    let wanted = |id: i64| needed.binary_search(&id).is_ok();
    scan(path, |block| {
        for element in block.elements() {
            match element {
                Element::DenseNode(n) => {
                    c.data.report.nodes_read += 1;
                    if wanted(n.id()) {
                        let tags = c.node_tags(n.tags());
                        c.node(n.id(), n.lat(), n.lon(), tags);
                    }
                }
                Element::Node(n) => {
                    c.data.report.nodes_read += 1;
                    if wanted(n.id()) {
                        let tags = c.node_tags(n.tags());
                        c.node(n.id(), n.lat(), n.lon(), tags);
                    }
                }
                Element::Way(_) | Element::Relation(_) => {}
            }
        }
    })?;
    Ok(c.finish())
}
