//! Turn restriction relations (`type=restriction`), as the OSM wiki defines them.

use crate::profile::Tags;

/// `no_*` forbids the turn; `only_*` forbids every other turn from the same `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TurnKind {
    No,
    Only,
}

/// The `via` of a restriction: one node, or a chain of ways.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    Node(i64),
    Ways(Vec<i64>),
}

/// One restriction of a relation (a relation with `restriction` and `restriction:bicycle`
/// gives two).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restriction {
    /// The relation's id.
    pub id: i64,
    pub kind: TurnKind,
    /// The value after `no_` / `only_` (`left_turn`, `straight_on`, `u_turn`, `entry`, ...).
    pub turn: String,
    /// `Some("bicycle")` for `restriction:bicycle`; `None` for the plain `restriction`.
    pub mode: Option<String>,
    /// The `from` ways (several only for `no_entry`, in practice).
    pub from: Vec<i64>,
    pub via: Via,
    /// The `to` ways (several only for `no_exit`, in practice).
    pub to: Vec<i64>,
    /// The `except` values (`psv`, `bicycle`, `motorcar`, ...), split at `;` (and at `,`, which
    /// mappers also use).
    pub except: Vec<String>,
}

/// The type of a relation member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberKind {
    Node,
    Way,
    Relation,
}

/// A relation member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub kind: MemberKind,
    pub id: i64,
    pub role: String,
}

/// The restrictions a relation states. `Ok(vec![])` for a relation that is not a restriction;
/// `Err(why)` for a restriction relation we cannot use.
pub fn parse(id: i64, members: &[Member], tags: &Tags) -> Result<Vec<Restriction>, String> {
    if !tags.is("type", "restriction") {
        return Ok(Vec::new());
    }
    let mut kinds = Vec::new();
    for (key, value) in tags.iter() {
        let mode = match key.strip_prefix("restriction") {
            Some("") => None,
            Some(m) => match m.strip_prefix(':') {
                Some(m) if !m.is_empty() && !m.contains(':') && m != "conditional" => Some(m.to_owned()),
                _ => continue,
            },
            None => continue,
        };
        let value = value.trim();
        let (kind, turn) = if let Some(t) = value.strip_prefix("no_") {
            (TurnKind::No, t)
        } else if let Some(t) = value.strip_prefix("only_") {
            (TurnKind::Only, t)
        } else {
            return Err(format!("restriction value {value:?} is neither no_* nor only_*"));
        };
        kinds.push((kind, turn.to_owned(), mode));
    }
    if kinds.is_empty() {
        return Err("no restriction tag (conditional restrictions are not supported)".to_owned());
    }
    let ids = |role: &str, kind: MemberKind| -> Vec<i64> {
        members.iter().filter(|m| m.role == role && m.kind == kind).map(|m| m.id).collect()
    };
    let (from, to) = (ids("from", MemberKind::Way), ids("to", MemberKind::Way));
    let (via_nodes, via_ways) = (ids("via", MemberKind::Node), ids("via", MemberKind::Way));
    if from.is_empty() || to.is_empty() {
        return Err("a restriction needs a from way and a to way".to_owned());
    }
    let via = match (via_nodes.as_slice(), via_ways.is_empty()) {
        ([node], true) => Via::Node(*node),
        ([], false) => Via::Ways(via_ways),
        _ => return Err("a restriction needs one via node or via ways, not both".to_owned()),
    };
    let except: Vec<String> = tags
        .get("except")
        .map(|e| e.split([';', ',']).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    Ok(kinds
        .into_iter()
        .map(|(kind, turn, mode)| Restriction {
            id,
            kind,
            turn,
            mode,
            from: from.clone(),
            via: via.clone(),
            to: to.clone(),
            except: except.clone(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::tags::parse_tags;

    fn m(kind: MemberKind, id: i64, role: &str) -> Member {
        Member { kind, id, role: role.to_owned() }
    }

    fn check(tags: &str, members: &[Member], expected: Result<usize, &str>) {
        match (parse(7, members, &parse_tags(tags)), expected) {
            (Ok(rs), Ok(n)) => assert_eq!(rs.len(), n, "{tags}: {rs:?}"),
            (Err(e), Err(want)) => assert!(e.contains(want), "{tags}: {e}"),
            (got, want) => panic!("{tags}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn restriction_relations() {
        use MemberKind::{Node as N, Relation as R, Way as W};
        let good = [m(W, 1, "from"), m(N, 2, "via"), m(W, 3, "to")];
        check("type=restriction restriction=no_left_turn", &good, Ok(1));
        check("type=multipolygon", &good, Ok(0));
        check("type=restriction restriction=no_left_turn restriction:bicycle=only_straight_on", &good, Ok(2));
        check("type=restriction restriction:conditional=no_left_turn", &good, Err("no restriction tag"));
        check("type=restriction restriction=maybe_left", &good, Err("neither"));
        check("type=restriction restriction=no_u_turn", &[m(W, 1, "from"), m(N, 2, "via")], Err("to way"));
        check(
            "type=restriction restriction=no_left_turn",
            &[m(W, 1, "from"), m(W, 5, "via"), m(W, 6, "via"), m(W, 3, "to")],
            Ok(1),
        );
        check(
            "type=restriction restriction=no_left_turn",
            &[m(W, 1, "from"), m(N, 2, "via"), m(W, 5, "via"), m(W, 3, "to")],
            Err("not both"),
        );
        check(
            "type=restriction restriction=no_left_turn",
            &[m(W, 1, "from"), m(R, 2, "via"), m(W, 3, "to")],
            Err("via"),
        );
        let rs = parse(7, &good, &parse_tags("type=restriction restriction=only_straight_on except=psv;bicycle"))
            .unwrap_or_default();
        assert_eq!(rs[0].kind, TurnKind::Only);
        assert_eq!(rs[0].turn, "straight_on");
        assert_eq!(rs[0].except, vec!["psv", "bicycle"]);
        assert_eq!(rs[0].via, Via::Node(2));
        // bicycle/restrictions.feature "Multiple except tag values".
        for except in ["bus;bicycle", "bus; bicycle", "bus, bicycle", "bicycle,bus"] {
            let tags: Tags =
                [("type", "restriction"), ("restriction", "no_straight_on"), ("except", except)].into_iter().collect();
            let rs = parse(7, &good, &tags).unwrap_or_default();
            assert_eq!(rs[0].except.len(), 2, "{except}");
            assert!(rs[0].except.iter().any(|e| e == "bicycle"), "{except}");
        }
    }
}
