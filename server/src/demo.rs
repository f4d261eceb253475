//! Demo data for a first look (`serve --demo`, `seed-demo`) and the `create-admin` command.
//! Everything goes through the same service functions as the API, audit entries included.

use chrono::{DateTime, Duration, Utc};
use huijiao_core::api::{CaseCreateRequest, Residence, UnitCreateRequest, UserCreateRequest};
use huijiao_core::model::AuditAction;
use huijiao_core::model::{
    DeviceStatus, FenceKind, Role, SentenceKind, SupervisionLevel, TeamMemberKind, UnitKind,
};
use huijiao_core::policy;
use huijiao_core::policy::calendar::local_date;
use huijiao_core::policy::location::{FenceSchedule, FenceShape, FenceWindow};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, PaginatorTrait, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::auth::extractor::{AuthUser, RequestMeta};
use crate::entities::{case, correction_plan, device, fence, level_change, team_member, user};
use crate::org::{insert_unit, insert_user};
use crate::state::AppState;

/// The password every demo account gets. Demo data only: never seed a real deployment.
pub const DEMO_PASSWORD: &str = "Huijiao-Demo-2026";
/// The phone id bound to demo supervisees, for trying the supervisee API.
pub const DEMO_DEVICE: &str = "demo-phone";

pub async fn create_admin(
    state: &AppState,
    username: &str,
    role: Role,
    display_name: &str,
    password: &str,
) -> anyhow::Result<user::Model> {
    anyhow::ensure!(role.is_admin(), "create-admin makes admin accounts only");
    let txn = state.db.begin().await?;
    let u = insert_user(
        state,
        &txn,
        &UserCreateRequest {
            username: username.into(),
            password: password.into(),
            display_name: display_name.into(),
            role,
            unit_id: None,
            phone: None,
        },
    )
    .await
    .map_err(|e| {
        anyhow::anyhow!(
            "{}: {}",
            e.code.code(),
            e.code.message(huijiao_core::Lang::En)
        )
    })?;
    audit::record(
        &txn,
        &Actor::default(),
        AuditAction::UserCreated,
        "user",
        Some(u.id.to_string()),
        json!({ "role": u.role, "via": "cli" }),
    )
    .await?;
    txn.commit().await?;
    Ok(u)
}

/// A valid-looking identity number for demo people (correct check digit, fictional).
fn demo_national_id(region: &str, birth: &str, seq: u32) -> String {
    let first17 = format!("{region}{birth}{seq:03}");
    let check = policy::national_id_check_char(&first17).expect("17 digits");
    format!("{first17}{check}")
}

fn ctx(u: &user::Model, path: &str) -> AuthUser {
    AuthUser {
        id: u.id,
        role: u.role,
        unit_id: u.unit_id,
        unit_path: Some(path.into()),
        session_id: Uuid::nil(),
        device_id: None,
        meta: RequestMeta::default(),
    }
}

fn e(err: crate::error::ApiError) -> anyhow::Error {
    anyhow::anyhow!("{}: {:?}", err.code.code(), err.errors)
}

/// Seeds the demo org tree, staff and supervisees if there are no users yet; prints logins.
pub async fn seed_if_empty(state: &AppState) -> anyhow::Result<bool> {
    if user::Entity::find().count(&state.db).await? > 0 {
        tracing::info!("database not empty: demo data not loaded");
        return Ok(false);
    }
    let txn = state.db.begin().await?;
    let now = state.clock.now();
    let unit = |name: &str, kind, parent: Option<Uuid>, code: &str| UnitCreateRequest {
        name: name.into(),
        kind,
        parent_id: parent,
        code: Some(code.into()),
    };
    let gansu = insert_unit(
        &txn,
        now,
        &unit("甘肃省司法厅", UnitKind::Province, None, "620000"),
    )
    .await
    .map_err(e)?;
    let lanzhou = insert_unit(
        &txn,
        now,
        &unit("兰州市司法局", UnitKind::City, Some(gansu.id), "620100"),
    )
    .await
    .map_err(e)?;
    let chengguan = insert_unit(
        &txn,
        now,
        &unit(
            "城关区社区矫正管理局",
            UnitKind::CountyAgency,
            Some(lanzhou.id),
            "620102",
        ),
    )
    .await
    .map_err(e)?;
    let qilihe = insert_unit(
        &txn,
        now,
        &unit(
            "七里河区社区矫正管理局",
            UnitKind::CountyAgency,
            Some(lanzhou.id),
            "620103",
        ),
    )
    .await
    .map_err(e)?;
    let donggang = insert_unit(
        &txn,
        now,
        &unit(
            "东岗司法所",
            UnitKind::JudicialOffice,
            Some(chengguan.id),
            "620102001",
        ),
    )
    .await
    .map_err(e)?;
    let yannan = insert_unit(
        &txn,
        now,
        &unit(
            "雁南司法所",
            UnitKind::JudicialOffice,
            Some(chengguan.id),
            "620102002",
        ),
    )
    .await
    .map_err(e)?;
    let xiyuan = insert_unit(
        &txn,
        now,
        &unit(
            "西园司法所",
            UnitKind::JudicialOffice,
            Some(qilihe.id),
            "620103001",
        ),
    )
    .await
    .map_err(e)?;

    let mut logins: Vec<(String, &str, String)> = vec![];
    let mut staff = |username: &str,
                     name: &str,
                     role: Role,
                     unit: Option<&crate::entities::org_unit::Model>| {
        logins.push((
            username.into(),
            role.as_str(),
            unit.map_or("—".into(), |u| u.name.clone()),
        ));
        UserCreateRequest {
            username: username.into(),
            password: DEMO_PASSWORD.into(),
            display_name: name.into(),
            role,
            unit_id: unit.map(|u| u.id),
            phone: None,
        }
    };
    let reqs = [
        staff("sysadmin", "系统管理员", Role::SystemAdmin, None),
        staff("secadmin", "安全管理员", Role::SecurityAdmin, None),
        staff("auditadmin", "审计管理员", Role::AuditAdmin, None),
        // Leaves over the county's limits go to the city (measures art. 28): someone must
        // see that queue.
        staff("officer.lanzhou", "陈明", Role::Officer, Some(&lanzhou)),
        staff(
            "officer.chengguan",
            "张建国",
            Role::Officer,
            Some(&chengguan),
        ),
        staff("officer.donggang", "李秀英", Role::Officer, Some(&donggang)),
        staff("officer.yannan", "王志强", Role::Officer, Some(&yannan)),
        staff("officer.xiyuan", "赵丽", Role::Officer, Some(&xiyuan)),
        staff(
            "volunteer.donggang",
            "刘芳",
            Role::Volunteer,
            Some(&donggang),
        ),
        staff("volunteer.yannan", "陈伟", Role::Volunteer, Some(&yannan)),
    ];
    let mut users = vec![];
    for r in &reqs {
        users.push(insert_user(state, &txn, r).await.map_err(e)?);
    }
    let by_name = |name: &str| {
        users
            .iter()
            .find(|u| u.username == name)
            .expect("a demo user of the list above")
    };
    let officer_dg = ctx(by_name("officer.donggang"), &donggang.path);
    let officer_yn = ctx(by_name("officer.yannan"), &yannan.path);
    let officer_xy = ctx(by_name("officer.xiyuan"), &xiyuan.path);
    let (vol_dg, vol_yn) = (by_name("volunteer.donggang"), by_name("volunteer.yannan"));

    struct Person<'a> {
        name: &'a str,
        id: String,
        kind: SentenceKind,
        crime: &'a str,
        level: SupervisionLevel,
        minor: bool,
        active: bool,
        login: Option<&'a str>,
    }
    let people = [
        (
            &officer_dg,
            &donggang,
            Some(vol_dg),
            Person {
                name: "马小军",
                id: demo_national_id("620102", "19900312", 11),
                kind: SentenceKind::Probation,
                crime: "危险驾驶罪",
                level: SupervisionLevel::Strict,
                minor: false,
                active: true,
                login: Some("sv.maxiaojun"),
            },
        ),
        (
            &officer_dg,
            &donggang,
            Some(vol_dg),
            Person {
                name: "杨梅",
                id: demo_national_id("620102", "19851120", 22),
                kind: SentenceKind::Parole,
                crime: "盗窃罪",
                level: SupervisionLevel::Normal,
                minor: false,
                active: true,
                login: Some("sv.yangmei"),
            },
        ),
        (
            &officer_dg,
            &donggang,
            None,
            Person {
                name: "周小宇",
                id: demo_national_id("620102", "20090605", 31),
                kind: SentenceKind::Probation,
                crime: "寻衅滋事罪",
                level: SupervisionLevel::Strict,
                minor: true,
                active: true,
                login: None,
            },
        ),
        (
            &officer_yn,
            &yannan,
            Some(vol_yn),
            Person {
                name: "孙立新",
                id: demo_national_id("620102", "19780101", 45),
                kind: SentenceKind::Surveillance,
                crime: "非法经营罪",
                level: SupervisionLevel::Lenient,
                minor: false,
                active: true,
                login: Some("sv.sunlixin"),
            },
        ),
        (
            &officer_yn,
            &yannan,
            None,
            Person {
                name: "何建平",
                id: demo_national_id("620102", "19600715", 57),
                kind: SentenceKind::MedicalParole,
                crime: "诈骗罪",
                level: SupervisionLevel::Normal,
                minor: false,
                active: false,
                login: None,
            },
        ),
        (
            &officer_xy,
            &xiyuan,
            None,
            Person {
                name: "吴桂兰",
                id: demo_national_id("620103", "19720930", 63),
                kind: SentenceKind::Probation,
                crime: "交通肇事罪",
                level: SupervisionLevel::Strict,
                minor: false,
                active: true,
                login: Some("sv.wuguilan"),
            },
        ),
    ];
    let today = local_date(state.clock.now());
    for (i, (officer, unit, volunteer, p)) in people.into_iter().enumerate() {
        let start = today - Duration::days(30 * (i as i64 + 1));
        let c = crate::cases::intake::insert_case(
            state,
            &txn,
            officer,
            &CaseCreateRequest {
                name: p.name.into(),
                national_id: p.id,
                gender: None,
                sentence_kind: p.kind,
                crime: p.crime.into(),
                court: "兰州市城关区人民法院".into(),
                judgment_number: format!("(2026)甘0102刑初{}号", 100 + i),
                start_date: start,
                end_date: start + Duration::days(365),
                residence: Residence {
                    address: format!("兰州市{}辖区示例路{}号", unit.name, i + 1),
                    lat: 36.05 + i as f64 * 0.01,
                    lon: 103.83 + i as f64 * 0.01,
                },
                minor: p.minor,
                prohibition_orders: if i == 0 {
                    vec!["禁止进入酒吧、KTV等娱乐场所".into()]
                } else {
                    vec![]
                },
                unit_id: unit.id,
                officer_id: Some(officer.id),
            },
        )
        .await
        .map_err(e)?;
        let mut am: case::ActiveModel = c.clone().into();
        if p.active {
            am.status = Set(huijiao_core::model::CaseStatus::Active);
            am.announced_at = Set(Some(state.clock.now()));
            am.announced_by = Set(Some(officer.id));
            am.announce_place = Set(Some(unit.name.clone()));
        }
        if p.level != policy::INTAKE_LEVEL {
            am.level = Set(p.level);
            level_change::ActiveModel {
                id: Set(Uuid::now_v7()),
                case_id: Set(c.id),
                from_level: Set(Some(policy::INTAKE_LEVEL.as_str().into())),
                to_level: Set(p.level.as_str().into()),
                reason: Set("月度考核".into()),
                changed_by: Set(officer.id),
                changed_at: Set(state.clock.now()),
            }
            .insert(&txn)
            .await?;
        }
        if let Some(username) = p.login {
            let u = insert_user(
                state,
                &txn,
                &UserCreateRequest {
                    username: username.into(),
                    password: DEMO_PASSWORD.into(),
                    display_name: p.name.into(),
                    role: Role::Supervisee,
                    unit_id: Some(unit.id),
                    phone: None,
                },
            )
            .await
            .map_err(e)?;
            device::ActiveModel {
                id: Set(Uuid::now_v7()),
                user_id: Set(u.id),
                device_id: Set(DEMO_DEVICE.into()),
                name: Set(Some("demo".into())),
                status: Set(DeviceStatus::Approved),
                first_seen_at: Set(state.clock.now()),
                approved_by: Set(Some(officer.id)),
                approved_at: Set(Some(state.clock.now())),
            }
            .insert(&txn)
            .await?;
            am.user_id = Set(Some(u.id));
            logins.push((username.into(), "supervisee", unit.name.clone()));
        }
        am.update(&txn).await?;
        if let Some(v) = volunteer {
            team_member::ActiveModel {
                id: Set(Uuid::now_v7()),
                case_id: Set(c.id),
                kind: Set(TeamMemberKind::Volunteer),
                user_id: Set(Some(v.id)),
                name: Set(v.display_name.clone()),
                phone: Set(None),
                relation: Set(None),
                added_by: Set(officer.id),
                added_at: Set(state.clock.now()),
                removed_at: Set(None),
            }
            .insert(&txn)
            .await?;
            demo_help(&txn, now, c.id, v, officer.id, unit).await?;
            demo_service(&txn, now, c.id, v.id, officer.id, unit).await?;
        }
        if i == 0 {
            // The prohibition order as a zone: a bar street 1.5 km north, evenings only.
            let (lat, lon) = (c.residence_lat + 1500.0 / 111_195.0, c.residence_lon);
            demo_fence(
                &txn,
                (officer.id, now),
                "酒吧街（禁止令）",
                FenceKind::ExclusionZone,
                FenceShape::Circle {
                    center: [lon, lat],
                    radius_m: 300.0,
                },
                FenceSchedule {
                    windows: vec![FenceWindow {
                        days: (1..=7).collect(),
                        start: "20:00".into(),
                        end: "02:00".into(),
                    }],
                    ..Default::default()
                },
                (Some(c.id), None),
            )
            .await?;
        }
        correction_plan::ActiveModel {
            id: Set(Uuid::now_v7()),
            case_id: Set(c.id),
            version: Set(1),
            text: Set("按期报到，参加教育学习和公益活动，遵守禁止令。".into()),
            measures: Set(json!([
                "每月教育学习不少于8小时",
                "每月公益活动不少于8小时",
                "心理辅导"
            ])),
            created_by: Set(officer.id),
            created_at: Set(state.clock.now()),
        }
        .insert(&txn)
        .await?;
    }
    // Everyone in 城关区 must stay within the district (a rough box around it).
    let box_ = vec![
        [103.70, 35.98],
        [104.00, 35.98],
        [104.00, 36.16],
        [103.70, 36.16],
        [103.70, 35.98],
    ];
    demo_fence(
        &txn,
        (by_name("officer.chengguan").id, now),
        "城关区活动范围",
        FenceKind::ActivityArea,
        FenceShape::Polygon {
            coordinates: vec![box_],
        },
        FenceSchedule::default(),
        (None, Some(chengguan.id)),
    )
    .await?;
    demo_course(&txn, now, by_name("officer.chengguan").id, &chengguan).await?;
    demo_lecture(&txn, now, by_name("officer.chengguan").id, &chengguan).await?;
    audit::record(
        &txn,
        &Actor::default(),
        AuditAction::DemoSeeded,
        "system",
        None,
        json!({}),
    )
    .await?;
    txn.commit().await?;

    println!("Demo data loaded. Every demo login has the password {DEMO_PASSWORD}");
    println!("(supervisees sign in from device id \"{DEMO_DEVICE}\", already approved):");
    for (username, role, unit) in &logins {
        println!("  {username:<22} {role:<15} {unit}");
    }
    Ok(true)
}

/// The volunteer's help so far: a talk ten days ago the office confirmed (and certified), and
/// help finding work two days ago that waits for the office.
async fn demo_help(
    db: &impl sea_orm::ConnectionTrait,
    now: DateTime<Utc>,
    case_id: Uuid,
    volunteer: &user::Model,
    officer: Uuid,
    unit: &crate::entities::org_unit::Model,
) -> anyhow::Result<()> {
    use crate::entities::{help_session, service_certificate};
    use huijiao_core::model::HelpKind;
    use huijiao_core::policy::calendar::month_of;
    use huijiao_core::policy::help::{certificate_number, HelpStatus, SERVICE_CERTIFICATE_PREFIX};
    let sessions = [
        (
            10,
            60,
            HelpKind::Talk,
            "上门谈心，了解近期工作和家庭情况，情绪稳定。",
            true,
        ),
        (
            2,
            90,
            HelpKind::EmploymentHelp,
            "陪同到区人社局登记求职，推荐两家物流公司岗位。",
            false,
        ),
    ];
    for (days_ago, minutes, kind, notes, confirmed) in sessions {
        let began = now - Duration::days(days_ago);
        help_session::ActiveModel {
            id: Set(Uuid::now_v7()),
            case_id: Set(case_id),
            author_id: Set(volunteer.id),
            began_at: Set(began),
            minutes: Set(minutes),
            kind: Set(kind),
            place: Set(None),
            notes: Set(notes.into()),
            risks: Set(json!([])),
            follow_up: Set(None),
            status: Set(if confirmed {
                HelpStatus::Confirmed
            } else {
                HelpStatus::Logged
            }),
            reviewed_by: Set(confirmed.then_some(officer)),
            reviewed_at: Set(confirmed.then_some(began + Duration::days(1))),
            review_note: Set(None),
            alert_id: Set(None),
            version: Set(if confirmed { 2 } else { 1 }),
            created_at: Set(began + Duration::minutes(minutes.into())),
            updated_at: Set(began + Duration::days(1)),
        }
        .insert(db)
        .await?;
        if confirmed {
            let month = month_of(began);
            service_certificate::ActiveModel {
                id: Set(Uuid::now_v7()),
                number: Set(certificate_number(
                    SERVICE_CERTIFICATE_PREFIX,
                    month[..4].parse().unwrap_or(2026),
                    rand::random::<u64>(),
                )),
                volunteer_id: Set(volunteer.id),
                volunteer_name: Set(volunteer.display_name.clone()),
                unit_id: Set(unit.id),
                unit_name: Set(unit.name.clone()),
                from_month: Set(month.clone()),
                to_month: Set(month),
                minutes: Set(minutes),
                sessions: Set(1),
                by_kind: Set(json!([{ "kind": kind, "minutes": minutes }])),
                issued_by: Set(officer),
                issued_at: Set(began + Duration::days(2)),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// Community service of the office, run by its volunteer: park cleaning last week (checked in
/// and out by code, confirmed: two hours in that month's ledger) and a morning at the old
/// people's home in three days, the person signed up for both.
async fn demo_service(
    db: &impl sea_orm::ConnectionTrait,
    now: DateTime<Utc>,
    case_id: Uuid,
    organiser: Uuid,
    officer: Uuid,
    unit: &crate::entities::org_unit::Model,
) -> anyhow::Result<()> {
    use crate::entities::{service_activity, service_participation};
    use huijiao_core::policy::calendar::month_of;
    use huijiao_core::policy::learning::{CreditSource, Obligation};
    use huijiao_core::policy::service::{
        ActivityStatus, ParticipationStatus, PresenceProof, ServiceKind,
    };
    let today = local_date(now);
    let at_nine = |days: i64| {
        (today + Duration::days(days))
            .and_hms_opt(1, 0, 0)
            .unwrap_or_default()
            .and_utc()
    };
    let activities = [
        (
            -7,
            "滨河公园清洁",
            ServiceKind::Cleaning,
            "滨河公园东门",
            36.0612,
            103.8312,
        ),
        (
            3,
            "敬老院助老服务",
            ServiceKind::ElderlyCare,
            "城关区第一敬老院",
            36.0571,
            103.8411,
        ),
    ];
    for (days, title, kind, place, lat, lon) in activities {
        let starts = at_nine(days);
        let ends = starts + Duration::hours(3);
        let mut secret = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut secret);
        let a = service_activity::ActiveModel {
            id: Set(Uuid::now_v7()),
            unit_id: Set(unit.id),
            unit_path: Set(unit.path.clone()),
            title: Set(title.into()),
            kind: Set(kind),
            place: Set(place.into()),
            lat: Set(lat),
            lon: Set(lon),
            radius_m: Set(200),
            starts_at: Set(starts),
            ends_at: Set(ends),
            capacity: Set(10),
            organiser_id: Set(organiser),
            notes: Set(Some("请穿便于活动的衣服，提前十分钟到场签到。".into())),
            code_secret: Set(hex::encode(secret)),
            closed_at: Set((days < 0).then_some(ends + Duration::hours(1))),
            cancelled_at: Set(None),
            cancel_reason: Set(None),
            created_by: Set(officer),
            created_at: Set(starts - Duration::days(5)),
            status: Set(if days < 0 {
                ActivityStatus::Closed
            } else {
                ActivityStatus::Scheduled
            }),
            version: Set(1),
        }
        .insert(db)
        .await?;
        let done = days < 0;
        let (came, left) = (starts + Duration::minutes(50), ends - Duration::minutes(10));
        let p = service_participation::ActiveModel {
            id: Set(Uuid::now_v7()),
            activity_id: Set(a.id),
            case_id: Set(case_id),
            status: Set(if done {
                ParticipationStatus::Confirmed
            } else {
                ParticipationStatus::SignedUp
            }),
            signed_up_by: Set(officer),
            checked_in_at: Set(done.then_some(came)),
            check_in_proof: Set(done.then_some(PresenceProof::Code)),
            check_in_checkin_id: Set(None),
            check_in_lat: Set(done.then_some(lat)),
            check_in_lon: Set(done.then_some(lon)),
            checked_out_at: Set(done.then_some(left)),
            check_out_proof: Set(done.then_some(PresenceProof::Code)),
            check_out_checkin_id: Set(None),
            check_out_lat: Set(done.then_some(lat)),
            check_out_lon: Set(done.then_some(lon)),
            credited_minutes: Set(if done { 120 } else { 0 }),
            reviewed_by: Set(done.then_some(organiser)),
            reviewed_at: Set(done.then_some(ends + Duration::hours(2))),
            review_reason: Set(None),
            alert_id: Set(None),
            version: Set(if done { 4 } else { 1 }),
            created_at: Set(a.created_at),
            updated_at: Set(a.created_at),
        }
        .insert(db)
        .await?;
        if done {
            crate::ledger::insert(
                db,
                crate::ledger::Entry {
                    case_id,
                    obligation: Obligation::CommunityService,
                    month: month_of(starts),
                    source: CreditSource::Service,
                    credited_ms: 120 * 60_000,
                    reason: None,
                    created_by: Some(organiser),
                    session_id: None,
                    attendance_id: None,
                    participation_id: Some(p.id),
                },
                left,
            )
            .await
            .map_err(e)?;
        }
    }
    Ok(())
}

/// A group lecture of the district a week from today, 09:00–11:00 China time, at the
/// district bureau (its attendance code shows from 08:30).
async fn demo_lecture(
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
async fn demo_course(
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

async fn demo_fence(
    db: &impl sea_orm::ConnectionTrait,
    (by, now): (Uuid, DateTime<Utc>),
    name: &str,
    kind: FenceKind,
    shape: FenceShape,
    schedule: FenceSchedule,
    (case_id, unit_id): (Option<Uuid>, Option<Uuid>),
) -> anyhow::Result<()> {
    fence::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name.into()),
        kind: Set(kind),
        shape: Set(json!(shape)),
        schedule: Set(json!(schedule)),
        case_id: Set(case_id),
        prohibition_order: Set(case_id.map(|_| 0)),
        unit_id: Set(unit_id),
        created_by: Set(by),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
        archived_by: Set(None),
        version: Set(1),
    }
    .insert(db)
    .await?;
    Ok(())
}
