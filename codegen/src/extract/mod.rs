//! `codegen extract`: Microsoft Graph docs markdown -> spec/.

pub mod csdl;
pub mod markdown;
