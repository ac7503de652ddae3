//! Typed bindings for the Microsoft Graph Excel workbook REST API.
