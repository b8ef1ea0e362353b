//! Pure protocol codecs: bytes in, values out. No I/O, no clocks, no panics on any input (fuzzed).
