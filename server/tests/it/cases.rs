//! Intake, levels, status, plans, teams, investigations, and a minor's masking.

use crate::common;

use axum::http::StatusCode;
use common::{case_body, World};
use serde_json::json;

both!(intake_flow_and_history, |app| {
    let w = World::build(&app).await;
    let t = w.token("officer.a1");
    let (s, c) = app
        .post("/api/v1/cases", t, case_body(&w.office_a1, 10, false))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_eq!(
        (c["status"].as_str(), c["level"].as_str()),
        (Some("pre_intake"), Some("strict")),
        "new intakes start strict"
    );
    assert_eq!(
        c["national_id_masked"],
        format!("620102********{}", &common::national_id(10)[14..])
    );
    let id = c["id"].as_str().unwrap().to_owned();
    // The same person cannot have two open cases.
    let (s, v) = app
        .post("/api/v1/cases", t, case_body(&w.office_a1, 10, false))
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("case.national_id_duplicate"))
    );
    // No login before the announcement.
    let (s, v) = app
        .post(
            &format!("/api/v1/cases/{id}/login"),
            t,
            json!({ "username": "sv.new" }),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("case.not_active"))
    );
    // Activation only through the announcement.
    let (s, v) = app
        .post(
            &format!("/api/v1/cases/{id}/status"),
            t,
            json!({ "status": "active", "reason": "x" }),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("case.transition_invalid"))
    );
    let (s, v) = app
        .post(
            &format!("/api/v1/cases/{id}/announce"),
            t,
            json!({ "place": "东岗司法所", "attendees": ["母亲"] }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "active");
    assert!(v["announced_at"].is_string());
    let (s, v) = app
        .post(
            &format!("/api/v1/cases/{id}/announce"),
            t,
            json!({ "place": "again" }),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("case.transition_invalid"))
    );
    let (s, v) = app
        .post(
            &format!("/api/v1/cases/{id}/login"),
            t,
            json!({ "username": "sv.new" }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert!(
        huijiao_core::policy::check_password_strength(v["initial_password"].as_str().unwrap())
            .is_ok()
    );
    let (s, v) = app
        .post(
            &format!("/api/v1/cases/{id}/login"),
            t,
            json!({ "username": "sv.new2" }),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("case.login_already_issued"))
    );

    // Levels with history and reason.
    let (s, v) = app
        .post(
            &format!("/api/v1/cases/{id}/levels"),
            t,
            json!({ "level": "strict", "reason": "x" }),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("case.level_unchanged"))
    );
    let (s, v) = app
        .post(
            &format!("/api/v1/cases/{id}/levels"),
            t,
            json!({ "level": "normal", "reason": "月度考核良好" }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (_, levels) = app.get(&format!("/api/v1/cases/{id}/levels"), t).await;
    let levels = levels.as_array().unwrap();
    assert_eq!(levels.len(), 2);
    assert_eq!(
        (
            levels[0]["from_level"].clone(),
            levels[0]["to_level"].clone()
        ),
        (json!(null), json!("strict"))
    );
    assert_eq!(
        (
            levels[1]["from_level"].clone(),
            levels[1]["to_level"].clone(),
            levels[1]["reason"].clone()
        ),
        (json!("strict"), json!("normal"), json!("月度考核良好"))
    );

    // A release goes through its own endpoint, which issues the certificate.
    let (s, v) = app
        .post(
            &format!("/api/v1/cases/{id}/status"),
            t,
            json!({ "status": "released", "reason": "期满解除" }),
        )
        .await;
    assert_eq!(
        (s, v["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("status")),
        "{v}"
    );
    // Termination (death, a new offence) closes the case: archived read-only, the app login
    // disabled.
    let (s, v) = app
        .post(
            &format!("/api/v1/cases/{id}/status"),
            t,
            json!({ "status": "terminated", "reason": "因再犯罪被羁押，依法终止" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["closed_at"].is_string(), "{v}");
    let (s, v) = app
        .post(
            &format!("/api/v1/cases/{id}/levels"),
            t,
            json!({ "level": "lenient", "reason": "x" }),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("case.closed"))
    );
    let (s, v) = app
        .call(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({ "username": "sv.new", "password": "whatever-it-was", "device_id": "p" })),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{v}");
    // Once closed, the same person may be registered again (a new sentence).
    let (s, _) = app
        .post("/api/v1/cases", t, case_body(&w.office_a1, 10, false))
        .await;
    assert_eq!(s, StatusCode::CREATED);
});

both!(closing_a_case_disables_the_supervisee_login, |app| {
    let w = World::build(&app).await;
    assert_eq!(
        w.call(&app, "sv.a1", "GET", "/api/v1/me", None).await.0,
        StatusCode::OK
    );
    let (s, _) = app
        .post(
            &format!("/api/v1/cases/{}/status", w.case_a1),
            w.token("officer.a1"),
            json!({ "status": "revoked", "reason": "撤销缓刑" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        w.call(&app, "sv.a1", "GET", "/api/v1/me", None).await.0,
        StatusCode::UNAUTHORIZED
    );
});

both!(plan_versions_and_stale_edits, |app| {
    let w = World::build(&app).await;
    let t = w.token("officer.a1");
    let path = format!("/api/v1/cases/{}/plan", w.case_a1);
    assert_eq!(app.get(&path, t).await.0, StatusCode::NOT_FOUND);
    let plan = |base: i32, text: &str| json!({ "base_version": base, "text": text, "measures": ["每月教育学习8小时", "心理辅导"] });
    let (s, v) = app.call("PUT", &path, Some(t), Some(plan(0, "初版"))).await;
    assert_eq!((s, v["version"].as_i64()), (StatusCode::CREATED, Some(1)));
    let (s, v) = app
        .call("PUT", &path, Some(t), Some(plan(1, "第二版")))
        .await;
    assert_eq!((s, v["version"].as_i64()), (StatusCode::CREATED, Some(2)));
    // A stale screen (based on version 1) does not overwrite version 2.
    let (s, v) = app
        .call("PUT", &path, Some(t), Some(plan(1, "过期的编辑")))
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("plan.version_conflict"))
    );
    // Two officers saving at once on the same base: exactly one wins.
    let county = w.token("officer.county_a");
    let (a, b) = tokio::join!(
        app.call("PUT", &path, Some(t), Some(plan(2, "甲"))),
        app.call("PUT", &path, Some(county), Some(plan(2, "乙")))
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::CREATED, StatusCode::CONFLICT],
        "{a:?} {b:?}"
    );
    let (_, cur) = app.get(&path, t).await;
    assert_eq!(cur["version"], 3);
    let (_, all) = app
        .get(&format!("/api/v1/cases/{}/plans", w.case_a1), t)
        .await;
    assert_eq!(
        all.as_array()
            .unwrap()
            .iter()
            .map(|p| p["version"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(all[0]["text"], "初版", "old versions are kept as written");
    let (s, v) = app
        .call(
            "PUT",
            &path,
            Some(t),
            Some(json!({ "base_version": 3, "text": "x", "measures": [] })),
        )
        .await;
    assert_eq!(
        (s, v["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("measures"))
    );
});

both!(team_membership_decides_what_a_volunteer_sees, |app| {
    let w = World::build(&app).await;
    let t = w.token("officer.a1");
    let path = format!("/api/v1/cases/{}/team", w.case_a1);
    assert_eq!(
        w.call(
            &app,
            "volunteer.a1.other",
            "GET",
            &format!("/api/v1/cases/{}", w.case_a1),
            None
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    let (_, users) = app.get("/api/v1/users", t).await;
    let id_of = |name: &str| {
        users["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["username"] == name)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // Kind and role must match; family members are not users.
    let (s, v) = app
        .post(
            &path,
            t,
            json!({ "kind": "volunteer", "user_id": id_of("officer.a1"), "name": "x" }),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("team.member_invalid")
        )
    );
    let (s, _) = app
        .post(
            &path,
            t,
            json!({ "kind": "family", "user_id": id_of("volunteer.a1.other"), "name": "x" }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = app
        .post(
            &path,
            t,
            json!({ "kind": "family", "name": "母亲", "relation": "母亲", "phone": "13800000000" }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, m) = app.post(&path, t, json!({ "kind": "social_worker", "user_id": id_of("volunteer.a1.other"), "name": "社工" })).await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    let (s, _) = app.post(&path, t, json!({ "kind": "social_worker", "user_id": id_of("volunteer.a1.other"), "name": "社工" })).await;
    assert_eq!(s, StatusCode::CONFLICT, "already on the team");
    assert_eq!(
        w.call(
            &app,
            "volunteer.a1.other",
            "GET",
            &format!("/api/v1/cases/{}", w.case_a1),
            None
        )
        .await
        .0,
        StatusCode::OK
    );
    let (s, _) = app
        .call(
            "DELETE",
            &format!("{path}/{}", m["id"].as_str().unwrap()),
            Some(t),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        w.call(
            &app,
            "volunteer.a1.other",
            "GET",
            &format!("/api/v1/cases/{}", w.case_a1),
            None
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    let (_, team) = app.get(&path, t).await;
    assert_eq!(team.as_array().unwrap().len(), 2);
});

both!(
    a_minors_identity_is_masked_in_lists_exports_and_every_one_for_volunteers,
    |app| {
        let w = World::build(&app).await;
        let t = w.token("officer.a1");
        let (s, c) = app
            .post("/api/v1/cases", t, case_body(&w.office_a1, 20, true))
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let id = c["id"].as_str().unwrap().to_owned();
        let full_name = "测试人20";
        let nid = common::national_id(20);
        // The officer of the case sees the name in the detail view…
        assert_eq!(
            app.get(&format!("/api/v1/cases/{id}"), t).await.1["name"],
            full_name
        );
        // …but not in the list or the export.
        let (_, list) = app.get("/api/v1/cases", t).await;
        let row = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id.as_str())
            .unwrap()
            .clone();
        assert_eq!(row["name"], "测****");
        assert_eq!(
            row["national_id_masked"],
            huijiao_core::policy::MINOR_ID_MASK
        );
        let (s, headers, csv) = app
            .call_raw("GET", "/api/v1/cases/export.csv", Some(t), &[], None, None)
            .await;
        assert_eq!(s, StatusCode::OK);
        let csv = String::from_utf8(csv).unwrap();
        assert!(csv.contains("测试人1") && !csv.contains(full_name), "{csv}");
        assert!(!csv.contains(&nid[6..14]), "birth date leaked");
        // A file a spreadsheet opens in Chinese: a byte-order mark, a name, words for codes,
        // the unit and the officer by name.
        let today = huijiao_core::policy::calendar::local_date(chrono::Utc::now());
        assert_eq!(
            headers["content-disposition"],
            format!("attachment; filename=\"cases-{today}.csv\"").as_str()
        );
        assert!(csv.starts_with("\u{feff}案件编号,姓名,公民身份号码,未成年,矫正类别,状态,管理等级,所属单位,负责工作人员,"), "{csv}");
        let row = csv.lines().find(|l| l.contains("测****")).unwrap();
        assert!(
            row.contains(",是,缓刑,待入矫,严管,\"东岗司法所\","),
            "{row}"
        );
        common::assert_in_words(&row.replace(&id, ""), &["officer.a1"]);
        let (_, _, en) = app
            .call_raw(
                "GET",
                "/api/v1/cases/export.csv",
                Some(t),
                &[("accept-language", "en")],
                None,
                None,
            )
            .await;
        let en = String::from_utf8(en).unwrap();
        assert!(
            en.starts_with("\u{feff}Case id,Name,National id,Minor,Sentence,Status,Level,Unit,"),
            "{en}"
        );
        assert!(
            en.contains(",yes,Probation,Awaiting intake,Strict,"),
            "{en}"
        );
        // A volunteer on the team sees the case masked.
        let (_, users) = app.get("/api/v1/users", t).await;
        let vol = users["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["username"] == "volunteer.a1")
            .unwrap()["id"]
            .clone();
        app.post(
            &format!("/api/v1/cases/{id}/team"),
            t,
            json!({ "kind": "volunteer", "user_id": vol, "name": "志愿者" }),
        )
        .await;
        let (_, v) = w
            .call(
                &app,
                "volunteer.a1",
                "GET",
                &format!("/api/v1/cases/{id}"),
                None,
            )
            .await;
        assert_eq!(v["name"], "测****");
        assert_eq!(v["national_id_masked"], huijiao_core::policy::MINOR_ID_MASK);
        // An adult's identity too, in the detail view and in the list: a volunteer helps
        // the person, the papers are not theirs to see.
        app.post(
            &format!("/api/v1/cases/{}/team", w.case_a1),
            t,
            json!({ "kind": "volunteer", "user_id": vol, "name": "志愿者" }),
        )
        .await;
        let adult = format!("/api/v1/cases/{}", w.case_a1);
        assert_eq!(app.get(&adult, t).await.1["name"], "测试人1");
        let (_, v) = w.call(&app, "volunteer.a1", "GET", &adult, None).await;
        assert_eq!(
            (v["name"].as_str(), v["national_id_masked"].as_str()),
            (Some("测***"), Some(huijiao_core::policy::MINOR_ID_MASK)),
            "{v}"
        );
        let (_, list) = w
            .call(&app, "volunteer.a1", "GET", "/api/v1/cases", None)
            .await;
        assert!(
            list["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(
                    |r| r["national_id_masked"] == huijiao_core::policy::MINOR_ID_MASK
                        && r["name"].as_str().unwrap().ends_with('*')
                ),
            "{list}"
        );
        // The full id is never stored, only its keyed hash and the masked form.
        let dump = format!(
            "{:?}",
            <huijiao_server::entities::case::Entity as sea_orm::EntityTrait>::find()
                .all(&app.state.db)
                .await
                .unwrap()
        );
        assert!(!dump.contains(&nid), "national id stored in clear");
    }
);

both!(pre_sentence_investigation, |app| {
    let w = World::build(&app).await;
    let t = w.token("officer.a1");
    let body = json!({ "unit_id": w.office_a1, "court": "城关区人民法院", "defendant_name": "被告人", "defendant_national_id": common::national_id(300), "minor": false, "charge": "盗窃罪", "requested_on": "2026-11-01", "due_on": "2026-11-11" });
    let (s, v) = app
        .post(
            "/api/v1/investigations",
            w.token("officer.b1"),
            body.clone(),
        )
        .await;
    assert_eq!(
        (s, v["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unit_id")),
        "outside the jurisdiction"
    );
    let mut bad = body.clone();
    bad["defendant_national_id"] = json!("110105194912310021");
    let (s, v) = app.post("/api/v1/investigations", t, bad).await;
    assert_eq!(
        (s, v["errors"][0]["field"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("defendant_national_id")
        )
    );
    let (s, inv) = app.post("/api/v1/investigations", t, body).await;
    assert_eq!(s, StatusCode::CREATED, "{inv}");
    assert_eq!(inv["status"], "requested");
    let path = format!(
        "/api/v1/investigations/{}/opinion",
        inv["id"].as_str().unwrap()
    );
    let (s, v) = app
        .post(
            &path,
            t,
            json!({ "opinion": "suitable", "text": "社会危险性小，适用社区矫正" }),
        )
        .await;
    assert_eq!(
        (s, v["status"].as_str(), v["opinion"].as_str()),
        (StatusCode::OK, Some("opinion_filed"), Some("suitable"))
    );
    let (s, v) = app
        .post(
            &path,
            w.token("officer.county_a"),
            json!({ "opinion": "unsuitable", "text": "改判" }),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("investigation.already_filed"))
    );
    let (_, list) = app
        .get("/api/v1/investigations", w.token("officer.a2"))
        .await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        0,
        "sibling office sees none"
    );
});

both!(unit_tree_rules, |app| {
    let w = World::build(&app).await;
    let sys = w.token("sys");
    let (s, v) = app
        .post(
            "/api/v1/units",
            sys,
            json!({ "name": "x", "kind": "judicial_office", "parent_id": w.office_a1 }),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("org.parent_invalid"))
    );
    let (s, v) = app
        .post(
            "/api/v1/units",
            sys,
            json!({ "name": "x", "kind": "city", "parent_id": null }),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("org.parent_invalid"))
    );
    let (s, _) = app
        .post(
            "/api/v1/units",
            sys,
            json!({ "name": "新司法所", "kind": "judicial_office", "parent_id": w.county_a }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    // The county officer sees the new office at once; the office officer does not see siblings.
    let (_, units) = app.get("/api/v1/units", w.token("officer.county_a")).await;
    assert_eq!(units.as_array().unwrap().len(), 4);
    let (_, units) = app.get("/api/v1/units", w.token("officer.a1")).await;
    assert_eq!(units.as_array().unwrap().len(), 1);
    let (s, v) = app.post("/api/v1/users", sys, json!({ "username": "officer.a1", "password": common::PASSWORD, "display_name": "x", "role": "officer", "unit_id": w.office_a1 })).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("user.username_taken"))
    );
    let (s, v) = app.post("/api/v1/users", sys, json!({ "username": "officer.nounit", "password": common::PASSWORD, "display_name": "x", "role": "officer", "unit_id": null })).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("user.unit_required"))
    );
});

both!(
    release_at_term_end_issues_the_certificate_and_closes_the_case,
    |app| {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let w = World::build(&app).await;
        let release = format!("/api/v1/cases/{}/release", w.case_a1);
        let body =
            json!({ "place": "东岗司法所", "attendees": ["家属 王某", "社区干部"], "note": null });
        // The term ends in two years: not before.
        let got = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                &release,
                Some(body.clone()),
            )
            .await;
        common::assert_problem(&got, StatusCode::CONFLICT, "case.term_not_ended");

        let today = chrono::Utc::now()
            .with_timezone(&huijiao_core::policy::calendar::local_offset())
            .date_naive();
        huijiao_server::entities::case::Entity::update_many()
            .col_expr(
                huijiao_server::entities::case::Column::EndDate,
                sea_orm::sea_query::Expr::value(today),
            )
            .filter(
                huijiao_server::entities::case::Column::Id
                    .eq(w.case_a1.parse::<uuid::Uuid>().unwrap()),
            )
            .exec(&app.state.db)
            .await
            .unwrap();
        // The county decides; a judicial office, an outsider or the person cannot.
        let got = w
            .call(&app, "officer.a1", "POST", &release, Some(body.clone()))
            .await;
        common::assert_problem(&got, StatusCode::FORBIDDEN, "case.release_needs_county");
        let got = w
            .call(&app, "officer.b1", "POST", &release, Some(body.clone()))
            .await;
        common::assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
        let got = w
            .call(&app, "sv.a1", "POST", &release, Some(body.clone()))
            .await;
        common::assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
        for (bad, field) in [
            (
                json!({ "place": " ", "attendees": [] , "note": null }),
                "place",
            ),
            (
                json!({ "place": "x", "attendees": [""], "note": null }),
                "attendees[0]",
            ),
            (
                json!({ "place": "x", "attendees": vec!["某"; 21], "note": null }),
                "attendees",
            ),
        ] {
            let got = w
                .call(&app, "officer.county_a", "POST", &release, Some(bad))
                .await;
            assert_eq!(got.1["errors"][0]["field"], field, "{:?}", got);
        }
        assert_eq!(app.count("release_certificates").await, 0);
        let (s, v) = w
            .call(
                &app,
                "officer.a1",
                "GET",
                &format!("/api/v1/cases/{}", w.case_a1),
                None,
            )
            .await;
        assert_eq!(
            (s, v["status"].as_str()),
            (StatusCode::OK, Some("active")),
            "nothing half-written"
        );

        let (s, r) = w
            .call(
                &app,
                "officer.county_a",
                "POST",
                &release,
                Some(body.clone()),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
        let number = r["number"].as_str().unwrap().to_owned();
        assert!(number.starts_with("JC-"), "{number}");
        assert_eq!(r["released_on"], json!(today));
        assert_eq!(r["unit_name"], "城关区");
        assert_eq!(r["attendees"], json!(["家属 王某", "社区干部"]));
        // Closed: read-only, the person's login ended, the purge clock started.
        let (_, c) = w
            .call(
                &app,
                "officer.a1",
                "GET",
                &format!("/api/v1/cases/{}", w.case_a1),
                None,
            )
            .await;
        assert_eq!(c["status"], "released");
        assert!(c["closed_at"].is_string(), "{c}");
        let got = w
            .call(
                &app,
                "sv.a1",
                "GET",
                &format!("/api/v1/cases/{}/visits/due", w.case_a1),
                None,
            )
            .await;
        assert_eq!(got.0, StatusCode::UNAUTHORIZED, "{:?}", got);
        let got = w
            .call(&app, "officer.county_a", "POST", &release, Some(body))
            .await;
        common::assert_problem(&got, StatusCode::CONFLICT, "case.closed");
        let (s, again) = w.call(&app, "officer.a1", "GET", &release, None).await;
        assert_eq!((s, &again), (StatusCode::OK, &r));
        let got = w.call(&app, "officer.b1", "GET", &release, None).await;
        common::assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
        let got = w
            .call(
                &app,
                "officer.a2",
                "GET",
                &format!("/api/v1/cases/{}/release", w.case_a2),
                None,
            )
            .await;
        common::assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");

        // The certificate: a PDF whose text says who, under which judgment, released when.
        let (s, headers, bytes) = app
            .call_raw(
                "GET",
                &format!("{release}/certificate"),
                Some(w.token("officer.a1")),
                &[],
                None,
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(headers["content-type"], "application/pdf");
        let text = common::pdf_text(&bytes);
        for want in [
            "解除社区矫正证明书",
            &c["name"].as_str().unwrap().replace(' ', ""),
            "危险驾驶罪",
            "缓刑",
            "第四十四条",
            "城关区",
            &number,
        ] {
            assert!(text.contains(want), "{want} missing from: {text}");
        }
        common::assert_in_words(&text, &[]);
        common::assert_pdf_renders(&bytes);
        let (_, audit) = w
            .call(
                &app,
                "auditadmin",
                "GET",
                "/api/v1/audit?action=case.release_certificate_read",
                None,
            )
            .await;
        assert_eq!(audit["items"].as_array().map(Vec::len), Some(1), "{audit}");
    }
);
