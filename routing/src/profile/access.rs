//! The access hierarchy: which access tag speaks for a mode, and what its value means.
//!
//! Each profile lists its keys from the most specific to the most general (car: `motorcar`,
//! `motor_vehicle`, `vehicle`, `access`). The first key present with a value we understand
//! decides; an unknown value (`access=unknown`, `yes;no`) is skipped so the next key decides.

/// What an access tag grants a mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// `yes`, `permissive`, `designated`, `official`, `discouraged`, `dismount`, ...
    Allowed,
    /// `destination`, `delivery`, `customers`: allowed to reach a place on the way, not through.
    /// The router may use it; the edge carries the `DESTINATION` flag so a later cost model can
    /// keep through traffic off it.
    Destination,
    /// `no`, `private`, and the values that grant only other users (`agricultural`, `psv`, ...).
    Forbidden,
}

/// The meaning of one access value; `None` when we do not understand it.
pub fn access_value(value: &str) -> Option<Access> {
    Some(match value {
        "yes" | "permissive" | "designated" | "official" | "discouraged" | "dismount" | "use_sidepath" | "permit"
        | "allowed" => Access::Allowed,
        "destination" | "delivery" | "customers" => Access::Destination,
        "no" | "private" | "agricultural" | "forestry" | "emergency" | "psv" | "military" | "bus" | "disabled"
        | "restricted" => Access::Forbidden,
        _ => return None,
    })
}

/// The access granted by the most specific of `keys` that `get` knows with an understood value,
/// with the key that decided.
pub fn resolve<'k>(get: impl Fn(&str) -> Option<String>, keys: &[&'k str]) -> Option<(Access, &'k str)> {
    keys.iter().find_map(|&key| get(key).and_then(|v| access_value(&v)).map(|a| (a, key)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::tags::parse_tags;

    const CAR: &[&str] = &["motorcar", "motor_vehicle", "vehicle", "access"];

    fn check(tags: &str, expected: Option<Access>) {
        let t = parse_tags(tags);
        assert_eq!(resolve(|k| t.get(k).map(str::to_owned), CAR).map(|(a, _)| a), expected, "{tags}");
    }

    #[test]
    fn the_most_specific_known_key_decides() {
        check("", None);
        check("access=no", Some(Access::Forbidden));
        check("access=no motorcar=yes", Some(Access::Allowed));
        check("access=yes vehicle=private", Some(Access::Forbidden));
        check("vehicle=no motor_vehicle=destination", Some(Access::Destination));
        check("motor_vehicle=no motorcar=permissive", Some(Access::Allowed));
        check("access=delivery", Some(Access::Destination));
        check("access=customers", Some(Access::Destination));
        check("access=designated", Some(Access::Allowed));
        check("access=agricultural", Some(Access::Forbidden));
        check("access=no motorcar=maybe", Some(Access::Forbidden));
        check("access=yes;no", None);
    }
}
