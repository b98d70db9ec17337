#![no_std]
extern crate alloc;

#[path = "../../../src/sigv4/mod.rs"]
pub mod sigv4;
