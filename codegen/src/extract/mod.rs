//! `codegen extract`: Microsoft Graph docs markdown -> spec/.

pub mod csdl;
pub mod functions;
pub mod markdown;
pub mod paths;
