#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kpsite::fuzzing::front_matter(data));
