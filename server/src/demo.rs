//! Demo data for a first look (`serve --demo`, `seed-demo`) and the `create-admin` command.
//! Everything goes through the same service functions as the API, audit entries included.

use chrono::Duration;
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
use crate::entities::{case, correction_plan, device, level_change, team_member, user};
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
    err.into_anyhow()
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
            // Announced on the term's first day, at the office (obligations run from then:
            // the months since are owed and can be assessed).
            let announced = policy::calendar::day_start(start) + Duration::hours(9);
            am.announced_at = Set(Some(announced.min(state.clock.now())));
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
            crate::help::demo::seed(&txn, now, c.id, v, officer.id, unit).await?;
            crate::service::demo::seed(&txn, now, c.id, v.id, officer.id, unit).await?;
        }
        if i == 0 {
            // The prohibition order as a zone: a bar street 1.5 km north, evenings only.
            let (lat, lon) = (c.residence_lat + 1500.0 / 111_195.0, c.residence_lon);
            crate::locations::demo::fence(
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
    crate::locations::demo::fence(
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
    crate::learning::demo::course(&txn, now, by_name("officer.chengguan").id, &chengguan).await?;
    crate::learning::demo::lecture(&txn, now, by_name("officer.chengguan").id, &chengguan).await?;
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
