//! Code generated from codegen's fixture spec (codegen/tests/fixtures/spec) by build.rs,
//! compiled against the runtime from outside it, and the requests it builds tested.
#![allow(dead_code)]

pub mod v1 {
    include!(concat!(env!("OUT_DIR"), "/fixture_v1_0.rs"));
}
pub mod beta {
    include!(concat!(env!("OUT_DIR"), "/fixture_beta.rs"));
}
pub mod functions {
    include!(concat!(env!("OUT_DIR"), "/fixture_functions.rs"));
}

mod tests;
