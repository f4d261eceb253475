//! The learning domain's demo data: a course to study and a lecture to attend.

use chrono::{DateTime, Utc};
use huijiao_core::policy::calendar::local_date;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::json;
use uuid::Uuid;

/// A group lecture of the district a week from today, 09:00–11:00 China time, at the
/// district bureau (its attendance code shows from 08:30).
pub(crate) async fn lecture(
    db: &impl sea_orm::ConnectionTrait,
    now: DateTime<Utc>,
    by: Uuid,
    unit: &crate::entities::org_unit::Model,
) -> anyhow::Result<()> {
    use crate::entities::lecture;
    use huijiao_core::policy::learning::CourseCategory;
    let day = local_date(now) + chrono::Duration::days(7);
    let starts = day.and_hms_opt(1, 0, 0).unwrap_or_default().and_utc();
    let mut secret = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut secret);
    lecture::ActiveModel {
        id: Set(Uuid::now_v7()),
        unit_id: Set(unit.id),
        unit_path: Set(unit.path.clone()),
        title: Set("警示教育：远离毒品".into()),
        category: Set(CourseCategory::DrugPrevention),
        place: Set("城关区司法局三楼会议室".into()),
        lat: Set(36.0611),
        lon: Set(103.8343),
        radius_m: Set(150),
        starts_at: Set(starts),
        ends_at: Set(starts + chrono::Duration::hours(2)),
        code_secret: Set(hex::encode(secret)),
        created_by: Set(by),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A published course of the district, so a supervisee's app has something to study: two
/// text lessons on what the measures ask of them.
pub(crate) async fn course(
    db: &impl sea_orm::ConnectionTrait,
    now: DateTime<Utc>,
    by: Uuid,
    unit: &crate::entities::org_unit::Model,
) -> anyhow::Result<()> {
    use crate::entities::{course, lesson, quiz_question};
    use huijiao_core::policy::learning::{CourseCategory, CourseStatus, LessonKind, MoveOn};
    use huijiao_core::policy::quiz::QuestionKind;
    let id = Uuid::now_v7();
    course::ActiveModel {
        id: Set(id),
        unit_id: Set(unit.id),
        unit_path: Set(unit.path.clone()),
        title: Set("社区矫正对象须知".into()),
        category: Set(CourseCategory::EntryExit),
        description: Set(Some("入矫教育：报到、报告、外出与教育学习的规定。".into())),
        status: Set(CourseStatus::Published),
        published_at: Set(Some(now)),
        created_by: Set(Some(by)),
        version: Set(2),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    let lessons = [
        (
            "报到与报告",
            "收到判决、裁定或决定后按时到执行地社区矫正机构报到；按规定定期报告本人的生活、工作和遵守规定的情况；\n\n手机保持开机，按要求完成人脸签到和视频点名；变更手机号码须及时报告。",
        ),
        (
            "外出与迁居",
            "离开所居住的市、县须经批准，一般提前三日申请并附证明材料；按期返回并报告，不能按期返回的须及时说明。\n\n变更执行地须提前一个月申请，经批准后方可迁居。",
        ),
    ];
    for (ordinal, (title, body)) in lessons.into_iter().enumerate() {
        lesson::ActiveModel {
            id: Set(Uuid::now_v7()),
            course_id: Set(id),
            ordinal: Set(ordinal as i32 + 1),
            title: Set(title.into()),
            kind: Set(LessonKind::Text),
            body: Set(Some(body.into())),
            duration_secs: Set(0),
            min_minutes: Set(10),
            seek_allowed: Set(true),
            pass_percent: Set(None),
            max_attempts: Set(None),
            media_key: Set(None),
            media_type: Set(None),
            media_bytes: Set(None),
            move_on: Set(MoveOn::Completed),
            face_check_at_start: Set(None),
            face_checks_per_hour: Set(None),
        }
        .insert(db)
        .await?;
    }
    let quiz = lesson::ActiveModel {
        id: Set(Uuid::now_v7()),
        course_id: Set(id),
        ordinal: Set(3),
        title: Set("须知小测验".into()),
        kind: Set(LessonKind::Quiz),
        body: Set(None),
        duration_secs: Set(0),
        min_minutes: Set(0),
        seek_allowed: Set(true),
        pass_percent: Set(Some(60)),
        max_attempts: Set(Some(3)),
        media_key: Set(None),
        media_type: Set(None),
        media_bytes: Set(None),
        move_on: Set(MoveOn::Passed),
        face_check_at_start: Set(None),
        face_checks_per_hour: Set(None),
    }
    .insert(db)
    .await?;
    let questions = [
        (
            QuestionKind::Single,
            "离开所居住的市、县，应当：",
            vec!["无需告知", "经社区矫正机构批准", "告知邻居即可"],
            vec![1u32],
        ),
        (
            QuestionKind::TrueFalse,
            "变更执行地须提前一个月提出申请。",
            vec!["对", "错"],
            vec![0],
        ),
    ];
    for (ordinal, (kind, prompt, options, key)) in questions.into_iter().enumerate() {
        quiz_question::ActiveModel {
            id: Set(Uuid::now_v7()),
            lesson_id: Set(quiz.id),
            ordinal: Set(ordinal as i32 + 1),
            kind: Set(kind),
            prompt: Set(prompt.into()),
            options: Set(json!(options)),
            key: Set(json!(key)),
            points: Set(5),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}
