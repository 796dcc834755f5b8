//! `Tags`: the key/value pairs of an OpenStreetMap element, as the profiles read them.

/// The tags of one OSM element, in file order. Lookups are linear: elements carry a handful of
/// tags, and a small vector beats a map for that.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(Vec<(String, String)>);

impl Tags {
    pub fn new() -> Self {
        Tags(Vec::new())
    }

    /// Adds a tag; a repeated key keeps its first value (OSM keys are unique per element).
    pub fn insert(&mut self, key: &str, value: &str) {
        if self.get(key).is_none() {
            self.0.push((key.to_owned(), value.to_owned()));
        }
    }

    /// The value of `key`, trimmed; `None` when the key is absent or its value is empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }

    /// The value of `key:sub` (`maxspeed:forward`, `access:backward`), as [`Tags::get`], without
    /// building the key.
    pub fn get_sub(&self, key: &str, sub: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.strip_prefix(key).and_then(|r| r.strip_prefix(':')) == Some(sub))
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// True when `key` has exactly `value`.
    pub fn is(&self, key: &str, value: &str) -> bool {
        self.get(key) == Some(value)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl<K: AsRef<str>, V: AsRef<str>> FromIterator<(K, V)> for Tags {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut tags = Tags::new();
        for (k, v) in iter {
            tags.insert(k.as_ref(), v.as_ref());
        }
        tags
    }
}

/// Tags from `"k=v k2=v2"` (space separated; values cannot hold spaces). A test helper.
pub fn parse_tags(s: &str) -> Tags {
    s.split_whitespace().filter_map(|kv| kv.split_once('=')).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_value_wins_and_empty_values_are_absent() {
        let tags: Tags = [("highway", "primary"), ("highway", "residential"), ("name", " ")].into_iter().collect();
        assert_eq!(tags.get("highway"), Some("primary"));
        assert_eq!(tags.get("name"), None);
        assert_eq!(tags.len(), 2);
        assert!(parse_tags("a=b c=d").is("c", "d"));
        let t = parse_tags("maxspeed=50 maxspeed:forward=30 maxspeedx:forward=9");
        assert_eq!(t.get_sub("maxspeed", "forward"), Some("30"));
        assert_eq!(t.get_sub("maxspeed", "backward"), None);
        assert_eq!(t.get_sub("maxspeedx", "forward"), Some("9"));
    }
}
