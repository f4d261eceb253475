//! The fences in force, in memory: an R-tree of their bounding boxes for "which fences are near
//! this fix", plus which fences apply to whom. Rebuilt from the database at start and when the
//! fences table changed under another instance; updated in place by this instance's writes.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use huijiao_core::model::FenceKind;
use huijiao_core::policy::location::{CompiledShape, FenceSchedule, FenceShape};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use tokio::sync::RwLock;
use uuid::Uuid;

use crate::entities::fence;
use crate::error::{ApiError, ApiResult};

/// Metres per degree of latitude, to widen a search box by a distance.
const M_PER_DEG: f64 = 111_195.0;

#[derive(Debug)]
pub struct ActiveFence {
    pub id: Uuid,
    pub name: String,
    pub kind: FenceKind,
    pub shape: CompiledShape,
    pub schedule: FenceSchedule,
    pub case_id: Option<Uuid>,
    pub unit_id: Option<Uuid>,
}

impl ActiveFence {
    pub fn from_row(f: &fence::Model) -> ApiResult<ActiveFence> {
        let shape: FenceShape =
            serde_json::from_value(f.shape.clone()).map_err(ApiError::internal)?;
        Ok(ActiveFence {
            id: f.id,
            name: f.name.clone(),
            kind: f.kind,
            shape: shape
                .compile()
                .map_err(|e| ApiError::internal(e.message.en))?,
            schedule: serde_json::from_value(f.schedule.clone()).map_err(ApiError::internal)?,
            case_id: f.case_id,
            unit_id: f.unit_id,
        })
    }

    /// Whether the fence binds a case of `case_id` whose unit path is `unit_path` (unit fences
    /// bind everyone in the unit's subtree).
    pub fn applies_to(&self, case_id: Uuid, unit_ids_on_path: &[Uuid]) -> bool {
        self.case_id == Some(case_id) || self.unit_id.is_some_and(|u| unit_ids_on_path.contains(&u))
    }
}

type Entry = GeomWithData<Rectangle<[f64; 2]>, Uuid>;

/// What the table looked like when loaded: row count and newest change (archiving updates
/// `updated_at` too), so another instance's writes are noticed.
pub type Signature = (i64, Option<DateTime<Utc>>);

#[derive(Clone, Default)]
pub struct FenceIndex {
    tree: RTree<Entry>,
    fences: HashMap<Uuid, Arc<ActiveFence>>,
    /// Activity areas by case and by unit: needed even far from any area ("outside all").
    areas_by_owner: HashMap<Uuid, Vec<Uuid>>,
    signature: Option<Signature>,
}

fn entry(f: &ActiveFence) -> Entry {
    let (min, max) = f.shape.bbox;
    GeomWithData::new(Rectangle::from_corners(min, max), f.id)
}

impl FenceIndex {
    pub fn len(&self) -> usize {
        self.fences.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fences.is_empty()
    }

    pub fn contains(&self, id: Uuid) -> bool {
        self.fences.contains_key(&id)
    }

    pub fn insert(&mut self, f: ActiveFence) {
        self.remove(f.id);
        self.tree.insert(entry(&f));
        if f.kind == FenceKind::ActivityArea {
            let owner = f.case_id.or(f.unit_id).expect("a fence has an owner");
            self.areas_by_owner.entry(owner).or_default().push(f.id);
        }
        self.fences.insert(f.id, Arc::new(f));
    }

    pub fn remove(&mut self, id: Uuid) {
        if let Some(f) = self.fences.remove(&id) {
            self.tree.remove(&entry(&f));
            if let Some(owner) = f.case_id.or(f.unit_id) {
                if let Some(v) = self.areas_by_owner.get_mut(&owner) {
                    v.retain(|x| *x != id);
                }
            }
        }
    }

    /// Fences whose box comes within `radius_m` of the point.
    pub fn near(
        &self,
        lat: f64,
        lon: f64,
        radius_m: f64,
    ) -> impl Iterator<Item = &Arc<ActiveFence>> {
        let dlat = radius_m / M_PER_DEG;
        let dlon = radius_m / (M_PER_DEG * lat.to_radians().cos().max(1e-6));
        let envelope = AABB::from_corners([lon - dlon, lat - dlat], [lon + dlon, lat + dlat]);
        self.tree
            .locate_in_envelope_intersecting(&envelope)
            .filter_map(|e| self.fences.get(&e.data))
    }

    /// The activity areas that bind a case (its own and its units').
    pub fn activity_areas(
        &self,
        case_id: Uuid,
        unit_ids_on_path: &[Uuid],
    ) -> Vec<Arc<ActiveFence>> {
        std::iter::once(&case_id)
            .chain(unit_ids_on_path)
            .filter_map(|owner| self.areas_by_owner.get(owner))
            .flatten()
            .filter_map(|id| self.fences.get(id).cloned())
            .collect()
    }
}

/// The index shared by the handlers: readers take a snapshot (an `Arc`) and let go of the lock
/// at once, so a long ingest never holds up a fence change, nor the other way round.
#[derive(Clone, Default)]
pub struct SharedIndex {
    fences: Arc<RwLock<Option<Arc<FenceIndex>>>>,
}

async fn signature(db: &impl ConnectionTrait) -> ApiResult<Signature> {
    let row: Option<(i64, Option<DateTime<Utc>>)> = fence::Entity::find()
        .select_only()
        .column_as(fence::Column::Id.count(), "n")
        .column_as(fence::Column::UpdatedAt.max(), "newest")
        .into_tuple()
        .one(db)
        .await?;
    Ok(row.unwrap_or((0, None)))
}

async fn load(db: &impl ConnectionTrait) -> ApiResult<FenceIndex> {
    // Read the signature first: a write landing during the load makes the next check reload.
    let sig = signature(db).await?;
    let rows = fence::Entity::find()
        .filter(fence::Column::ArchivedAt.is_null())
        .all(db)
        .await?;
    let mut index = FenceIndex::default();
    for row in &rows {
        index.insert(ActiveFence::from_row(row)?);
    }
    index.signature = Some(sig);
    Ok(index)
}

impl SharedIndex {
    /// The current snapshot, loading the index on first use.
    pub async fn snapshot(&self, db: &impl ConnectionTrait) -> ApiResult<Arc<FenceIndex>> {
        if let Some(index) = self.fences.read().await.as_ref() {
            return Ok(index.clone());
        }
        let mut w = self.fences.write().await;
        if w.is_none() {
            *w = Some(Arc::new(load(db).await?));
        }
        Ok(w.as_ref().expect("just loaded").clone())
    }

    /// Applies this instance's own committed change. The signature is left as it was, so the
    /// next refresh reloads once and picks up anything another instance did meanwhile.
    pub async fn apply(&self, id: Uuid, now: Option<ActiveFence>) {
        if let Some(index) = self.fences.write().await.as_mut() {
            let index = Arc::make_mut(index);
            match now {
                Some(f) => index.insert(f),
                None => index.remove(id),
            }
        }
    }

    /// Reloads when the table changed under another instance. Returns whether it reloaded.
    pub async fn refresh_if_changed(&self, db: &impl ConnectionTrait) -> ApiResult<bool> {
        let sig = signature(db).await?;
        let stale = match self.fences.read().await.as_ref() {
            Some(index) => index.signature != Some(sig),
            None => return Ok(false),
        };
        if stale {
            let fresh = load(db).await?;
            *self.fences.write().await = Some(Arc::new(fresh));
        }
        Ok(stale)
    }
}
