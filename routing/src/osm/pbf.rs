//! `.osm.pbf`: two passes over the file, block by block, never the whole file in memory.
//!
//! Pass one keeps the routable ways and the restriction relations; pass two keeps only the
//! nodes those ways reference (a sorted id list, binary searched), so a large extract costs
//! memory for its road nodes, not for every node in it.
//!
//! A file fails when it is not a complete PBF file: no `OSMHeader` block first, a damaged or
//! cut-off block, stray bytes after the last block (the strict reader is `locus_core::pbf`).

use super::collect::{may_be_restriction, may_be_routable, Collector};
use super::restriction::{Member, MemberKind};
use super::{OsmData, OsmError};
use locus_core::pbf::{scan_file, FileScanError};
use osmpbf::{Element, PrimitiveBlock, RelMemberType};
use std::path::Path;

fn pbf_error(path: &Path, message: impl ToString) -> OsmError {
    OsmError::Pbf { path: path.to_owned(), message: message.to_string() }
}

/// Hands every data block of the file to `visit`, in order (see [`locus_core::pbf`] for what
/// is refused).
fn scan(path: &Path, visit: impl FnMut(&PrimitiveBlock)) -> Result<(), OsmError> {
    scan_file(path, visit).map(|_| ()).map_err(|e| match e {
        FileScanError::Io(source) => OsmError::Io { path: path.to_owned(), source },
        FileScanError::Invalid(message) => pbf_error(path, message),
    })
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
                Element::Way(w) if !may_be_routable(w.tags()) => c.skip_way(),
                Element::Way(w) => {
                    let tags = c.tags(w.tags(), |_| true);
                    c.way(w.id(), w.refs().collect(), tags);
                }
                Element::Relation(r) if !may_be_restriction(r.tags()) => c.skip_relation(),
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
