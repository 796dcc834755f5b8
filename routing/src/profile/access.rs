//! The access hierarchy: which access tag speaks for a mode, and what its value means to it.
//!
//! Each profile lists its keys from the most specific to the most general (car: `motorcar`,
//! `motor_vehicle`, `vehicle`, `access`). The first key present with a value we understand
//! decides; an unknown value (`access=unknown`, `yes;no`) is skipped so the next key decides.
//! On ways each direction is resolved on its own, `key:forward` / `key:backward` before `key`
//! at every level of the hierarchy, as OSRM's `get_forward_backward_by_set` does.
//!
//! | value | car | foot, bicycle |
//! |---|---|---|
//! | `yes` `permissive` `designated` `official` `discouraged` `permit` `allowed` | allowed | allowed |
//! | `destination` `customers` | restricted | allowed |
//! | `delivery` `private` | restricted | forbidden |
//! | `dismount` | allowed | cyclist pushes (foot: allowed) |
//! | `no` `agricultural` `forestry` `emergency` `psv` `bus` `military` `disabled` `restricted` `use_sidepath` | forbidden | forbidden |
//!
//! "Restricted" is OSRM's `restricted_access_tag_list`: the car may start, end or be routed on
//! the way (the edge carries [`super::EdgeFlags::DESTINATION`] so a cost model keeps through
//! traffic off it), where walkers and cyclists are simply let through or kept out.

use super::tags::Tags;
use super::Mode;

/// What an access tag grants a mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Allowed,
    /// Allowed to reach a place on the way, not to pass through (see the module table).
    Destination,
    /// `bicycle=dismount`: a cyclist may only push.
    Dismount,
    Forbidden,
}

/// The meaning of one access value to `mode`; `None` when we do not understand it.
pub fn access_value(mode: Mode, value: &str) -> Option<Access> {
    let walker_or_rider = mode != Mode::Car;
    Some(match value {
        "yes" | "permissive" | "designated" | "official" | "discouraged" | "permit" | "allowed" => Access::Allowed,
        "destination" | "customers" if walker_or_rider => Access::Allowed,
        "destination" | "customers" => Access::Destination,
        "delivery" | "private" if walker_or_rider => Access::Forbidden,
        "delivery" | "private" => Access::Destination,
        "dismount" if mode == Mode::Bicycle => Access::Dismount,
        "dismount" => Access::Allowed,
        "no" | "agricultural" | "forestry" | "emergency" | "psv" | "bus" | "military" | "disabled" | "restricted"
        | "use_sidepath" => Access::Forbidden,
        _ => return None,
    })
}

/// The access that decided, with the key (of the hierarchy) and the value that said so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision<'a> {
    pub access: Access,
    /// The hierarchy key (`motorcar` also when `motorcar:forward` decided).
    pub key: &'static str,
    pub value: &'a str,
}

impl Decision<'_> {
    /// Granted by a key for this mode in particular (not the general `access`) with a value
    /// that opens the way: such a tag opens highway classes the profile's table leaves closed.
    pub fn explicit(&self) -> bool {
        self.key != "access" && self.access == Access::Allowed
    }

    pub fn forbids(&self) -> bool {
        self.access == Access::Forbidden
    }
}

/// The decision of the most specific of `keys` that `tags` has with an understood value, for a
/// node (no directions).
pub fn resolve<'a>(tags: &'a Tags, keys: &[&'static str], mode: Mode) -> Option<Decision<'a>> {
    keys.iter().find_map(|&key| decide(mode, key, tags.get(key)))
}

/// The decisions for travel along (`[0]`) and against (`[1]`) the node order of a way.
pub fn resolve_directed<'a>(tags: &'a Tags, keys: &[&'static str], mode: Mode) -> [Option<Decision<'a>>; 2] {
    let mut out = [None, None];
    for &key in keys {
        for (slot, sub) in out.iter_mut().zip(["forward", "backward"]) {
            if slot.is_none() {
                *slot = decide(mode, key, tags.get_sub(key, sub)).or_else(|| decide(mode, key, tags.get(key)));
            }
        }
        if out.iter().all(Option::is_some) {
            break;
        }
    }
    out
}

fn decide<'a>(mode: Mode, key: &'static str, value: Option<&'a str>) -> Option<Decision<'a>> {
    let value = value?;
    access_value(mode, value).map(|access| Decision { access, key, value })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::tags::parse_tags;

    const CAR: &[&str] = &["motorcar", "motor_vehicle", "vehicle", "access"];

    fn check(tags: &str, expected: Option<Access>) {
        let t = parse_tags(tags);
        assert_eq!(resolve(&t, CAR, Mode::Car).map(|d| d.access), expected, "{tags}");
    }

    #[test]
    fn the_most_specific_known_key_decides() {
        check("", None);
        check("access=no", Some(Access::Forbidden));
        check("access=no motorcar=yes", Some(Access::Allowed));
        check("access=yes vehicle=private", Some(Access::Destination));
        check("access=yes vehicle=agricultural", Some(Access::Forbidden));
        check("vehicle=no motor_vehicle=destination", Some(Access::Destination));
        check("motor_vehicle=no motorcar=permissive", Some(Access::Allowed));
        check("access=delivery", Some(Access::Destination));
        check("access=customers", Some(Access::Destination));
        check("access=designated", Some(Access::Allowed));
        check("access=forestry", Some(Access::Forbidden));
        check("access=psv", Some(Access::Forbidden));
        check("access=no motorcar=maybe", Some(Access::Forbidden));
        check("access=yes;no", None);
    }

    #[test]
    fn values_mean_different_things_to_different_modes() {
        let cases: &[(&str, [Option<Access>; 3])] = &[
            // value: car, foot, bicycle
            ("private", [Some(Access::Destination), Some(Access::Forbidden), Some(Access::Forbidden)]),
            ("delivery", [Some(Access::Destination), Some(Access::Forbidden), Some(Access::Forbidden)]),
            ("destination", [Some(Access::Destination), Some(Access::Allowed), Some(Access::Allowed)]),
            ("dismount", [Some(Access::Allowed), Some(Access::Allowed), Some(Access::Dismount)]),
            ("use_sidepath", [Some(Access::Forbidden), Some(Access::Forbidden), Some(Access::Forbidden)]),
            ("some_tag", [None, None, None]),
        ];
        for (value, expected) in cases {
            let got = [Mode::Car, Mode::Foot, Mode::Bicycle].map(|m| access_value(m, value));
            assert_eq!(&got, expected, "{value}");
        }
    }

    #[test]
    fn directions_resolve_on_their_own() {
        // (tags, forward, backward), as in OSRM's car/access.feature.
        let cases: &[(&str, Option<Access>, Option<Access>)] = &[
            ("access=yes access:forward=no", Some(Access::Forbidden), Some(Access::Allowed)),
            ("access=yes access:forward=yes motorcar=no", Some(Access::Forbidden), Some(Access::Forbidden)),
            (
                "access=yes access:forward=yes motorcar=yes motorcar:forward=no",
                Some(Access::Forbidden),
                Some(Access::Allowed),
            ),
            ("access=no access:backward=yes", Some(Access::Forbidden), Some(Access::Allowed)),
            ("access=no access:forward=no motorcar:forward=yes", Some(Access::Allowed), Some(Access::Forbidden)),
            ("motorcar:backward=no", None, Some(Access::Forbidden)),
        ];
        for (tags, fwd, bwd) in cases {
            let t = parse_tags(tags);
            let [f, b] = resolve_directed(&t, CAR, Mode::Car).map(|d| d.map(|d| d.access));
            assert_eq!((f, b), (*fwd, *bwd), "{tags}");
        }
        let t = parse_tags("motorcar:forward=yes access=no");
        let [f, _] = resolve_directed(&t, CAR, Mode::Car);
        assert_eq!(f.map(|d| (d.key, d.value, d.explicit())), Some(("motorcar", "yes", true)));
    }
}
