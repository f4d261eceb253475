//! The written decision or recommendation a sanction in force is (measures art. 33-36, 46-49):
//! a decision (决定书) for a commendation, admonition or warning the county decided; a
//! recommendation (建议书) for what the police, the court or the deciding authority decides —
//! addressed to it, with the person, the judgment, the facts, the ground and its article, the
//! deciding unit and date. A PDF for the case's officers to send and the person to keep.

use axum::extract::State;
use axum::response::IntoResponse;
use huijiao_core::api::Problem;
use huijiao_core::model::{AuditAction, Role};
use huijiao_core::policy::calendar::local_date;
use huijiao_core::policy::sanctions::{ground, Sanction};
use huijiao_core::ErrorCode;
use huijiao_core::Label;
use sea_orm::EntityTrait;
use serde_json::json;
use uuid::Uuid;

use crate::actor::Actor;
use crate::auth::extractor::RequestParty;
use crate::cases::identity;
use crate::entities::{case, org_unit, sanction, user};
use crate::error::{ApiResult, Path};
use crate::pdf::{self, Block};
use crate::state::AppState;

/// The document's title, and whom a recommendation goes to (`None`: the county's own
/// decision, given to the person).
fn title_and_addressee(s: Sanction, c: &case::Model) -> (&'static str, Option<String>) {
    match s {
        Sanction::Commendation => ("社区矫正表扬决定书", None),
        Sanction::Admonition => ("社区矫正训诫决定书", None),
        Sanction::Warning => ("社区矫正警告决定书", None),
        Sanction::PolicePenaltyReferral => ("提请治安管理处罚建议书", Some("公安机关".into())),
        Sanction::RevocationRecommendation => ("撤销缓刑（假释）建议书", Some(c.court.clone())),
        Sanction::ReturnToPrisonRecommendation | Sanction::Unknown => {
            ("收监执行建议书", Some(c.court.clone()))
        }
    }
}

fn blocks(
    s: &sanction::Model,
    c: &case::Model,
    unit_name: &str,
) -> ApiResult<(String, Vec<Block>)> {
    let g = ground(&s.ground).ok_or(ErrorCode::Internal)?;
    let (title, addressee) = title_and_addressee(s.sanction, c);
    // The decision names the person in full, as any legal document does.
    let (name, national_id) = identity(c, Role::Officer, true);
    let decided = pdf::date_zh(local_date(s.decided_at.ok_or(ErrorCode::Internal)?));
    let conclusion = match addressee {
        None => format!(
            "依照{}之规定，决定给予{}{}。",
            g.citation(),
            name,
            s.sanction.zh()
        ),
        Some(_) => format!("依照{}之规定，特提请依法处理。", g.citation()),
    };
    let mut out = vec![
        Block::Gap(30.0),
        Block::Title(title.into()),
        Block::Gap(20.0),
    ];
    if let Some(to) = addressee {
        out.push(Block::Paragraph(format!("{to}：")));
    }
    out.extend([
        Block::Paragraph(format!(
            "社区矫正对象 {name}，公民身份号码 {national_id}，因犯{}，经{}{}判处（决定）{}，社区矫正期限自 {} 起至 {} 止。",
            c.crime,
            c.court,
            c.judgment_number,
            c.sentence_kind.zh(),
            c.start_date,
            c.end_date
        )),
        Block::Paragraph(format!("该对象在社区矫正期间：{}", s.reason)),
        Block::Paragraph(format!("上述情形属于：{}。", g.zh)),
        Block::Paragraph(conclusion),
        Block::Paragraph(s.decision_note.clone().unwrap_or_default()),
        Block::Gap(30.0),
        Block::Paragraph(unit_name.to_owned()),
        Block::Paragraph(decided),
        Block::Gap(20.0),
        Block::Note(format!("文书编号：{}", s.id)),
    ]);
    Ok((title.to_owned(), out))
}

/// A sanction in force as its written decision or recommendation: the case's officers, and
/// the person theirs. Each download is audited.
#[utoipa::path(get, path = "/sanctions/{id}/document", tag = "sanctions", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 503, body = Problem)))]
pub async fn document(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
) -> ApiResult<impl IntoResponse> {
    let (s, c) = super::find(&state.db, &caller, id).await?;
    if !s.status.in_force() {
        return Err(ErrorCode::SanctionTransitionInvalid.into());
    }
    // The deciding unit: the decider's, as the county agency that signed it.
    let decider = user::Entity::find_by_id(s.decided_by.ok_or(ErrorCode::Internal)?)
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::Internal)?;
    let unit_name = match decider.unit_id {
        Some(u) => org_unit::Entity::find_by_id(u)
            .one(&state.db)
            .await?
            .map(|u| u.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let (title, blocks) = blocks(&s, &c, &unit_name)?;
    let bytes = pdf::render_with(&state.config.pdf_font, title, blocks).await?;
    crate::audit::record(
        &state.db,
        &Actor::from(&caller),
        AuditAction::SanctionDocumentRead,
        "case",
        Some(c.id.to_string()),
        json!({ "sanction_id": s.id }),
    )
    .await?;
    Ok(pdf::attachment(
        "application/pdf",
        &format!("sanction-{}.pdf", s.id),
        bytes,
    ))
}
