//! The fixed tables the synthetic world is drawn from: real metros, coarse land boxes, categories,
//! names, streets and opening hours. The same tables as `shared/bench/proximity/gen_points.py`.

/// The business categories synthetic businesses get, uniformly.
pub const CATEGORIES: [&str; 20] = [
    "restaurant",
    "cafe",
    "bar",
    "grocery",
    "pharmacy",
    "bank",
    "atm",
    "fuel",
    "hotel",
    "hospital",
    "clinic",
    "school",
    "gym",
    "hairdresser",
    "clothing",
    "electronics",
    "hardware",
    "bakery",
    "car_repair",
    "parking",
];

/// How a category reads in a business name.
pub fn label(category: &str) -> &'static str {
    match category {
        "restaurant" => "Restaurant",
        "cafe" => "Cafe",
        "bar" => "Bar",
        "grocery" => "Grocery",
        "pharmacy" => "Pharmacy",
        "bank" => "Bank",
        "atm" => "ATM",
        "fuel" => "Fuel",
        "hotel" => "Hotel",
        "hospital" => "Hospital",
        "clinic" => "Clinic",
        "school" => "School",
        "gym" => "Gym",
        "hairdresser" => "Hair Studio",
        "clothing" => "Outfitters",
        "electronics" => "Electronics",
        "hardware" => "Hardware",
        "bakery" => "Bakery",
        "car_repair" => "Garage",
        "parking" => "Parking",
        _ => "Shop",
    }
}

pub const ADJECTIVES: [&str; 12] = [
    "Golden", "Blue", "Corner", "Royal", "Little", "Green", "Old Town", "Sunny", "Central", "Harbour", "Union", "Lucky",
];

pub const STREETS: [&str; 10] = [
    "Main Street",
    "Market Street",
    "Station Road",
    "High Street",
    "Park Avenue",
    "Church Street",
    "Harbour Road",
    "Mill Lane",
    "King Street",
    "Garden Way",
];

/// Opening hours in OpenStreetMap syntax; `None` is a business without published hours.
pub const HOURS: [Option<&str>; 5] =
    [Some("24/7"), Some("Mo-Fr 08:00-18:00"), Some("Mo-Sa 10:00-22:00; Su off"), Some("Mo-Su 07:00-02:00"), None];

/// A real metropolitan area: name, ISO 3166-1 alpha-2 country, latitude, longitude. Listed by
/// rank: the first get the largest share of businesses.
pub struct Metro {
    pub name: &'static str,
    pub country: &'static str,
    pub lat: f64,
    pub lng: f64,
}

const fn metro(name: &'static str, country: &'static str, lat: f64, lng: f64) -> Metro {
    Metro { name, country, lat, lng }
}

pub const METROS: [Metro; 40] = [
    metro("Tokyo", "JP", 35.6895, 139.6917),
    metro("Delhi", "IN", 28.6139, 77.2090),
    metro("Shanghai", "CN", 31.2304, 121.4737),
    metro("São Paulo", "BR", -23.5505, -46.6333),
    metro("Mexico City", "MX", 19.4326, -99.1332),
    metro("Cairo", "EG", 30.0444, 31.2357),
    metro("Mumbai", "IN", 19.0760, 72.8777),
    metro("Beijing", "CN", 39.9042, 116.4074),
    metro("Dhaka", "BD", 23.8103, 90.4125),
    metro("Osaka", "JP", 34.6937, 135.5023),
    metro("New York", "US", 40.7128, -74.0060),
    metro("Karachi", "PK", 24.8607, 67.0011),
    metro("Buenos Aires", "AR", -34.6037, -58.3816),
    metro("Istanbul", "TR", 41.0082, 28.9784),
    metro("Kolkata", "IN", 22.5726, 88.3639),
    metro("Lagos", "NG", 6.5244, 3.3792),
    metro("Manila", "PH", 14.5995, 120.9842),
    metro("Rio de Janeiro", "BR", -22.9068, -43.1729),
    metro("Los Angeles", "US", 34.0522, -118.2437),
    metro("Moscow", "RU", 55.7558, 37.6173),
    metro("Paris", "FR", 48.8566, 2.3522),
    metro("London", "GB", 51.5074, -0.1278),
    metro("Jakarta", "ID", -6.2088, 106.8456),
    metro("Lima", "PE", -12.0464, -77.0428),
    metro("Bangkok", "TH", 13.7563, 100.5018),
    metro("Seoul", "KR", 37.5665, 126.9780),
    metro("Chicago", "US", 41.8781, -87.6298),
    metro("Tehran", "IR", 35.6892, 51.3890),
    metro("Johannesburg", "ZA", -26.2041, 28.0473),
    metro("Madrid", "ES", 40.4168, -3.7038),
    metro("Toronto", "CA", 43.6532, -79.3832),
    metro("Sydney", "AU", -33.8688, 151.2093),
    metro("Singapore", "SG", 1.3521, 103.8198),
    metro("Berlin", "DE", 52.5200, 13.4050),
    metro("Nairobi", "KE", -1.2921, 36.8219),
    metro("Accra", "GH", 5.6037, -0.1870),
    metro("Quito", "EC", -0.1807, -78.4678),
    metro("Anchorage", "US", 61.2181, -149.9003),
    metro("Auckland", "NZ", -36.8485, 174.7633),
    metro("Reykjavik", "IS", 64.1466, -21.9426),
];

/// Coarse land-ish boxes `(lat_min, lat_max, lng_min, lng_max)`; oceans stay empty.
pub const LAND_BOXES: [(f64, f64, f64, f64); 13] = [
    (25.0, 60.0, -125.0, -70.0),  // North America
    (15.0, 25.0, -105.0, -88.0),  // Mexico / Central America
    (-35.0, 5.0, -75.0, -38.0),   // South America
    (36.0, 60.0, -10.0, 40.0),    // Europe
    (50.0, 70.0, 40.0, 140.0),    // Russia / Siberia
    (20.0, 45.0, 70.0, 122.0),    // China / South Asia
    (8.0, 28.0, 68.0, 90.0),      // India
    (-10.0, 20.0, 95.0, 125.0),   // South-East Asia
    (-35.0, 15.0, 10.0, 40.0),    // Sub-Saharan Africa
    (15.0, 35.0, -15.0, 35.0),    // North Africa
    (15.0, 38.0, 35.0, 60.0),     // Middle East
    (-38.0, -15.0, 115.0, 150.0), // Australia
    (30.0, 45.0, 130.0, 145.0),   // Japan / Korea
];

/// Areas of [`LAND_BOXES`] in square degrees, the weights uniform points are drawn with.
pub fn land_box_areas() -> Vec<f64> {
    LAND_BOXES.iter().map(|b| (b.1 - b.0) * (b.3 - b.2)).collect()
}
