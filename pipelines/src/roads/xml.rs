//! OSM XML (`.osm`, API 0.6) output of an [`OsmData`]: `<bounds>`, the nodes by id, the ways
//! in order, then the turn restrictions as `type=restriction` relations.
//!
//! Coordinates are printed with 7 decimals (OSM's precision) from integers, so a value already
//! rounded to 7 decimals reads back bit for bit. Tag keys and values are escaped (`&`, `<`,
//! `>`, `"`, `'`, and tab, line feed and carriage return as character references); the other
//! control characters, which XML 1.0 cannot carry at all, become U+FFFD.

use locus_routing::osm::{OsmNode, Restriction, TurnKind, Via};
use locus_routing::{OsmData, Tags};
use std::io::{self, BufWriter, Write};

/// Writes `data` as OSM XML.
pub fn write_osm_xml(data: &OsmData, out: impl Write) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 16, out);
    out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    out.write_all(b"<osm version=\"0.6\" generator=\"locus\">\n")?;
    let mut nodes: Vec<(i64, &OsmNode)> = data.nodes.iter().map(|(&id, n)| (id, n)).collect();
    nodes.sort_unstable_by_key(|n| n.0);
    if !nodes.is_empty() {
        let (mut s, mut w, mut n, mut e) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for (_, node) in &nodes {
            (s, w, n, e) = (s.min(node.lat), w.min(node.lon), n.max(node.lat), e.max(node.lon));
        }
        out.write_all(b" <bounds minlat=\"")?;
        coord(&mut out, s)?;
        out.write_all(b"\" minlon=\"")?;
        coord(&mut out, w)?;
        out.write_all(b"\" maxlat=\"")?;
        coord(&mut out, n)?;
        out.write_all(b"\" maxlon=\"")?;
        coord(&mut out, e)?;
        out.write_all(b"\"/>\n")?;
    }
    for (id, node) in nodes {
        write!(out, " <node id=\"{id}\" version=\"1\" lat=\"")?;
        coord(&mut out, node.lat)?;
        out.write_all(b"\" lon=\"")?;
        coord(&mut out, node.lon)?;
        if node.tags.is_empty() {
            out.write_all(b"\"/>\n")?;
        } else {
            out.write_all(b"\">\n")?;
            tags(&mut out, &node.tags)?;
            out.write_all(b" </node>\n")?;
        }
    }
    for way in &data.ways {
        writeln!(out, " <way id=\"{}\" version=\"1\">", way.id)?;
        for r in &way.nodes {
            writeln!(out, "  <nd ref=\"{r}\"/>")?;
        }
        tags(&mut out, &way.tags)?;
        out.write_all(b" </way>\n")?;
    }
    // A relation that states several restrictions (`restriction` and `restriction:bicycle`)
    // was read as consecutive restrictions with its id: write it back as one.
    let mut rest = data.restrictions.as_slice();
    while let Some(first) = rest.first() {
        let n = rest.iter().take_while(|r| r.id == first.id).count();
        relation(&mut out, &rest[..n])?;
        rest = &rest[n..];
    }
    out.write_all(b"</osm>\n")?;
    out.flush()
}

/// Degrees with 7 decimals, from the rounded integer (no float formatting, no `-0`).
fn coord(out: &mut impl Write, deg: f64) -> io::Result<()> {
    let e7 = (deg * 1e7).round() as i64;
    let sign = if e7 < 0 { "-" } else { "" };
    let abs = e7.unsigned_abs();
    write!(out, "{sign}{}.{:07}", abs / 10_000_000, abs % 10_000_000)
}

fn tags(out: &mut impl Write, tags: &Tags) -> io::Result<()> {
    for (k, v) in tags.iter() {
        out.write_all(b"  <tag k=\"")?;
        escaped(out, k)?;
        out.write_all(b"\" v=\"")?;
        escaped(out, v)?;
        out.write_all(b"\"/>\n")?;
    }
    Ok(())
}

/// Writes `s` as the content of a double-quoted XML attribute.
fn escaped(out: &mut impl Write, s: &str) -> io::Result<()> {
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let entity: &str = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&apos;",
            '\t' => "&#9;",
            '\n' => "&#10;",
            '\r' => "&#13;",
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => "\u{FFFD}",
            _ => continue,
        };
        out.write_all(&s.as_bytes()[start..i])?;
        out.write_all(entity.as_bytes())?;
        start = i + c.len_utf8();
    }
    out.write_all(&s.as_bytes()[start..])
}

/// One `type=restriction` relation stating `group` (restrictions with one id and members).
fn relation(out: &mut impl Write, group: &[Restriction]) -> io::Result<()> {
    let r = &group[0];
    writeln!(out, " <relation id=\"{}\" version=\"1\">", r.id)?;
    for from in &r.from {
        writeln!(out, "  <member type=\"way\" ref=\"{from}\" role=\"from\"/>")?;
    }
    match &r.via {
        Via::Node(n) => writeln!(out, "  <member type=\"node\" ref=\"{n}\" role=\"via\"/>")?,
        Via::Ways(ways) => {
            for w in ways {
                writeln!(out, "  <member type=\"way\" ref=\"{w}\" role=\"via\"/>")?;
            }
        }
    }
    for to in &r.to {
        writeln!(out, "  <member type=\"way\" ref=\"{to}\" role=\"to\"/>")?;
    }
    let mut t = Tags::new();
    t.insert("type", "restriction");
    for r in group {
        let key = match &r.mode {
            Some(mode) => format!("restriction:{mode}"),
            None => "restriction".to_owned(),
        };
        let kind = match r.kind {
            TurnKind::No => "no",
            TurnKind::Only => "only",
        };
        t.insert(&key, &format!("{kind}_{}", r.turn));
    }
    if !r.except.is_empty() {
        t.insert("except", &r.except.join(";"));
    }
    tags(out, &t)?;
    out.write_all(b" </relation>\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use locus_routing::osm::{OsmNode, OsmWay};

    fn text(f: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut buf = Vec::new();
        f(&mut buf).unwrap_or_else(|e| panic!("{e}"));
        String::from_utf8(buf).unwrap_or_default()
    }

    #[test]
    fn escapes_and_coordinates() {
        let check = |s: &str, want: &str| assert_eq!(text(|o| escaped(o, s)), want, "{s:?}");
        check("plain", "plain");
        check("Mill & Bakery <Lane>", "Mill &amp; Bakery &lt;Lane&gt;");
        check("l'\"É\"", "l&apos;&quot;É&quot;");
        check("a\tb\nc\u{1}", "a&#9;b&#10;c\u{FFFD}");
        let c = |v: f64, want: &str| assert_eq!(text(|o| coord(o, v)), want, "{v}");
        c(45.1234567, "45.1234567");
        c(-0.00000004, "0.0000000");
        c(-0.5, "-0.5000000");
        c(-179.9999999, "-179.9999999");
        c(5.0, "5.0000000");
    }

    #[test]
    fn relations_with_several_restrictions_are_written_once() {
        let r = Restriction {
            id: 9,
            kind: TurnKind::No,
            turn: "left_turn".to_owned(),
            mode: None,
            from: vec![1],
            via: Via::Node(5),
            to: vec![2],
            except: vec!["psv".to_owned(), "bicycle".to_owned()],
        };
        let bike = Restriction {
            kind: TurnKind::Only,
            turn: "straight_on".to_owned(),
            mode: Some("bicycle".into()),
            ..r.clone()
        };
        let mut data = OsmData::default();
        for (id, lat) in [(5, 1.0), (6, 2.0), (7, 0.0)] {
            data.nodes.insert(id, OsmNode { lat, lon: 1.0, tags: Tags::new() });
        }
        let way = |id, nodes: Vec<i64>| OsmWay { id, nodes, tags: [("highway", "residential")].into_iter().collect() };
        data.ways = vec![way(1, vec![7, 5]), way(2, vec![5, 6])];
        data.restrictions = vec![r, bike];
        let xml = text(|o| write_osm_xml(&data, o));
        assert_eq!(xml.matches("<relation").count(), 1, "{xml}");
        assert!(xml.contains("<tag k=\"restriction:bicycle\" v=\"only_straight_on\"/>"), "{xml}");
        assert!(xml.contains("<tag k=\"except\" v=\"psv;bicycle\"/>"), "{xml}");
        let back = locus_routing::read_xml(xml.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.restrictions, data.restrictions);
        assert_eq!(back.ways, data.ways);
        assert_eq!(back.nodes, data.nodes);
    }
}
