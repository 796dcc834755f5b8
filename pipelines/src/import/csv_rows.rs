//! CSV: a header row naming `BusinessInput` fields, then one business per row.

use super::sink::{Location, RowSink};
use super::{open, ImportError};
use crate::progress::ProgressReader;
use csv::ByteRecord;
use locus_business::BusinessInput;
use std::path::Path;

/// The columns a CSV file may have, in the order `synth::write_csv` writes them.
pub const CSV_FIELDS: [&str; 12] = locus_business::model::INPUT_FIELDS;

/// The columns a CSV header must name.
pub const REQUIRED_CSV_FIELDS: [&str; 4] = ["name", "category", "latitude", "longitude"];

#[derive(Clone, Copy)]
enum Field {
    ExternalId,
    Name,
    Category,
    Address,
    City,
    Country,
    Latitude,
    Longitude,
    Phone,
    Website,
    OpeningHours,
    Timezone,
}

/// Which record position holds each of [`CSV_FIELDS`].
struct Columns {
    index: [Option<usize>; CSV_FIELDS.len()],
    width: usize,
}

impl Columns {
    /// Maps the header; returns the columns and the names of unknown (ignored) columns.
    fn from_header(header: &ByteRecord) -> Result<(Columns, Vec<String>), String> {
        let mut index = [None; CSV_FIELDS.len()];
        let mut ignored = Vec::new();
        for (i, raw) in header.iter().enumerate() {
            let name = std::str::from_utf8(raw).map_err(|_| "is not UTF-8 text".to_owned())?;
            let name = name.trim_start_matches('\u{feff}').trim().to_ascii_lowercase();
            match CSV_FIELDS.iter().position(|f| *f == name) {
                Some(f) if index[f].is_some() => return Err(format!("column {name:?} appears twice")),
                Some(f) => index[f] = Some(i),
                None if name.is_empty() => ignored.push(format!("#{} (unnamed)", i + 1)),
                None => ignored.push(name),
            }
        }
        let missing: Vec<&str> = REQUIRED_CSV_FIELDS
            .iter()
            .filter(|r| CSV_FIELDS.iter().zip(&index).any(|(f, i)| f == *r && i.is_none()))
            .copied()
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "missing required column(s) {}; a header must name at least {} (known columns: {})",
                missing.join(", "),
                REQUIRED_CSV_FIELDS.join(", "),
                CSV_FIELDS.join(", ")
            ));
        }
        Ok((Columns { index, width: header.len() }, ignored))
    }

    fn get<'r>(&self, record: &'r ByteRecord, field: Field) -> Result<Option<&'r str>, String> {
        let Some(raw) = self.index[field as usize].and_then(|i| record.get(i)) else {
            return Ok(None);
        };
        std::str::from_utf8(raw).map(Some).map_err(|_| format!("{}: not valid UTF-8", CSV_FIELDS[field as usize]))
    }

    fn text(&self, record: &ByteRecord, field: Field) -> Result<Option<String>, String> {
        Ok(self.get(record, field)?.filter(|s| !s.is_empty()).map(str::to_owned))
    }

    fn number(&self, record: &ByteRecord, field: Field) -> Result<f64, String> {
        let name = CSV_FIELDS[field as usize];
        let raw = self.get(record, field)?.map(str::trim).unwrap_or_default();
        if raw.is_empty() {
            return Err(format!("{name}: is required"));
        }
        raw.parse().map_err(|_| format!("{name}: not a number: {:?}", raw.chars().take(40).collect::<String>()))
    }

    fn business(&self, record: &ByteRecord) -> Result<BusinessInput, String> {
        if record.len() != self.width {
            return Err(format!("expected {} fields as in the header, found {}", self.width, record.len()));
        }
        Ok(BusinessInput {
            external_id: self.text(record, Field::ExternalId)?,
            name: self.text(record, Field::Name)?.unwrap_or_default(),
            category: self.text(record, Field::Category)?.unwrap_or_default(),
            address: self.text(record, Field::Address)?,
            city: self.text(record, Field::City)?,
            country: self.text(record, Field::Country)?,
            latitude: self.number(record, Field::Latitude)?,
            longitude: self.number(record, Field::Longitude)?,
            phone: self.text(record, Field::Phone)?,
            website: self.text(record, Field::Website)?,
            opening_hours: self.text(record, Field::OpeningHours)?,
            timezone: self.text(record, Field::Timezone)?,
        })
    }
}

fn read_error(path: &Path, e: csv::Error) -> ImportError {
    match e.into_kind() {
        csv::ErrorKind::Io(source) => ImportError::Io { path: path.to_owned(), source },
        other => ImportError::Header { path: path.to_owned(), message: format!("{other:?}") },
    }
}

pub fn read(path: &Path, sink: &mut RowSink) -> Result<(), ImportError> {
    let reader = ProgressReader::new(open(path)?, sink.bar().clone());
    let mut csv = csv::ReaderBuilder::new().flexible(true).buffer_capacity(1 << 16).from_reader(reader);
    let header = csv.byte_headers().map_err(|e| read_error(path, e))?.clone();
    let (columns, ignored) =
        Columns::from_header(&header).map_err(|message| ImportError::Header { path: path.to_owned(), message })?;
    if !ignored.is_empty() {
        tracing::warn!(columns = %ignored.join(", "), "ignoring unknown CSV columns");
        sink.warn(Location::Line(1).to_string(), format!("ignored unknown column(s): {}", ignored.join(", ")));
    }
    let mut record = ByteRecord::new();
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line());
                sink.accept(Location::Line(line), columns.business(&record))?;
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                match e.into_kind() {
                    csv::ErrorKind::Io(source) => return Err(ImportError::Io { path: path.to_owned(), source }),
                    other => sink.skip(Location::Line(line), format!("unreadable CSV row: {other:?}")),
                }
            }
        }
    }
}
