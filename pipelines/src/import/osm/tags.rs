//! Which OSM elements are businesses, and the business their tags describe.

use locus_business::BusinessInput;

/// Values of `amenity`, `shop` and `tourism` that are street furniture or landmarks rather than
/// businesses, even when named.
const NOT_BUSINESSES: [&str; 20] = [
    "bench",
    "waste_basket",
    "waste_disposal",
    "recycling",
    "bicycle_parking",
    "motorcycle_parking",
    "parking_space",
    "parking_entrance",
    "drinking_water",
    "shelter",
    "clock",
    "grit_bin",
    "post_box",
    "telephone",
    "fountain",
    "toilets",
    "information",
    "viewpoint",
    "artwork",
    "picnic_site",
];

/// The tags of one element that a business is made of.
#[derive(Debug, Default)]
pub struct PoiTags<'a> {
    name: Option<&'a str>,
    amenity: Option<&'a str>,
    shop: Option<&'a str>,
    tourism: Option<&'a str>,
    housenumber: Option<&'a str>,
    street: Option<&'a str>,
    city: Option<&'a str>,
    country: Option<&'a str>,
    phone: Option<&'a str>,
    contact_phone: Option<&'a str>,
    website: Option<&'a str>,
    contact_website: Option<&'a str>,
    opening_hours: Option<&'a str>,
}

/// A category from a tag value: the first of `a;b` lists, lower case; `yes` means the key itself
/// (`shop=yes` is a shop).
fn category(key: &str, value: Option<&str>) -> Option<String> {
    let v = value?.split(';').next()?.trim();
    if v.is_empty() || v == "no" || NOT_BUSINESSES.contains(&v) {
        return None;
    }
    Some(if v == "yes" { key.to_owned() } else { v.to_lowercase() })
}

fn owned(v: Option<&str>) -> Option<String> {
    v.map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
}

impl<'a> PoiTags<'a> {
    pub fn collect(tags: impl Iterator<Item = (&'a str, &'a str)>) -> Self {
        let mut t = PoiTags::default();
        for (k, v) in tags {
            let slot = match k {
                "name" => &mut t.name,
                "amenity" => &mut t.amenity,
                "shop" => &mut t.shop,
                "tourism" => &mut t.tourism,
                "addr:housenumber" => &mut t.housenumber,
                "addr:street" => &mut t.street,
                "addr:city" => &mut t.city,
                "addr:country" => &mut t.country,
                "phone" => &mut t.phone,
                "contact:phone" => &mut t.contact_phone,
                "website" => &mut t.website,
                "contact:website" => &mut t.contact_website,
                "opening_hours" => &mut t.opening_hours,
                _ => continue,
            };
            *slot = Some(v);
        }
        t
    }

    /// The business these tags describe at `(lat, lng)`, or `None` when they describe none: no
    /// name, or no `amenity`/`shop`/`tourism` value that is a business (`amenity` wins).
    /// `external_id` is called only for elements that are businesses: most elements are not,
    /// and this runs for every node of the file.
    pub fn business(&self, external_id: impl FnOnce() -> String, lat: f64, lng: f64) -> Option<BusinessInput> {
        let name = owned(self.name)?;
        let category = category("amenity", self.amenity)
            .or_else(|| category("shop", self.shop))
            .or_else(|| category("tourism", self.tourism))?;
        let address = match (owned(self.housenumber), owned(self.street)) {
            (Some(number), Some(street)) => Some(format!("{number} {street}")),
            (None, street) => street,
            (Some(_), None) => None,
        };
        Some(BusinessInput {
            external_id: Some(external_id()),
            name,
            category,
            address,
            city: owned(self.city),
            country: owned(self.country),
            latitude: lat,
            longitude: lng,
            phone: owned(self.phone.or(self.contact_phone)),
            website: owned(self.website.or(self.contact_website)),
            opening_hours: owned(self.opening_hours),
            timezone: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(tags: &[(&str, &str)], expected: Option<(&str, &str, Option<&str>)>) {
        let b = PoiTags::collect(tags.iter().copied()).business(|| "osm:node/1".into(), 43.7, 7.4);
        let got = b.as_ref().map(|b| (b.name.as_str(), b.category.as_str(), b.address.as_deref()));
        assert_eq!(got, expected, "{tags:?}");
    }

    #[test]
    fn businesses_from_tags() {
        check(&[("amenity", "cafe"), ("name", "Café de Paris")], Some(("Café de Paris", "cafe", None)));
        check(&[("shop", "yes"), ("name", "Corner")], Some(("Corner", "shop", None)));
        check(&[("amenity", "bench"), ("shop", "bakery"), ("name", "B")], Some(("B", "bakery", None)));
        check(&[("amenity", "restaurant;bar"), ("name", "R")], Some(("R", "restaurant", None)));
        check(
            &[("tourism", "hotel"), ("name", "H"), ("addr:street", "Avenue X"), ("addr:housenumber", "12")],
            Some(("H", "hotel", Some("12 Avenue X"))),
        );
        check(&[("amenity", "cafe")], None);
        check(&[("amenity", "bench"), ("name", "Memorial bench")], None);
        check(&[("highway", "bus_stop"), ("name", "Stop")], None);
    }
}
