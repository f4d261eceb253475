//! Unit paths (the materialised "/province/…/office/" prefix that decides jurisdiction). Reads
//! the unit table only, so the state holds the cache without importing the org handlers.

use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use crate::entities::org_unit;
use crate::error::ApiResult;

/// Unit paths read once per process. A unit is never moved in the tree (there is no such
/// endpoint), so a path once read stays true; every authenticated request needs its caller's.
#[derive(Clone, Default)]
pub struct PathCache(std::sync::Arc<std::sync::RwLock<std::collections::HashMap<Uuid, String>>>);

impl PathCache {
    /// The path of a unit, `None` if there is no such unit.
    pub async fn get(&self, db: &impl ConnectionTrait, unit_id: Uuid) -> ApiResult<Option<String>> {
        if let Some(p) = self.0.read().expect("not poisoned").get(&unit_id) {
            return Ok(Some(p.clone()));
        }
        let Some(u) = org_unit::Entity::find_by_id(unit_id).one(db).await? else {
            return Ok(None);
        };
        self.0
            .write()
            .expect("not poisoned")
            .insert(unit_id, u.path.clone());
        Ok(Some(u.path))
    }
}

/// The materialised path of a unit ("" if it vanished), for jurisdiction filters on events.
pub async fn unit_path(db: &impl ConnectionTrait, unit_id: Uuid) -> ApiResult<String> {
    Ok(org_unit::Entity::find_by_id(unit_id)
        .one(db)
        .await?
        .map(|u| u.path)
        .unwrap_or_default())
}

/// The units' paths `path` lies under, itself included ("/a/b/" → "/a/", "/a/b/").
pub fn path_and_above(path: &str) -> Vec<String> {
    path.match_indices('/')
        .skip(1)
        .map(|(i, _)| path[..=i].to_owned())
        .collect()
}

/// Rows of the units an officer at `path` works with: their own unit and those below it, and
/// the units above (whose lectures and activities their people join).
pub fn above_or_below(col: impl sea_orm::ColumnTrait, path: &str) -> sea_orm::Condition {
    sea_orm::Condition::any()
        .add(col.is_in(path_and_above(path)))
        .add(col.like(format!("{path}%")))
}
