//! Markdown to HTML (placeholder: being written).
