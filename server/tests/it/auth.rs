//! Login, lockout, refresh rotation and reuse detection, token tampering, device binding.

use crate::common;

use axum::http::StatusCode;
use base64::Engine;
use common::{World, PASSWORD};
use huijiao_server::auth::tokens::JwtKeys;
use serde_json::json;

async fn login_raw(
    app: &common::TestApp,
    username: &str,
    password: &str,
    device: Option<&str>,
) -> (StatusCode, serde_json::Value) {
    app.call(
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({ "username": username, "password": password, "device_id": device })),
    )
    .await
}

both!(migrations_apply_and_are_idempotent, |app| {
    assert_eq!(app.count("audit_head").await, 1);
    assert_eq!(app.count("users").await, 0);
    // Running them again (as `migrate` or a restart does) changes nothing.
    huijiao_server::db::migrate(&app.state.db).await.unwrap();
    assert_eq!(app.count("audit_head").await, 1);
});

both!(login_me_logout, |app| {
    let w = World::build(&app).await;
    let (s, v) = login_raw(&app, "officer.a1", PASSWORD, None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["user"]["role"], "officer");
    let token = v["access_token"].as_str().unwrap();
    let (s, me) = app.get("/api/v1/me", token).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["username"], "officer.a1");
    let (s, _) = app.post("/api/v1/auth/logout", token, json!({})).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, v) = app.get("/api/v1/me", token).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("auth.session_revoked"))
    );
    let _ = w;
});

both!(wrong_password_and_unknown_user_look_the_same, |app| {
    let _w = World::build(&app).await;
    let (s1, v1) = login_raw(&app, "officer.a1", "Wrong-Password-1", None).await;
    let (s2, v2) = login_raw(&app, "nobody.here", "Wrong-Password-1", None).await;
    assert_eq!(s1, StatusCode::UNAUTHORIZED);
    assert_eq!((s1, &v1["code"]), (s2, &v2["code"]));
    assert_eq!(v1["code"], "auth.invalid_credentials");
});

both!(lockout_after_repeated_failures_then_unlock, |app| {
    let w = World::build(&app).await;
    for i in 1..5 {
        let (s, v) = login_raw(&app, "officer.b1", "Wrong-Password-1", None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "attempt {i}: {v}");
    }
    let (s, v) = login_raw(&app, "officer.b1", "Wrong-Password-1", None).await;
    assert_eq!(s, StatusCode::LOCKED, "fifth failure locks: {v}");
    assert_eq!(v["code"], "auth.account_locked");
    assert!(v["locked_until"].is_string());
    // Even the right password is refused while locked.
    let (s, v) = login_raw(&app, "officer.b1", PASSWORD, None).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::LOCKED, Some("auth.account_locked"))
    );
    // Only the security admin may lift it.
    let (_, users) = app.get("/api/v1/users", w.token("sys")).await;
    let id = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "officer.b1")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (s, _) = app
        .post(
            &format!("/api/v1/users/{id}/unlock"),
            w.token("sys"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = app
        .post(
            &format!("/api/v1/users/{id}/unlock"),
            w.token("secadmin"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, _) = login_raw(&app, "officer.b1", PASSWORD, None).await;
    assert_eq!(s, StatusCode::OK);
});

both!(lockout_threshold_is_configurable, |app| {
    let _ = app;
    let app = common::TestApp::with_config(app.backend, |c| c.auth.lockout_threshold = 2).await;
    let _w = World::build(&app).await;
    let (s, _) = login_raw(&app, "officer.b1", "Wrong-Password-1", None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = login_raw(&app, "officer.b1", "Wrong-Password-1", None).await;
    assert_eq!(s, StatusCode::LOCKED);
});

both!(parallel_guesses_cannot_pass_the_lockout, |app| {
    let _w = World::build(&app).await;
    // Twenty wrong passwords at once, threshold 5: only five are ever checked.
    let guesses = (0..20).map(|i| {
        let app = &app;
        async move { login_raw(app, "officer.b1", &format!("Wrong-Password-{i}"), None).await }
    });
    let answers = futures::future::join_all(guesses).await;
    let wrong = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::UNAUTHORIZED)
        .count();
    let locked = answers
        .iter()
        .filter(|(s, v)| *s == StatusCode::LOCKED && v["code"] == "auth.account_locked")
        .count();
    assert_eq!((wrong, locked), (4, 16), "{answers:?}");
    assert_eq!(
        login_raw(&app, "officer.b1", PASSWORD, None).await.0,
        StatusCode::LOCKED
    );
});

both!(unknown_names_lock_like_known_ones, |app| {
    let _w = World::build(&app).await;
    // The same answers in the same order, so a lockout does not reveal who has an account.
    for name in ["officer.b1", "nobody.here"] {
        let answers: Vec<_> = futures::future::join_all(
            (0..6).map(|_| login_raw(&app, name, "Wrong-Password-1", None)),
        )
        .await
        .into_iter()
        .map(|(s, v)| (s, v["code"].as_str().unwrap().to_owned()))
        .collect();
        let mut statuses: Vec<_> = answers.iter().map(|(s, _)| s.as_u16()).collect();
        statuses.sort();
        assert_eq!(
            statuses,
            [401, 401, 401, 401, 423, 423],
            "{name}: {answers:?}"
        );
    }
});

both!(one_address_cannot_lock_every_account, |app| {
    let _ = app;
    let app = common::TestApp::with_config(app.backend, |c| {
        c.trust_forwarded_for = true;
        c.auth.address_max_failures = 7;
    })
    .await;
    let w = World::build(&app).await;
    let from = |ip: &'static str, user: &'static str, password: &'static str| {
        let app = &app;
        async move {
            let (s, _, b) = app
                .call_raw(
                    "POST",
                    "/api/v1/auth/login",
                    None,
                    &[("x-forwarded-for", ip)],
                    Some(
                        json!({ "username": user, "password": password })
                            .to_string()
                            .into_bytes(),
                    ),
                    Some("application/json"),
                )
                .await;
            (s, serde_json::from_slice::<serde_json::Value>(&b).unwrap())
        }
    };
    // Five failures lock officer.b1; two more (on other names) use up the address's allowance.
    for _ in 0..5 {
        from("203.0.113.9", "officer.b1", "Wrong-Password-1").await;
    }
    for user in ["officer.a2", "officer.a2"] {
        assert_eq!(
            from("203.0.113.9", user, "Wrong-Password-1").await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    // From now on that address is refused before any account is touched: officer.a1 is safe.
    let got = from("203.0.113.9", "officer.a1", "Wrong-Password-1").await;
    common::assert_problem(
        &got,
        StatusCode::TOO_MANY_REQUESTS,
        "auth.too_many_attempts",
    );
    for _ in 0..5 {
        from("203.0.113.9", "officer.a1", "Wrong-Password-1").await;
    }
    assert_eq!(
        from("198.51.100.4", "officer.a1", PASSWORD).await.0,
        StatusCode::OK
    );
    let _ = w;
});

both!(refresh_rotates_and_reuse_revokes_the_family, |app| {
    let _w = World::build(&app).await;
    let (_, first) = login_raw(&app, "officer.a2", PASSWORD, None).await;
    let r1 = first["refresh_token"].as_str().unwrap();
    let (s, second) = app
        .call(
            "POST",
            "/api/v1/auth/refresh",
            None,
            Some(json!({ "refresh_token": r1 })),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{second}");
    let r2 = second["refresh_token"].as_str().unwrap();
    assert_ne!(r1, r2);
    let access2 = second["access_token"].as_str().unwrap();
    assert_eq!(app.get("/api/v1/me", access2).await.0, StatusCode::OK);
    // The old token again: someone has a copy. The whole family ends.
    let (s, v) = app
        .call(
            "POST",
            "/api/v1/auth/refresh",
            None,
            Some(json!({ "refresh_token": r1 })),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("auth.refresh_reused"))
    );
    let (s, v) = app
        .call(
            "POST",
            "/api/v1/auth/refresh",
            None,
            Some(json!({ "refresh_token": r2 })),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("auth.refresh_invalid"))
    );
    let (s, v) = app.get("/api/v1/me", access2).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("auth.session_revoked"))
    );
    // Other sign-ins of the same user are not affected.
    let (s, _) = login_raw(&app, "officer.a2", PASSWORD, None).await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = app
        .call(
            "POST",
            "/api/v1/auth/refresh",
            None,
            Some(json!({ "refresh_token": "not-a-token" })),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("auth.refresh_invalid"))
    );
});

both!(racing_refreshes_let_exactly_one_win, |app| {
    let _w = World::build(&app).await;
    let (_, first) = login_raw(&app, "officer.a2", PASSWORD, None).await;
    let r1 = first["refresh_token"].as_str().unwrap().to_owned();
    let body = json!({ "refresh_token": r1 });
    let (a, b) = tokio::join!(
        app.call("POST", "/api/v1/auth/refresh", None, Some(body.clone())),
        app.call("POST", "/api/v1/auth/refresh", None, Some(body.clone()))
    );
    let oks = [a.0, b.0].iter().filter(|s| **s == StatusCode::OK).count();
    assert!(oks <= 1, "at most one refresh may succeed: {a:?} {b:?}");
    assert!([a.0, b.0].contains(&StatusCode::UNAUTHORIZED));
});

fn forge(parts: (&str, &str), sig: &str) -> String {
    let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!("{}.{}.{}", e.encode(parts.0), e.encode(parts.1), sig)
}

both!(expired_and_tampered_tokens_are_rejected, |app| {
    let w = World::build(&app).await;
    let good = w.token("officer.a1").to_owned();
    assert_eq!(app.get("/api/v1/me", &good).await.0, StatusCode::OK);
    let cfg = app.state.config.auth.clone();
    let key_path = app.dir.path().join("jwt-ed25519.pk8");
    let claims = app.state.jwt.verify(&good).unwrap();

    // Expired: same key, issued in the past (beyond the 30 s leeway).
    let past = JwtKeys::load_or_generate(
        &key_path,
        &huijiao_server::config::AuthConfig {
            access_ttl_secs: -120,
            ..cfg.clone()
        },
    )
    .unwrap();
    let expired = past.issue(claims.sub, claims.sid, "officer", None).unwrap();
    let (s, v) = app.get("/api/v1/me", &expired).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("auth.token_expired"))
    );

    // Wrong audience: same key, another audience.
    let other_aud = JwtKeys::load_or_generate(
        &key_path,
        &huijiao_server::config::AuthConfig {
            audience: "another-api".into(),
            ..cfg.clone()
        },
    )
    .unwrap();
    let t = other_aud
        .issue(claims.sub, claims.sid, "officer", None)
        .unwrap();
    assert_eq!(
        app.get("/api/v1/me", &t).await.1["code"],
        "auth.token_invalid"
    );

    // Wrong key: a freshly generated key pair.
    let other_key = JwtKeys::load_or_generate(&app.dir.path().join("other.pk8"), &cfg).unwrap();
    let t = other_key
        .issue(claims.sub, claims.sid, "officer", None)
        .unwrap();
    assert_eq!(
        app.get("/api/v1/me", &t).await.1["code"],
        "auth.token_invalid"
    );

    // alg none, and an HS256 token "signed" with the public key (algorithm confusion).
    let payload = serde_json::to_string(&claims).unwrap();
    let none = forge((r#"{"alg":"none","typ":"JWT"}"#, &payload), "");
    assert_eq!(
        app.get("/api/v1/me", &none).await.1["code"],
        "auth.token_invalid"
    );
    let hs = forge((r#"{"alg":"HS256","typ":"JWT"}"#, &payload), "c2lnbmF0dXJl");
    assert_eq!(
        app.get("/api/v1/me", &hs).await.1["code"],
        "auth.token_invalid"
    );

    // Tampered payload: role raised to system admin, original signature kept.
    let mut parts: Vec<&str> = good.split('.').collect();
    let raised = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(payload.replace("\"officer\"", "\"system_admin\""));
    parts[1] = &raised;
    assert_eq!(
        app.get("/api/v1/me", &parts.join(".")).await.1["code"],
        "auth.token_invalid"
    );

    // Garbage and a missing header.
    assert_eq!(
        app.get("/api/v1/me", "abc").await.1["code"],
        "auth.token_invalid"
    );
    let (s, v) = app.call("GET", "/api/v1/me", None, None).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("auth.token_missing"))
    );
});

both!(password_change_ends_other_sessions, |app| {
    let w = World::build(&app).await;
    let other = app.login("officer.a1").await;
    let mine = w.token("officer.a1");
    let (s, v) = app
        .post(
            "/api/v1/auth/password",
            mine,
            json!({ "current_password": "Wrong-Password-1", "new_password": "Another-Pass-77" }),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("auth.password_wrong"))
    );
    let (s, v) = app
        .post(
            "/api/v1/auth/password",
            mine,
            json!({ "current_password": PASSWORD, "new_password": "short" }),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("auth.password_weak"))
    );
    let (s, _) = app
        .post(
            "/api/v1/auth/password",
            mine,
            json!({ "current_password": PASSWORD, "new_password": "Another-Pass-77" }),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/me", mine).await.0, StatusCode::OK);
    assert_eq!(
        app.get("/api/v1/me", &other).await.1["code"],
        "auth.session_revoked"
    );
    assert_eq!(
        login_raw(&app, "officer.a1", PASSWORD, None).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login_raw(&app, "officer.a1", "Another-Pass-77", None)
            .await
            .0,
        StatusCode::OK
    );
});

both!(supervisee_tokens_are_bound_to_the_approved_device, |app| {
    let w = World::build(&app).await;
    // No device id at all.
    let (s, v) = login_raw(&app, "sv.a1", PASSWORD, None).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("auth.device_required"))
    );
    // The bound phone works, with its header.
    let token = w.token("sv.a1");
    let (s, _) = w.call(&app, "sv.a1", "GET", "/api/v1/me", None).await;
    assert_eq!(s, StatusCode::OK);
    // The same token without the header (the documented code says to send it), or from
    // another device id, is refused.
    common::assert_problem(
        &app.get("/api/v1/me", token).await,
        StatusCode::BAD_REQUEST,
        "auth.device_required",
    );
    let (s, _, _) = app
        .call_raw(
            "GET",
            "/api/v1/me",
            Some(token),
            &[("x-device-id", "phone-2")],
            None,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A new phone is registered as pending and refused until approved.
    let (s, v) = login_raw(&app, "sv.a1", PASSWORD, Some("phone-2")).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("auth.device_pending"))
    );
    let (s, v) = login_raw(&app, "sv.a1", PASSWORD, Some("phone-2")).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("auth.device_pending")),
        "still pending"
    );
    // Only an officer of the case approves; approving phone-2 unbinds phone-1 at once.
    let devices_path = format!("/api/v1/cases/{}/devices", w.case_a1);
    let (_, devices) = app.get(&devices_path, w.token("officer.a1")).await;
    let phone2 = devices
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["device_id"] == "phone-2")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let approve = format!("{devices_path}/{phone2}/approve");
    assert_eq!(
        app.post(&approve, w.token("officer.b1"), json!({})).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.call(&app, "sv.a1", "POST", &approve, Some(json!({})))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&approve, w.token("officer.a1"), json!({})).await.0,
        StatusCode::OK
    );
    assert_eq!(
        w.call(&app, "sv.a1", "GET", "/api/v1/me", None).await.1["code"],
        "auth.session_revoked"
    );
    assert_eq!(
        login_raw(&app, "sv.a1", PASSWORD, Some("phone-1")).await.1["code"],
        "auth.device_pending"
    );
    let (s, v) = login_raw(&app, "sv.a1", PASSWORD, Some("phone-2")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Refresh must come from the bound device too.
    let r = v["refresh_token"].as_str().unwrap();
    let (s, v2) = app
        .call(
            "POST",
            "/api/v1/auth/refresh",
            None,
            Some(json!({ "refresh_token": r, "device_id": "phone-1" })),
        )
        .await;
    assert_eq!(
        (s, v2["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("auth.device_mismatch"))
    );
});

both!(disabled_accounts_are_shut_out_at_once, |app| {
    let w = World::build(&app).await;
    let (_, users) = app.get("/api/v1/users", w.token("secadmin")).await;
    let id = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "officer.a2")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (s, v) = app
        .post(
            &format!("/api/v1/users/{id}/disable"),
            w.token("secadmin"),
            json!({}),
        )
        .await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("disabled"))
    );
    assert_eq!(
        app.get("/api/v1/me", w.token("officer.a2")).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (s, v) = login_raw(&app, "officer.a2", PASSWORD, None).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("auth.account_disabled"))
    );
    assert_eq!(
        app.post(
            &format!("/api/v1/users/{id}/enable"),
            w.token("secadmin"),
            json!({})
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        login_raw(&app, "officer.a2", PASSWORD, None).await.0,
        StatusCode::OK
    );
});

/// Signs in from `device` with the header only (as every other call sends it).
async fn login_with_header(
    app: &common::TestApp,
    username: &str,
    password: &str,
    device: &str,
) -> (StatusCode, serde_json::Value) {
    let body = json!({ "username": username, "password": password }).to_string();
    let (s, _, b) = app
        .call_raw(
            "POST",
            "/api/v1/auth/login",
            None,
            &[("x-device-id", device)],
            Some(body.into_bytes()),
            Some("application/json"),
        )
        .await;
    (s, serde_json::from_slice(&b).unwrap_or_default())
}

both!(the_device_header_serves_sign_in_and_refresh, |app| {
    let _w = World::build(&app).await;
    let (s, v) = login_with_header(&app, "sv.a1", PASSWORD, "phone-1").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let body = json!({ "refresh_token": v["refresh_token"] }).to_string();
    let refresh = |device: &'static str| {
        let (app, body) = (&app, body.clone());
        async move {
            let (s, _, b) = app
                .call_raw(
                    "POST",
                    "/api/v1/auth/refresh",
                    None,
                    &[("x-device-id", device)],
                    Some(body.into_bytes()),
                    Some("application/json"),
                )
                .await;
            (
                s,
                serde_json::from_slice::<serde_json::Value>(&b).unwrap_or_default(),
            )
        }
    };
    // Another phone's header is refused (and the token is not spent); the bound one is not.
    let got = refresh("phone-2").await;
    common::assert_problem(&got, StatusCode::FORBIDDEN, "auth.device_mismatch");
    let (s, v) = refresh("phone-1").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // A body and a header that disagree are a mismatch.
    let body = json!({ "username": "sv.a1", "password": PASSWORD, "device_id": "phone-1" });
    let (s, _, b) = app
        .call_raw(
            "POST",
            "/api/v1/auth/login",
            None,
            &[("x-device-id", "phone-2")],
            Some(body.to_string().into_bytes()),
            Some("application/json"),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{}", String::from_utf8_lossy(&b));
});

both!(the_right_password_sent_at_once_does_not_lock, |app| {
    let _w = World::build(&app).await;
    // Ten sign-ins with the right password at once (two taps, a flaky network): only failures
    // count, so all of them get in.
    let answers =
        futures::future::join_all((0..10).map(|_| login_raw(&app, "officer.a1", PASSWORD, None)))
            .await;
    assert!(
        answers.iter().all(|(s, _)| *s == StatusCode::OK),
        "{answers:?}"
    );
});

both!(a_forgotten_password_is_reset_to_a_one_time_one, |app| {
    let w = World::build(&app).await;
    let reset = format!("/api/v1/cases/{}/login/reset", w.case_a1);
    for (who, status) in [
        ("sv.a1", StatusCode::FORBIDDEN),
        ("volunteer.a1", StatusCode::FORBIDDEN),
        ("officer.b1", StatusCode::NOT_FOUND),
        ("secadmin", StatusCode::FORBIDDEN),
    ] {
        let got = w.call(&app, who, "POST", &reset, None).await;
        assert_eq!(got.0, status, "{who}: {}", got.1);
    }
    let (s, v) = w.call(&app, "officer.a1", "POST", &reset, None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let one_time = v["initial_password"].as_str().unwrap().to_owned();
    assert_eq!(v["username"], "sv.a1");
    // Every session ended; the old password no longer works, the one-time one does, once the
    // phone (still approved) signs in again.
    let (s, v) = w.call(&app, "sv.a1", "GET", "/api/v1/me", None).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("auth.session_revoked"))
    );
    let (s, _) = login_raw(&app, "sv.a1", PASSWORD, Some("phone-1")).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, v) = login_raw(&app, "sv.a1", &one_time, Some("phone-1")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["user"]["must_change_password"], true);
    let token = v["access_token"].as_str().unwrap().to_owned();
    let as_phone = |method: &'static str, path: &'static str, body: Option<serde_json::Value>| {
        let (app, token) = (&app, token.clone());
        async move {
            let (s, _, b) = app
                .call_raw(
                    method,
                    path,
                    Some(&token),
                    &[("x-device-id", "phone-1")],
                    body.map(|b| b.to_string().into_bytes()),
                    Some("application/json"),
                )
                .await;
            (
                s,
                serde_json::from_slice::<serde_json::Value>(&b).unwrap_or_default(),
            )
        }
    };
    // Nothing else until the password is changed.
    let got = as_phone("GET", "/api/v1/me/alerts", None).await;
    common::assert_problem(&got, StatusCode::FORBIDDEN, "auth.password_change_required");
    let (s, v) = as_phone("GET", "/api/v1/me", None).await;
    assert_eq!(
        (s, v["must_change_password"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{v}"
    );
    let body = json!({ "current_password": one_time, "new_password": "Another-Password-77" });
    let (s, v) = as_phone("POST", "/api/v1/auth/password", Some(body)).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (s, v) = as_phone("GET", "/api/v1/me/alerts", None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        app.count("audit_entries WHERE action = 'auth.password_reissued'")
            .await,
        1
    );

    // Staff: the security admin resets; a supervisee's login is their officer's to reset.
    let officer = w.user_id(&app, "officer.b1").await;
    let path = format!("/api/v1/users/{officer}/password/reset");
    let got = w.call(&app, "sys", "POST", &path, None).await;
    assert_eq!(got.0, StatusCode::FORBIDDEN, "{}", got.1);
    let (s, v) = w.call(&app, "secadmin", "POST", &path, None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = login_raw(
        &app,
        "officer.b1",
        v["initial_password"].as_str().unwrap(),
        None,
    )
    .await;
    assert_eq!(
        (s, v["user"]["must_change_password"].as_bool()),
        (StatusCode::OK, Some(true))
    );
    let sv = w.user_id(&app, "sv.a2").await;
    let got = w
        .call(
            &app,
            "secadmin",
            "POST",
            &format!("/api/v1/users/{sv}/password/reset"),
            None,
        )
        .await;
    common::assert_problem(
        &got,
        StatusCode::UNPROCESSABLE_ENTITY,
        "user.reset_by_officer",
    );
});
