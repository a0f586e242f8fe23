//! JSON Schema of `calendar.yaml`, for editors (`kpsite schema calendar`).
//! It mirrors what [`super::load`] accepts; the loader stays the judge
//! (it also checks what a schema cannot: zones, end after start, unique ids).

use serde_json::{Value, json};

/// The JSON Schema (draft 2020-12) of `calendar.yaml`.
pub fn json_schema() -> Value {
    let local = "^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)?$";
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "kpsite calendar.yaml",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "timezone": {
                "type": "string",
                "description": "IANA time zone of events without their own; default: kpsite.yaml timezone"
            },
            "events": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["id", "title", "start"],
                    "properties": {
                        "id": {"type": "string", "pattern": "^[a-z0-9-]+$", "description": "unique; the page is events/<id>/"},
                        "title": {"type": "string", "minLength": 1},
                        "start": {"type": "string", "pattern": local, "description": "local time in the event's zone, 2026-12-02T20:00; a date for all-day events"},
                        "duration": {"type": "string", "pattern": "^\\s*(\\d+\\s*d)?\\s*(\\d+\\s*h)?\\s*(\\d+\\s*m)?\\s*$", "description": "90m, 1h30m, 2h, 1d; or give end"},
                        "end": {"type": "string", "pattern": local, "description": "local end time; for all-day events the last day, inclusive"},
                        "all_day": {"type": "boolean", "default": false},
                        "timezone": {"type": "string", "description": "IANA time zone of this event"},
                        "repeat": {
                            "type": "object",
                            "additionalProperties": false,
                            "required": ["freq"],
                            "properties": {
                                "freq": {"enum": ["daily", "weekly", "monthly"]},
                                "count": {"type": "integer", "minimum": 1},
                                "until": {"type": "string", "pattern": local, "description": "inclusive; a date means the end of that day"}
                            },
                            "not": {"required": ["count", "until"]}
                        },
                        "location": {"type": "string"},
                        "url": {"type": "string", "pattern": "^https?://", "description": "meeting link; member-only when audience is members"},
                        "description": {"type": "string", "description": "Markdown"},
                        "audience": {"enum": ["public", "members"], "default": "public"}
                    },
                    "not": {"required": ["duration", "end"]}
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_names_every_field_the_loader_knows() {
        let s = json_schema();
        let props = &s["properties"]["events"]["items"]["properties"];
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
