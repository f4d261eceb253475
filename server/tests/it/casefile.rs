//! One file per person: the case as a ZIP that opens, with the dossier (every section, its
//! text read back from the PDF), the original attachments byte for byte, and a manifest of
//! their digests; a minor's identity masked; for the case's officers only; audited.

use crate::common;

use std::io::Read;

use axum::http::StatusCode;
use common::{assert_problem, case_body, World};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

async fn file_of(app: &common::TestApp, w: &World, who: &str, case: &str) -> (StatusCode, Vec<u8>) {
    let (s, headers, bytes) = app
        .call_raw(
            "GET",
            &format!("/api/v1/cases/{case}/file"),
            Some(w.token(who)),
            &[],
            None,
            None,
        )
        .await;
    if s == StatusCode::OK {
        assert_eq!(headers["content-type"], "application/zip");
    }
    (s, bytes)
}

fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP that opens");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut out = Vec::new();
            f.read_to_end(&mut out).unwrap();
            (f.name().unwrap().to_string(), out)
        })
        .collect()
}

both!(the_case_file_holds_every_section_and_the_originals, |app| {
    let w = World::build(&app).await;
    let b64 = |b: &[u8]| base64::Engine::encode(&base64::engine::general_purpose::STANDARD, b);
    let day = |d: i64| {
        huijiao_core::policy::calendar::local_date(chrono::Utc::now() + chrono::Duration::days(d))
    };
    // A leave with its medical evidence, and a home visit.
    let (s, l) = w
        .call(
            &app,
            "sv.a1",
            "POST",
            &format!("/api/v1/cases/{}/leaves", w.case_a1),
            Some(
                json!({ "reason_category": "medical", "reason_text": "陪同母亲就医",
                "destination": { "name": "西安市第一医院", "lat": 34.26, "lon": 108.94 },
                "start_date": day(10), "end_date": day(12), "contact_while_away": "13800000000",
                "urgent": false, "submit": true }),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{l}");
    let evidence = b"%PDF-1.4\n% medical certificate\n".to_vec();
    let (s, a) = w
        .call(&app, "sv.a1", "POST", &format!("/api/v1/leaves/{}/attachments", l["id"].as_str().unwrap()),
            Some(json!({ "kind": "medical", "content_type": "application/pdf", "content": b64(&evidence) })))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let now = chrono::Utc::now();
    let (s, v) = w
        .call(&app, "officer.a1", "POST", &format!("/api/v1/cases/{}/visits", w.case_a1),
            Some(json!({ "id": uuid::Uuid::now_v7(), "kind": "home_visit", "at": now,
                "place": { "lat": 36.0601, "lon": 103.83, "accuracy_m": 10.0, "fix_time": now, "provider": "gps", "mock": false },
                "checkin_id": null, "met": ["本人"], "findings": "居所整洁，在家具厂务工。", "risks": [] })))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");

    // Only the case's officers take the file.
    let path = format!("/api/v1/cases/{}/file", w.case_a1);
    let got = w.call(&app, "officer.b1", "GET", &path, None).await;
    assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
    for who in ["sv.a1", "volunteer.a1"] {
        let got = w.call(&app, who, "GET", &path, None).await;
        assert_problem(&got, StatusCode::FORBIDDEN, "access.forbidden");
    }

    let (s, bytes) = file_of(&app, &w, "officer.county_a", &w.case_a1).await;
    assert_eq!(s, StatusCode::OK);
    let files = entries(&bytes);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let attachment = format!(
        "attachments/leave-{}/medical-{}.pdf",
        l["id"].as_str().unwrap(),
        a["id"].as_str().unwrap()
    );
    assert_eq!(names, ["dossier.pdf", attachment.as_str(), "manifest.json"]);
    assert_eq!(files[1].1, evidence, "the original, as uploaded");
    let manifest: Value = serde_json::from_slice(&files[2].1).unwrap();
    for (i, (name, body)) in files[..2].iter().enumerate() {
        assert_eq!(manifest["files"][i]["name"], name.as_str());
        assert_eq!(
            manifest["files"][i]["sha256"],
            hex::encode(Sha256::digest(body))
        );
    }

    let text = common::pdf_text(&files[0].1);
    for want in [
        "社区矫正对象档案",
        "【基本信息】",
        "测试人1",
        "危险驾驶罪",
        "【矫正方案】",
        "【管理等级变更】",
        "【状态变更】",
        "【人脸签到与视频点名",
        "【请假外出】",
        "西安市第一医院",
        "【走访、谈话与报到】",
        "居所整洁，在家具厂务工。",
        "【月度考核】",
        "【奖惩与电子定位装置】",
        "【教育学习与公益活动（按月）】",
        "【帮教】",
        "【解除或终止】",
        "【操作记录（审计）】",
        // Codes in words: the case's status and level, the visit's kind, the leave's reason.
        "状态：在矫",
        "管理等级：严管",
        "实地走访",
        "就医：陪同母亲就医（待审批）",
        // The trail of the case and of what belongs to it (the leave, the visit).
        "入矫宣告（社区矫正工作人员）",
        "提出请假（社区矫正对象）",
        "上传请假材料",
        "记录走访",
    ] {
        assert!(text.contains(want), "{want} missing from: {text}");
    }
    common::assert_in_words(&text, &[]);
    common::assert_pdf_renders(&files[0].1);
    let (_, audit) = w
        .call(
            &app,
            "auditadmin",
            "GET",
            "/api/v1/audit?action=case.file_exported",
            None,
        )
        .await;
    assert_eq!(audit["items"].as_array().map(Vec::len), Some(1), "{audit}");
});

both!(a_minors_file_masks_their_identity, |app| {
    let w = World::build(&app).await;
    let (s, c) = w
        .call(
            &app,
            "officer.a1",
            "POST",
            "/api/v1/cases",
            Some(case_body(&w.office_a1, 30, true)),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let (s, bytes) = file_of(&app, &w, "officer.a1", c["id"].as_str().unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    let text = common::pdf_text(&entries(&bytes)[0].1);
    assert!(text.contains("测***"), "{text}");
    for secret in [
        "测试人30",
        &common::national_id(30),
        "兰州市城关区示例路1号",
    ] {
        assert!(!text.contains(secret), "{secret} in a minor's file: {text}");
    }
    let got = w
        .call(
            &app,
            "officer.a1",
            "GET",
            &format!("/api/v1/cases/{}/file", uuid::Uuid::now_v7()),
            None,
        )
        .await;
    assert_problem(&got, StatusCode::NOT_FOUND, "resource.not_found");
});
