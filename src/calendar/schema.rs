//! JSON Schema of `calendar.yaml`, for editors (`kpsite schema calendar`).
//! It is derived from the shapes [`super::load`] reads; the loader stays the judge
//! (it also checks what a schema cannot: zones, end after start, unique ids).

use serde_json::Value;

/// The JSON Schema (draft 2020-12) of `calendar.yaml`, derived from the
/// shapes the loader reads.
pub fn json_schema() -> Value {
    schemars::schema_for!(super::load::RawCalendar).to_value()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_names_every_field_the_loader_knows() {
        let s = json_schema();
        let item = &s["properties"]["events"]["items"]["$ref"];
        assert_eq!(item, "#/$defs/RawEvent");
        let props = &s["$defs"]["RawEvent"]["properties"];
        for f in [
            "id",
            "title",
            "start",
            "duration",
            "end",
            "all_day",
            "timezone",
            "repeat",
            "location",
            "url",
            "description",
            "audience",
        ] {
            assert!(props.get(f).is_some(), "{f}");
        }
    }
}
