//! OpenStreetMap PBF: named nodes and ways tagged `amenity`, `shop` or `tourism` become
//! businesses (`osm:node/<id>`, `osm:way/<id>`).
//!
//! The file is read block by block, never whole. Pass one imports the nodes and collects the
//! business ways; when there are any, pass two looks up their nodes and places each way at the
//! mean of its nodes. Relations (multipolygon areas) are not imported.
//!
//! OSM data is imported leniently: an invalid optional field (opening hours that do not parse,
//! an over-long phone number) is dropped with a warning and the business kept. A missing name
//! or category, or a position out of range, skips the element.

mod tags;
mod ways;

use super::sink::{Location, RowSink};
use super::{open, ImportError};
use crate::progress::ProgressReader;
use indicatif::ProgressBar;
use locus_business::BusinessInput;
use locus_core::pbf::{scan_blocks, ScanError};
use osmpbf::{Element, PrimitiveBlock};
use std::io::BufReader;
use std::path::Path;
use tags::PoiTags;
use ways::WayPois;

/// Optional fields an OSM business keeps going without, when their value is invalid.
const DROPPABLE: [&str; 7] = ["address", "city", "country", "phone", "website", "opening_hours", "timezone"];

fn field<'b>(b: &'b mut BusinessInput, name: &str) -> Option<&'b mut Option<String>> {
    Some(match name {
        "address" => &mut b.address,
        "city" => &mut b.city,
        "country" => &mut b.country,
        "phone" => &mut b.phone,
        "website" => &mut b.website,
        "opening_hours" => &mut b.opening_hours,
        "timezone" => &mut b.timezone,
        _ => return None,
    })
}

/// Validates `b`, dropping invalid optional fields with a warning each.
fn lenient(mut b: BusinessInput, at: Location, sink: &mut RowSink) -> Result<BusinessInput, String> {
    for _ in 0..=DROPPABLE.len() {
        let e = match b.clone().validate() {
            Ok(valid) => return Ok(valid),
            Err(e) => e,
        };
        match field(&mut b, e.field) {
            Some(slot) if slot.is_some() => {
                *slot = None;
                sink.warn(at.to_string(), format!("{} dropped: {}", e.field, e.message));
            }
            _ => return Err(e.to_string()),
        }
    }
    b.validate().map_err(|e| e.to_string())
}

fn pbf_error(path: &Path, message: impl ToString) -> ImportError {
    ImportError::Pbf { path: path.to_owned(), message: message.to_string() }
}

/// Reads every data block of the file in order (see [`locus_core::pbf`] for what is refused),
/// advancing the progress bar by the bytes read.
fn scan(
    path: &Path,
    bar: &ProgressBar,
    visit: impl FnMut(&PrimitiveBlock) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    bar.set_position(0);
    let reader = ProgressReader::new(BufReader::with_capacity(1 << 20, open(path)?), bar.clone());
    match scan_blocks(reader, visit) {
        Ok(_) => Ok(()),
        Err(ScanError::Invalid(message)) => Err(pbf_error(path, message)),
        Err(ScanError::Visit(e)) => Err(e),
    }
}

fn node<'a>(
    sink: &mut RowSink,
    id: i64,
    lat: f64,
    lng: f64,
    tags: impl Iterator<Item = (&'a str, &'a str)>,
) -> Result<(), ImportError> {
    let Some(business) = PoiTags::collect(tags).business(|| format!("osm:node/{id}"), lat, lng) else {
        return Ok(());
    };
    let at = Location::Node(id);
    let row = lenient(business, at, sink);
    sink.accept(at, row)
}

pub fn read(path: &Path, sink: &mut RowSink) -> Result<(), ImportError> {
    let bar = sink.bar().clone();
    let mut ways = WayPois::default();
    let mut elements = 0u64;
    scan(path, &bar, |block| {
        for element in block.elements() {
            elements += 1;
            match element {
                Element::DenseNode(n) => node(sink, n.id(), n.lat(), n.lon(), n.tags())?,
                Element::Node(n) => node(sink, n.id(), n.lat(), n.lon(), n.tags())?,
                Element::Way(w) => ways.consider(&w),
                Element::Relation(_) => {}
            }
        }
        bar.set_message(format!("{elements} elements"));
        Ok(())
    })?;
    if ways.is_empty() {
        return Ok(());
    }
    bar.set_prefix("locating ways");
    scan(path, &bar, |block| {
        for group in block.groups() {
            group.dense_nodes().for_each(|n| ways.node(n.id(), n.lat(), n.lon()));
            group.nodes().for_each(|n| ways.node(n.id(), n.lat(), n.lon()));
        }
        Ok(())
    })?;
    for poi in std::mem::take(&mut ways.pois) {
        let at = Location::Way(poi.id);
        let Some((lat, lng)) = poi.location() else {
            sink.skip(at, format!("none of its {} nodes are in the file", poi.nodes));
            continue;
        };
        if poi.found < poi.nodes {
            let missing = poi.nodes - poi.found;
            sink.warn(at.to_string(), format!("placed by {} of its nodes; {missing} are not in the file", poi.found));
        }
        let row = lenient(BusinessInput { latitude: lat, longitude: lng, ..poi.business }, at, sink);
        sink.accept(at, row)?;
    }
    Ok(())
}
