#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kpsite::fuzzing::markdown(data));
