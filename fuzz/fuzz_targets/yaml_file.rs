#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kpsite::fuzzing::yaml_file(data));
