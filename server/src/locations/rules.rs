//! The standing state of each location rule per case (`location_states`), and how its
//! transitions become alerts: one alert when a violation starts, cleared when it ends.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use huijiao_core::model::{AlertKind, AlertSeverity};
use huijiao_core::policy::location::{Observation, RuleState, Transition};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entities::{case, location_state};
use crate::error::{ApiError, ApiResult};
use crate::events::Event;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Inside some activity area in force.
    ActivityArea,
    /// Outside one exclusion zone.
    Zone(Uuid),
    /// No mock location provider.
    Mock,
    /// Reporting as often as the level demands.
    Silence,
}

impl Rule {
    fn key(&self) -> String {
        match self {
            Rule::ActivityArea => "activity_area".into(),
            Rule::Zone(id) => format!("zone:{id}"),
            Rule::Mock => "mock".into(),
            Rule::Silence => "silence".into(),
        }
    }

    fn parse(key: &str) -> Option<Rule> {
        match key {
            "activity_area" => Some(Rule::ActivityArea),
            "mock" => Some(Rule::Mock),
            "silence" => Some(Rule::Silence),
            _ => key
                .strip_prefix("zone:")
                .and_then(|id| Uuid::parse_str(id).ok())
                .map(Rule::Zone),
        }
    }

    fn alert(&self) -> (AlertKind, AlertSeverity) {
        match self {
            Rule::ActivityArea => (AlertKind::OutsideActivityArea, AlertSeverity::High),
            Rule::Zone(_) => (AlertKind::InExclusionZone, AlertSeverity::High),
            Rule::Mock => (AlertKind::MockLocation, AlertSeverity::Medium),
            // 失联 calls for an immediate search.
            Rule::Silence => (AlertKind::LocationSilence, AlertSeverity::Critical),
        }
    }
}

#[derive(Debug, Default)]
struct Slot {
    state: RuleState,
    alert_id: Option<Uuid>,
    /// A row exists in the table.
    stored: bool,
    /// The state changed since it was loaded.
    dirty: bool,
    /// Transitions in order, with the time and the evidence of each opening.
    transitions: Vec<(Transition, DateTime<Utc>, serde_json::Value)>,
}

/// The rule states of one case, changed in memory and written back by [`settle`].
pub struct States {
    case_id: Uuid,
    slots: HashMap<Rule, Slot>,
}

pub async fn load(db: &impl ConnectionTrait, case_id: Uuid) -> ApiResult<States> {
    let rows = location_state::Entity::find()
        .filter(location_state::Column::CaseId.eq(case_id))
        .all(db)
        .await?;
    let mut slots = HashMap::new();
    for r in rows {
        let rule = Rule::parse(&r.rule).ok_or_else(|| ApiError::internal("bad location rule"))?;
        slots.insert(
            rule,
            Slot {
                state: RuleState {
                    pending_since: r.pending_since,
                    violating: r.violating,
                },
                alert_id: r.alert_id,
                stored: true,
                ..Default::default()
            },
        );
    }
    Ok(States { case_id, slots })
}

impl States {
    /// Feeds one observation; `evidence` describes the fix in case a violation opens.
    pub fn step(
        &mut self,
        rule: &Rule,
        obs: Observation,
        at: DateTime<Utc>,
        dwell: Duration,
        evidence: impl FnOnce() -> serde_json::Value,
    ) {
        if obs == Observation::Clear && !self.slots.contains_key(rule) {
            return; // the common case: nothing was wrong, nothing to write
        }
        let slot = self.slots.entry(rule.clone()).or_default();
        let before = slot.state;
        let t = slot.state.step(obs, at, dwell);
        if slot.state != before {
            slot.dirty = true;
        }
        match t {
            Transition::None => {}
            Transition::Open => slot.transitions.push((t, at, evidence())),
            Transition::Close => slot.transitions.push((t, at, serde_json::Value::Null)),
        }
    }

    /// The exclusion-zone rules with a standing state.
    pub fn zones(&self) -> Vec<Rule> {
        self.slots
            .keys()
            .filter(|r| matches!(r, Rule::Zone(_)))
            .cloned()
            .collect()
    }
}

/// Turns the transitions into alerts (opened, cleared) and writes the states back. Returns the
/// events to publish after the commit.
pub async fn settle(
    db: &impl ConnectionTrait,
    c: &case::Model,
    states: &mut States,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Event>> {
    let mut events = Vec::new();
    for (rule, slot) in states.slots.iter_mut() {
        for (t, at, evidence) in std::mem::take(&mut slot.transitions) {
            match t {
                Transition::Open => {
                    let (kind, severity) = rule.alert();
                    let (a, e) = crate::alerts::raise(db, now, c, kind, severity, evidence).await?;
                    slot.alert_id = Some(a.id);
                    slot.dirty = true;
                    events.push(e);
                }
                Transition::Close => {
                    if let Some(id) = slot.alert_id.take() {
                        slot.dirty = true;
                        if let Some(e) = crate::alerts::clear(db, c, id, at).await? {
                            events.push(e);
                        }
                    }
                }
                Transition::None => {}
            }
        }
        if !slot.dirty {
            continue;
        }
        let idle = slot.state == RuleState::default() && slot.alert_id.is_none();
        if idle {
            if slot.stored {
                location_state::Entity::delete_by_id((states.case_id, rule.key()))
                    .exec(db)
                    .await?;
            }
        } else {
            location_state::Entity::insert(location_state::ActiveModel {
                case_id: Set(states.case_id),
                rule: Set(rule.key()),
                pending_since: Set(slot.state.pending_since),
                violating: Set(slot.state.violating),
                alert_id: Set(slot.alert_id),
                updated_at: Set(now),
            })
            .on_conflict(
                OnConflict::columns([location_state::Column::CaseId, location_state::Column::Rule])
                    .update_columns([
                        location_state::Column::PendingSince,
                        location_state::Column::Violating,
                        location_state::Column::AlertId,
                        location_state::Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
        }
        slot.stored = !idle;
        slot.dirty = false;
    }
    Ok(events)
}

/// Clears every standing state of a rule across cases (a fence was removed). Returns events.
pub async fn clear_rule_everywhere(
    db: &impl ConnectionTrait,
    rule: &Rule,
    at: DateTime<Utc>,
) -> ApiResult<Vec<Event>> {
    let rows = location_state::Entity::find()
        .filter(location_state::Column::Rule.eq(rule.key()))
        .all(db)
        .await?;
    let mut events = Vec::new();
    for r in rows {
        if let (Some(id), Some(c)) = (
            r.alert_id,
            case::Entity::find_by_id(r.case_id).one(db).await?,
        ) {
            events.extend(crate::alerts::clear(db, &c, id, at).await?);
        }
        location_state::Entity::delete_by_id((r.case_id, r.rule))
            .exec(db)
            .await?;
    }
    Ok(events)
}
