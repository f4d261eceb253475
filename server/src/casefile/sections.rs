//! The dossier's sections, in the order of a paper file: who and under which judgment, the
//! plan, levels and status, then supervision (check-ins, roll calls, leave, field work), the
//! assessments and decisions, the months of education and service, help, the end, and the
//! audit trail of the case. Each section says so when it holds nothing.

use chrono::{DateTime, Utc};
use huijiao_core::model::{AuditAction, CaseStatus, Role, SupervisionLevel, Vocabulary};
use huijiao_core::policy::calendar::local_offset;
use huijiao_core::policy::help::HelpStatus;
use huijiao_core::policy::sanctions::ground;
use huijiao_core::Label;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::BTreeMap;
use uuid::Uuid;

use crate::cases::identity;
use crate::entities::{
    alert, assessment, audit_entry, case, checkin, correction_plan, fence, help_session,
    leave_request, ledger_month, level_change, release_certificate, relocation_request, roll_call,
    sanction, status_change, tag_order, visit, visitor_request,
};
use crate::error::ApiResult;
use crate::pdf::Block;

/// The newest audit lines the dossier prints (the count says how many there are in all).
const AUDIT_LINES: u64 = 200;

fn at(t: DateTime<Utc>) -> String {
    t.with_timezone(&local_offset())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The words for a code kept as text; a code this version does not know stays as it is.
fn word<T: Vocabulary + Label>(code: &str) -> &str {
    T::parse(code).map_or(code, |v| v.zh())
}

/// Audit entries about `kind` rows with these ids.
fn target(kind: &str, ids: impl IntoIterator<Item = Uuid>) -> Condition {
    Condition::all()
        .add(audit_entry::Column::TargetKind.eq(kind))
        .add(audit_entry::Column::TargetId.is_in(ids.into_iter().map(|i| i.to_string())))
}

/// The ids of `E`'s rows of case `case`.
async fn ids_of<E: EntityTrait>(
    db: &impl ConnectionTrait,
    case_column: E::Column,
    id_column: E::Column,
    case: Uuid,
) -> ApiResult<Vec<Uuid>> {
    Ok(E::find()
        .select_only()
        .column(id_column)
        .filter(case_column.eq(case))
        .into_tuple::<Uuid>()
        .all(db)
        .await?)
}

/// A section: its heading, then one paragraph a line, or a line saying there is none.
fn section(out: &mut Vec<Block>, heading: &str, lines: Vec<String>) {
    out.push(Block::Gap(12.0));
    out.push(Block::Paragraph(format!("【{heading}】")));
    if lines.is_empty() {
        out.push(Block::Note("（无记录）".into()));
    }
    out.extend(lines.into_iter().map(Block::Note));
}

/// How many of each, as `通过 3，未通过 1`.
fn tally(items: impl Iterator<Item = &'static str>) -> String {
    let mut n: BTreeMap<&str, usize> = BTreeMap::new();
    for i in items {
        *n.entry(i).or_default() += 1;
    }
    n.iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join("，")
}

pub async fn dossier(
    db: &impl ConnectionTrait,
    c: &case::Model,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Block>> {
    let mut out = vec![Block::Title("社区矫正对象档案".into()), Block::Gap(8.0)];
    // An export: a minor's name and id are masked even for the case's officers.
    let (name, national_id) = identity(c, Role::Officer, false);
    out.push(Block::Note(format!(
        "案件编号：{}    生成时间：{}",
        c.id,
        at(now)
    )));
    section(
        &mut out,
        "基本信息",
        vec![
            format!(
                "姓名：{name}    性别：{}",
                c.gender.as_deref().unwrap_or("—")
            ),
            format!("公民身份号码：{national_id}"),
            format!(
                "居住地：{}",
                if c.minor {
                    "（未成年人，不予显示）"
                } else {
                    c.residence_address.as_str()
                }
            ),
            format!(
                "矫正类别：{}    罪名：{}    判决：{} {}",
                c.sentence_kind.zh(),
                c.crime,
                c.court,
                c.judgment_number
            ),
            format!("矫正期限：{} 至 {}", c.start_date, c.end_date),
            format!(
                "禁止令：{}",
                serde_json::from_value::<Vec<String>>(c.prohibition_orders.clone())
                    .unwrap_or_default()
                    .join("；")
            ),
            format!(
                "入矫宣告：{} {}",
                c.announced_at.map(at).unwrap_or_else(|| "—".into()),
                c.announce_place.as_deref().unwrap_or("")
            ),
            format!("状态：{}    管理等级：{}", c.status.zh(), c.level.zh()),
        ],
    );

    let plans = correction_plan::Entity::find()
        .filter(correction_plan::Column::CaseId.eq(c.id))
        .order_by_asc(correction_plan::Column::Version)
        .all(db)
        .await?;
    section(
        &mut out,
        "矫正方案",
        plans
            .iter()
            .map(|p| format!("第 {} 版（{}）：{}", p.version, at(p.created_at), p.text))
            .collect(),
    );

    let levels = level_change::Entity::find()
        .filter(level_change::Column::CaseId.eq(c.id))
        .order_by_asc(level_change::Column::ChangedAt)
        .all(db)
        .await?;
    section(
        &mut out,
        "管理等级变更",
        levels
            .iter()
            .map(|l| {
                format!(
                    "{}：{} → {}，{}",
                    at(l.changed_at),
                    l.from_level
                        .as_deref()
                        .map_or("—", word::<SupervisionLevel>),
                    word::<SupervisionLevel>(&l.to_level),
                    l.reason
                )
            })
            .collect(),
    );
    let statuses = status_change::Entity::find()
        .filter(status_change::Column::CaseId.eq(c.id))
        .order_by_asc(status_change::Column::ChangedAt)
        .all(db)
        .await?;
    section(
        &mut out,
        "状态变更",
        statuses
            .iter()
            .map(|s| {
                format!(
                    "{}：{} → {}，{}",
                    at(s.changed_at),
                    word::<CaseStatus>(&s.from_status),
                    word::<CaseStatus>(&s.to_status),
                    s.reason
                )
            })
            .collect(),
    );

    let checkins = checkin::Entity::find()
        .filter(checkin::Column::CaseId.eq(c.id))
        .all(db)
        .await?;
    let rolls = roll_call::Entity::find()
        .filter(roll_call::Column::CaseId.eq(c.id))
        .all(db)
        .await?;
    section(
        &mut out,
        "人脸签到与视频点名（人脸图像不随档案导出）",
        vec![
            format!(
                "人脸签到 {} 次：{}",
                checkins.len(),
                tally(checkins.iter().map(|k| k.result.zh()))
            ),
            format!(
                "视频点名 {} 次：{}",
                rolls.len(),
                tally(rolls.iter().map(|r| r.status.zh()))
            ),
        ],
    );

    let leaves = leave_request::Entity::find()
        .filter(leave_request::Column::CaseId.eq(c.id))
        .order_by_asc(leave_request::Column::StartDate)
        .all(db)
        .await?;
    section(
        &mut out,
        "请假外出",
        leaves
            .iter()
            .map(|l| {
                format!(
                    "{} 至 {}，{}，{}：{}（{}）",
                    l.start_date,
                    l.end_date,
                    l.destination,
                    l.reason_category.zh(),
                    l.reason_text,
                    l.status.zh()
                )
            })
            .collect(),
    );

    let visits = visit::Entity::find()
        .filter(visit::Column::CaseId.eq(c.id))
        .order_by_asc(visit::Column::At)
        .all(db)
        .await?;
    section(
        &mut out,
        "走访、谈话与报到",
        visits
            .iter()
            .map(|v| format!("{}：{}，{}", at(v.at), v.kind.zh(), v.findings))
            .collect(),
    );

    let assessments = assessment::Entity::find()
        .filter(assessment::Column::CaseId.eq(c.id))
        .order_by_asc(assessment::Column::Month)
        .all(db)
        .await?;
    section(
        &mut out,
        "月度考核",
        assessments
            .iter()
            .map(|a| {
                format!(
                    "{}：{} 分，{}{}",
                    a.month,
                    a.score,
                    a.grade.zh(),
                    a.proposed_level
                        .map(|l| format!("，建议调整为{}", l.zh()))
                        .unwrap_or_default()
                )
            })
            .collect(),
    );

    let sanctions = sanction::Entity::find()
        .filter(sanction::Column::CaseId.eq(c.id))
        .order_by_asc(sanction::Column::ProposedAt)
        .all(db)
        .await?;
    let tags = tag_order::Entity::find()
        .filter(tag_order::Column::CaseId.eq(c.id))
        .order_by_asc(tag_order::Column::StartsOn)
        .all(db)
        .await?;
    section(
        &mut out,
        "奖惩与电子定位装置",
        sanctions
            .iter()
            .map(|s| {
                format!(
                    "{}：{}（{}），{}，{}",
                    at(s.proposed_at),
                    s.sanction.zh(),
                    ground(&s.ground).map_or(s.ground.as_str(), |g| g.zh),
                    s.status.zh(),
                    s.reason
                )
            })
            .chain(tags.iter().map(|t| {
                format!(
                    "电子定位装置 {} 至 {}（{}），{}",
                    t.starts_on,
                    t.ends_on,
                    t.ground.zh(),
                    t.reason
                )
            }))
            .collect(),
    );

    let months = ledger_month::Entity::find()
        .filter(ledger_month::Column::CaseId.eq(c.id))
        .order_by_asc(ledger_month::Column::Month)
        .all(db)
        .await?;
    section(
        &mut out,
        "教育学习与公益活动（按月）",
        months
            .iter()
            .map(|m| {
                format!(
                    "{} {}：应 {} 分钟，计 {} 分钟，缺 {} 分钟",
                    m.month,
                    m.obligation.zh(),
                    m.owed_minutes,
                    m.credited_minutes,
                    m.short_minutes
                )
            })
            .collect(),
    );

    let help = help_session::Entity::find()
        .filter(help_session::Column::CaseId.eq(c.id))
        .all(db)
        .await?;
    let confirmed: Vec<_> = help
        .iter()
        .filter(|h| h.status == HelpStatus::Confirmed)
        .collect();
    section(
        &mut out,
        "帮教",
        if help.is_empty() {
            vec![]
        } else {
            vec![format!(
                "帮教记录 {} 条，已确认 {} 条，共 {} 分钟",
                help.len(),
                confirmed.len(),
                confirmed.iter().map(|h| i64::from(h.minutes)).sum::<i64>()
            )]
        },
    );

    let release = release_certificate::Entity::find_by_id(c.id)
        .one(db)
        .await?;
    section(
        &mut out,
        "解除或终止",
        release
            .iter()
            .map(|r| {
                format!(
                    "{} 解除社区矫正，证明书编号 {}，{}",
                    r.released_on, r.number, r.unit_name
                )
            })
            .chain(c.closed_at.map(|t| format!("结案时间：{}", at(t))))
            .collect(),
    );

    // The trail of the case and of what belongs to it: its requests, visits, alerts, fences.
    let about = Condition::any()
        .add(target("case", [c.id]))
        .add(target("leave", leaves.iter().map(|l| l.id)))
        .add(target("visit", visits.iter().map(|v| v.id)))
        .add(target(
            "relocation",
            ids_of::<relocation_request::Entity>(
                db,
                relocation_request::Column::CaseId,
                relocation_request::Column::Id,
                c.id,
            )
            .await?,
        ))
        .add(target(
            "visitor",
            ids_of::<visitor_request::Entity>(
                db,
                visitor_request::Column::CaseId,
                visitor_request::Column::Id,
                c.id,
            )
            .await?,
        ))
        .add(target(
            "alert",
            ids_of::<alert::Entity>(db, alert::Column::CaseId, alert::Column::Id, c.id).await?,
        ))
        .add(target(
            "fence",
            ids_of::<fence::Entity>(db, fence::Column::CaseId, fence::Column::Id, c.id).await?,
        ));
    let audit = audit_entry::Entity::find().filter(about);
    let total = audit.clone().count(db).await?;
    let lines = audit
        .order_by_desc(audit_entry::Column::Seq)
        .limit(AUDIT_LINES)
        .all(db)
        .await?;
    let mut trail = vec![format!("共 {total} 条（以下为最近 {} 条）", lines.len())];
    trail.extend(lines.iter().map(|e| {
        format!(
            "#{} {} {}（{}）",
            e.seq,
            at(e.at),
            word::<AuditAction>(&e.action),
            e.actor_role.as_deref().map_or("系统", word::<Role>)
        )
    }));
    section(&mut out, "操作记录（审计）", trail);
    Ok(out)
}
