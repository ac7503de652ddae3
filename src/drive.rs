//! The drive item that holds a workbook, in every form Graph accepts.

use crate::escape::drive_path;

/// A workbook file, addressed by id or by path in some drive.
///
/// ```
/// use graph_workbook::DriveItem;
/// assert_eq!(DriveItem::me_item("01AB").path_prefix(), "/me/drive/items/01AB");
/// assert_eq!(
///     DriveItem::me_path("Reports/Q1 2024.xlsx").path_prefix(),
///     "/me/drive/root:/Reports/Q1%202024.xlsx:"
/// );
/// assert_eq!(
///     DriveItem::site_item("contoso.sharepoint.com,1a2b,3c4d", "01AB").path_prefix(),
///     "/sites/contoso.sharepoint.com,1a2b,3c4d/drive/items/01AB"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DriveItem {
    drive: Drive,
    item: Item,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Drive {
    Me,
    Drives(String),
    Site(String),
    Group(String),
    User(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Item {
    Id(String),
    /// Path relative to the drive root, `/`-separated, not encoded.
    Path(String),
}

impl DriveItem {
    /// `/me/drive/items/{item-id}`
    pub fn me_item(item_id: impl Into<String>) -> Self {
        Self::new(Drive::Me, Item::Id(item_id.into()))
    }

    /// `/me/drive/root:/{path}:` (path relative to the root of the signed-in user's drive,
    /// `/`-separated, not encoded).
    pub fn me_path(path: impl Into<String>) -> Self {
        Self::new(Drive::Me, Item::Path(path.into()))
    }

    /// `/drives/{drive-id}/items/{item-id}`
    #[allow(clippy::self_named_constructors)] // reads as the URL does: `/drives/{id}/items/{id}`
    pub fn drive_item(drive_id: impl Into<String>, item_id: impl Into<String>) -> Self {
        Self::new(Drive::Drives(drive_id.into()), Item::Id(item_id.into()))
    }

    /// `/drives/{drive-id}/root:/{path}:`
    pub fn drive_path(drive_id: impl Into<String>, path: impl Into<String>) -> Self {
        Self::new(Drive::Drives(drive_id.into()), Item::Path(path.into()))
    }

    /// `/sites/{site-id}/drive/items/{item-id}` (the site's default document library)
    pub fn site_item(site_id: impl Into<String>, item_id: impl Into<String>) -> Self {
        Self::new(Drive::Site(site_id.into()), Item::Id(item_id.into()))
    }

    /// `/sites/{site-id}/drive/root:/{path}:`
    pub fn site_path(site_id: impl Into<String>, path: impl Into<String>) -> Self {
        Self::new(Drive::Site(site_id.into()), Item::Path(path.into()))
    }

    /// `/groups/{group-id}/drive/items/{item-id}`
    pub fn group_item(group_id: impl Into<String>, item_id: impl Into<String>) -> Self {
        Self::new(Drive::Group(group_id.into()), Item::Id(item_id.into()))
    }

    /// `/groups/{group-id}/drive/root:/{path}:`
    pub fn group_path(group_id: impl Into<String>, path: impl Into<String>) -> Self {
        Self::new(Drive::Group(group_id.into()), Item::Path(path.into()))
    }

    /// `/users/{user-id}/drive/items/{item-id}` (user id or user principal name)
    pub fn user_item(user_id: impl Into<String>, item_id: impl Into<String>) -> Self {
        Self::new(Drive::User(user_id.into()), Item::Id(item_id.into()))
    }

    /// `/users/{user-id}/drive/root:/{path}:`
    pub fn user_path(user_id: impl Into<String>, path: impl Into<String>) -> Self {
        Self::new(Drive::User(user_id.into()), Item::Path(path.into()))
    }

    fn new(drive: Drive, item: Item) -> Self {
        DriveItem { drive, item }
    }

    /// The encoded path of the item, relative to the client's base URL, without a trailing
    /// `/` (append `/workbook/...`). Ids are encoded as one segment each; a drive path keeps
    /// its `/` separators and encodes each component.
    ///
    /// An empty id or path gives an empty segment, which [`crate::Client::execute`] rejects
    /// with [`crate::Error::InvalidInput`] before sending.
    pub fn path_prefix(&self) -> String {
        // Sized for the common case so the `/workbook` suffix and a few navigation steps
        // fit without reallocating.
        let mut out = String::with_capacity(128);
        let (head, id, tail) = match &self.drive {
            Drive::Me => ("/me/drive", None, ""),
            Drive::Drives(id) => ("/drives/", Some(id), ""),
            Drive::Site(id) => ("/sites/", Some(id), "/drive"),
            Drive::Group(id) => ("/groups/", Some(id), "/drive"),
            Drive::User(id) => ("/users/", Some(id), "/drive"),
        };
        out.push_str(head);
        if let Some(id) = id {
            crate::escape::push_path_segment(&mut out, id);
        }
        out.push_str(tail);
        match &self.item {
            Item::Id(id) => {
                out.push_str("/items/");
                crate::escape::push_path_segment(&mut out, id);
            }
            Item::Path(p) => {
                out.push_str("/root:/");
                out.push_str(&drive_path(p));
                out.push(':');
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form() {
        let cases = [
            (DriveItem::me_item("01A B"), "/me/drive/items/01A%20B"),
            (
                DriveItem::me_path("/a b/c#.xlsx"),
                "/me/drive/root:/a%20b/c%23.xlsx:",
            ),
            (
                DriveItem::drive_item("b!x-y_z", "i/d"),
                "/drives/b!x-y_z/items/i%2Fd",
            ),
            (
                DriveItem::drive_path("d", "x.xlsx"),
                "/drives/d/root:/x.xlsx:",
            ),
            (
                DriveItem::site_item("h,1,2", "i"),
                "/sites/h,1,2/drive/items/i",
            ),
            (
                DriveItem::site_path("s", "f/ü.xlsx"),
                "/sites/s/drive/root:/f/%C3%BC.xlsx:",
            ),
            (
                DriveItem::group_item("g", "i?"),
                "/groups/g/drive/items/i%3F",
            ),
            (DriveItem::group_path("g", "x"), "/groups/g/drive/root:/x:"),
            (
                DriveItem::user_item("a@b.com", "i"),
                "/users/a@b.com/drive/items/i",
            ),
            (
                DriveItem::user_path("u", "a:b"),
                "/users/u/drive/root:/a%3Ab:",
            ),
        ];
        for (item, want) in cases {
            assert_eq!(item.path_prefix(), want);
        }
    }
}
