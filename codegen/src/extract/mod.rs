//! `codegen extract`: Microsoft Graph docs markdown -> spec/.
