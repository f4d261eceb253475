//! The apps' screen models (core `app`) against the real server with demo data: what each
//! screen shows, in the person's language, on the main path and when things go wrong — a
//! field missing (nothing sent), a wrong password, the server gone (the last state kept on
//! the phone, with its age), the session ended (back to sign-in).

use std::sync::{Arc, Mutex};

use huijiao_core::api::{
    AnnounceRequest, CaseCreateRequest, CheckinRequestCreate, CourseView, FaceEnrolRequest, GpsFix,
    HelpSessionNew, LeaveCreateRequest, LeaveDecisionRequest, Place, QueueKind, QuizAnswer,
    QuizSubmission, ReflectionWrite, SanctionProposal, VisitorCreateRequest,
};
use huijiao_core::app::officer::calling::RollCallsScreen;
use huijiao_core::app::officer::caseload::{CaseScreen, CasesScreen};
use huijiao_core::app::officer::decision::{DecisionScreen, DecisionState};
use huijiao_core::app::officer::field_visit::FieldVisitScreen;
use huijiao_core::app::officer::releasing::ReleaseScreen;
use huijiao_core::app::officer::sanction_form::SanctionFormScreen;
use huijiao_core::app::officer::tagging::TaggingScreen;
use huijiao_core::app::officer::work_queue::QueueScreen;
use huijiao_core::app::shared::password::PasswordScreen;
use huijiao_core::app::shared::settings::SettingsScreen;
use huijiao_core::app::shared::sign_in::{SignInListener, SignInScreen, SignInState};
use huijiao_core::app::supervisee::areas::AreasScreen;
use huijiao_core::app::supervisee::checkin::{CheckinScreen, CheckinStep};
use huijiao_core::app::supervisee::community_service::ServiceScreen;
use huijiao_core::app::supervisee::decisions::DecisionsScreen;
use huijiao_core::app::supervisee::leave_form::LeaveFormScreen;
use huijiao_core::app::supervisee::leaves::LeavesScreen;
use huijiao_core::app::supervisee::move_form::MoveFormScreen;
use huijiao_core::app::supervisee::roll_call::RollCallScreen;
use huijiao_core::app::supervisee::study::StudyScreen;
use huijiao_core::app::supervisee::today::{DueKind, TodayScreen};
use huijiao_core::app::supervisee::visitor_form::VisitorFormScreen;
use huijiao_core::app::volunteer::help_log::HelpLogScreen;
use huijiao_core::app::volunteer::people::PeopleScreen;
use huijiao_core::app::volunteer::record::RecordScreen;
use huijiao_core::app::Route;
use huijiao_core::client::outbox::Outbox;
use huijiao_core::client::{Client, MemoryTokenStore, TokenStore};
use huijiao_core::face::image::Rgb;
use huijiao_core::face::synth::turn_head;
use huijiao_core::face::FaceEngine;
use huijiao_core::model::LeaveReason;
use huijiao_core::policy::calendar::Month;
use huijiao_core::policy::checkin::CheckinResult;
use huijiao_core::policy::liveness::Pose;
use huijiao_core::Lang;
use huijiao_e2e::faces::{reference, selfie};
use huijiao_e2e::{free_addr, TestServer, DEMO_DEVICE, DEMO_PASSWORD};

fn client(base: &str, device: Option<&str>, lang: Lang) -> Arc<Client> {
    Arc::new(
        Client::new(
            base,
            device.map(str::to_owned),
            Arc::new(MemoryTokenStore::default()),
            lang,
        )
        .unwrap(),
    )
}

/// The demo supervisee signed in on their approved phone (Chinese), and their case.
async fn supervisee(base: &str) -> (Arc<Client>, uuid::Uuid) {
    let sv = client(base, Some(DEMO_DEVICE), Lang::ZhCn);
    let me = sv.login("sv.maxiaojun", DEMO_PASSWORD).await.unwrap();
    (sv, me.case_id.unwrap())
}

/// The demo supervisee's officer, signed in (Chinese).
async fn officer(base: &str) -> Arc<Client> {
    let officer = client(base, None, Lang::ZhCn);
    officer
        .login("officer.donggang", DEMO_PASSWORD)
        .await
        .unwrap();
    officer
}

/// A family visit to 天水市 from `from` to `to` days from today, sent for approval.
fn ask(from: i64, to: i64) -> LeaveCreateRequest {
    let today = huijiao_core::policy::calendar::local_date(chrono::Utc::now());
    LeaveCreateRequest {
        reason_category: LeaveReason::Family,
        reason_text: "探望父亲".into(),
        destination: Place {
            name: "天水市".into(),
            lat: 34.58,
            lon: 105.72,
        },
        start_date: today + chrono::Duration::days(from),
        end_date: today + chrono::Duration::days(to),
        contact_while_away: "13800000000".into(),
        urgent: false,
        standing: false,
        submit: true,
    }
}

/// Every state a listener was told, in order.
#[derive(Default)]
struct Seen(Mutex<Vec<SignInState>>);

impl SignInListener for Seen {
    fn changed(&self, state: SignInState) {
        self.0.lock().unwrap().push(state);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_names_what_is_missing_and_goes_to_the_roles_home() {
    let data = tempfile::tempdir().unwrap();
    let server = TestServer::demo(data.path()).await;

    let screen = SignInScreen::new(client(&server.base, Some(DEMO_DEVICE), Lang::ZhCn));
    let seen = Arc::new(Seen::default());
    let watching = screen.watch(seen.clone());
    let s = screen.state();
    assert_eq!(
        (s.title.as_str(), s.username_label.as_str(), s.can_submit),
        ("登录", "用户名", false)
    );
    assert_eq!(s.submit_why_not.as_deref(), Some("请输入用户名"));
    // Nothing typed: both fields named, nothing sent.
    let s = screen.submit().await;
    let fields: Vec<&str> = s.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["username", "password"]);
    assert_eq!(s.route, None);
    // A wrong password: the server's words, in Chinese; the form stays.
    screen.set_username("sv.maxiaojun".into());
    let s = screen.set_password("wrong-password".into());
    assert!(s.can_submit && s.errors.is_empty(), "{s:?}");
    let s = screen.submit().await;
    assert_eq!(s.message.as_deref(), Some("用户名或密码错误。"));
    assert_eq!((s.route, s.busy), (None, false));
    // The right one: to Today.
    screen.set_password(DEMO_PASSWORD.into());
    let s = screen.submit().await;
    assert_eq!(s.route, Some(Route::SuperviseeToday), "{s:?}");
    assert_eq!(s.message, None);
    // The listener saw the attempt in flight, then its end.
    assert!(seen
        .0
        .lock()
        .unwrap()
        .iter()
        .any(|s| s.busy && !s.can_submit));
    drop(watching);
    let told = seen.0.lock().unwrap().len();
    screen.set_username("x".into());
    assert_eq!(seen.0.lock().unwrap().len(), told, "stopped on drop");

    // Each role to its home, in English for an English phone.
    for (who, device, home) in [
        ("officer.donggang", None, Route::OfficerQueue),
        ("volunteer.yannan", None, Route::VolunteerPeople),
        ("sysadmin", None, Route::UseTheConsole),
    ] {
        let screen = SignInScreen::new(client(&server.base, device, Lang::En));
        assert_eq!(screen.state().title, "Sign in");
        screen.set_username(who.into());
        screen.set_password(DEMO_PASSWORD.into());
        assert_eq!(screen.submit().await.route, Some(home), "{who}");
    }

    // A new phone: registered, and the person is told to wait for the officer's approval.
    let screen = SignInScreen::new(client(&server.base, Some("new-phone"), Lang::ZhCn));
    screen.set_username("sv.maxiaojun".into());
    screen.set_password(DEMO_PASSWORD.into());
    let s = screen.submit().await;
    assert_eq!(s.route, Some(Route::DeviceAwaitingApproval), "{s:?}");
    assert_eq!(
        s.message.as_deref(),
        Some("此手机尚未获批，请联系矫正工作人员审批。")
    );
    // A password reset by the officer: a new one before anything else.
    let officer = officer(&server.base).await;
    let (sv, case_id) = supervisee(&server.base).await;
    let issued = officer.reset_login(case_id).await.unwrap();
    let screen = SignInScreen::new(sv);
    screen.set_username(issued.username);
    screen.set_password(issued.initial_password);
    assert_eq!(screen.submit().await.route, Some(Route::ChangePassword));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn today_lists_what_is_due_and_keeps_it_offline_with_its_age() {
    let data = tempfile::tempdir().unwrap();
    let phone = tempfile::tempdir().unwrap();
    let addr = free_addr().await;
    let server = TestServer::start(data.path(), addr, |_| {}, |_| {}).await;
    let (sv, case_id) = supervisee(&server.base).await;
    let cache = Arc::new(Outbox::open(&phone.path().join("outbox.db")).await.unwrap());

    // Nothing known yet and no call made: an empty screen, no claim about freshness.
    let screen = TodayScreen::open(sv.clone(), Some(cache.clone()), case_id).await;
    let s = screen.state();
    assert!(s.items.is_empty() && s.freshness.as_of.is_none(), "{s:?}");

    // An officer asks for a check-in now: it is among the urgent lines at the top (ordered by
    // deadline), with its deadline in words.
    let officer = officer(&server.base).await;
    let asked = officer
        .request_checkin(
            case_id,
            &CheckinRequestCreate {
                deadline_minutes: Some(30),
            },
        )
        .await
        .unwrap();
    let s = screen.refresh().await;
    assert!(!s.loading && !s.freshness.offline, "{s:?}");
    assert_eq!(s.title, "今日事项");
    let at = s
        .items
        .iter()
        .position(|i| i.kind == DueKind::CheckinRequest)
        .unwrap();
    assert!(s.items[..=at].iter().all(|i| i.urgent), "{s:?}");
    let first = &s.items[at];
    assert_eq!(
        (first.kind, first.urgent, first.id, first.route),
        (
            DueKind::CheckinRequest,
            true,
            Some(asked.id),
            Route::Checkin
        )
    );
    assert!(
        first.detail.starts_with("工作人员要求即时签到，请在"),
        "{}",
        first.detail
    );
    // The period's check-in, and this month's education and service against what is owed.
    let kinds: Vec<DueKind> = s.items.iter().map(|i| i.kind).collect();
    for k in [DueKind::Checkin, DueKind::Study, DueKind::Service] {
        assert!(kinds.contains(&k), "{k:?} missing: {s:?}");
    }
    let study = s.items.iter().find(|i| i.kind == DueKind::Study).unwrap();
    assert!(study.detail.contains("分钟"), "{}", study.detail);
    assert!(s.freshness.note.ends_with("更新"), "{}", s.freshness.note);
    // No line reads as a code.
    for i in &s.items {
        assert!(!i.detail.contains('_') && !i.title.contains('_'), "{i:?}");
    }

    // The server goes away: the list stays, said to be as of when it was read.
    server.stop().await;
    let s = screen.refresh().await;
    assert!(s.freshness.offline, "{s:?}");
    assert!(
        s.freshness.note.starts_with("无法连接服务器，以下是"),
        "{}",
        s.freshness.note
    );
    assert!(s.items.iter().any(|i| i.id == Some(asked.id)), "{s:?}");
    assert_eq!(
        s.message, None,
        "offline is said once, by the freshness line"
    );
    // The app restarted offline: the same list from the phone, at once.
    let again = TodayScreen::open(sv.clone(), Some(cache.clone()), case_id).await;
    let s = again.state();
    assert!(s.items.iter().any(|i| i.id == Some(asked.id)), "{s:?}");
    assert!(s.freshness.as_of.is_some());

    // Back online, signed out meanwhile: the screen sends the person to sign in.
    let server = TestServer::start(data.path(), addr, |_| {}, |_| {}).await;
    sv.logout().await.unwrap();
    let s = again.refresh().await;
    assert_eq!(s.route, Some(Route::SignIn), "{s:?}");
    assert!(
        !s.items.is_empty(),
        "what was shown stays until the person signs in"
    );
    server.stop().await;
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn at_home() -> GpsFix {
    GpsFix {
        lat: 36.05,
        lon: 103.83,
        accuracy_m: 15.0,
        fix_time: chrono::Utc::now(),
        provider: "gps".into(),
        mock: false,
    }
}

/// The real face models.
fn face_engine() -> Arc<FaceEngine> {
    let models = std::env::var_os("HUIJIAO_MODEL_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/models")
        });
    Arc::new(FaceEngine::load(&models, Default::default()).expect("face models"))
}

/// The demo server judging faces with `engine`.
async fn with_faces(
    data: &std::path::Path,
    addr: std::net::SocketAddr,
    engine: &Arc<FaceEngine>,
) -> TestServer {
    let faces = |state: &mut huijiao_server::state::AppState| state.face = Some(engine.clone());
    TestServer::start(data, addr, |_| {}, faces).await
}

/// The test photo enrolled as the person's face.
async fn enrol(officer: &Client, case_id: uuid::Uuid) {
    officer
        .enrol_face(
            case_id,
            &FaceEnrolRequest {
                photos: vec![b64(&reference().encode_jpeg(92))],
            },
        )
        .await
        .unwrap();
}

/// A passing face check-in through the check-in screen: straight, then the turn asked.
async fn check_in(sv: &Arc<Client>, engine: &FaceEngine, n: usize) {
    let screen = CheckinScreen::new(sv.clone(), None, "e2e".into());
    screen.start().await;
    screen.set_location(at_home());
    let straight = selfie(n);
    let s = screen.capture(straight.encode_jpeg(90)).await;
    let landmarks = engine.analyze_image(&straight).unwrap().landmarks;
    let by = if s.pose == Some(Pose::TurnLeft) {
        30.0
    } else {
        -30.0
    };
    let s = screen
        .capture(turn_head(&straight, &landmarks, by).encode_jpeg(90))
        .await;
    assert_eq!(
        s.outcome.map(|o| o.result),
        Some(CheckinResult::Passed),
        "{:?}",
        s.message
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_check_in_flow_says_each_pose_and_what_happened() {
    let data = tempfile::tempdir().unwrap();
    let phone = tempfile::tempdir().unwrap();
    let addr = free_addr().await;
    let engine = face_engine();
    let server = with_faces(data.path(), addr, &engine).await;
    let officer = officer(&server.base).await;
    let (sv, case_id) = supervisee(&server.base).await;
    enrol(&officer, case_id).await;
    let outbox = Arc::new(Outbox::open(&phone.path().join("outbox.db")).await.unwrap());
    let screen = CheckinScreen::new(sv.clone(), Some(outbox.clone()), "e2e".into());

    let s = screen.state();
    assert_eq!((s.step, s.can_capture), (CheckinStep::Ready, false));
    assert_eq!(s.capture_why_not.as_deref(), Some("请先开始签到"));
    // The code names the poses: straight first, then a turn; no photo without a location.
    let s = screen.start().await;
    assert_eq!(
        (s.step, s.pose, s.pose_count),
        (CheckinStep::Capturing, Some(Pose::Straight), 2)
    );
    assert_eq!(s.prompt, "正视镜头");
    assert_eq!(
        s.capture_why_not.as_deref(),
        Some("正在获取位置，请打开定位后稍候")
    );
    let ignored = screen.capture(selfie(0).encode_jpeg(90)).await;
    assert_eq!(ignored.pose_index, 0, "no photo taken without a location");
    screen.set_location(at_home());
    let straight = selfie(0);
    let s = screen.capture(straight.encode_jpeg(90)).await;
    let turn = s.pose.unwrap();
    assert!(matches!(turn, Pose::TurnLeft | Pose::TurnRight), "{s:?}");
    assert_eq!(
        s.prompt,
        if turn == Pose::TurnLeft {
            "向左转头"
        } else {
            "向右转头"
        }
    );
    // The head turned as asked: passed, counted for the period, in words.
    let landmarks = engine.analyze_image(&straight).unwrap().landmarks;
    let by = if turn == Pose::TurnLeft { 30.0 } else { -30.0 };
    let s = screen
        .capture(turn_head(&straight, &landmarks, by).encode_jpeg(90))
        .await;
    assert_eq!(s.step, CheckinStep::Judged, "{s:?}");
    let outcome = s.outcome.unwrap();
    assert_eq!(outcome.result, CheckinResult::Passed, "{outcome:?}");
    assert_eq!(outcome.headline, "签到成功");
    assert!(!outcome.lines.is_empty() && outcome.lines.iter().all(|l| !l.contains('_')));

    // The still photo held up for the turn: the server's words, and trying again helps.
    screen.retry();
    screen.start().await;
    let still = selfie(1).encode_jpeg(90);
    screen.capture(still.clone()).await;
    let s = screen.capture(still).await;
    assert_eq!(s.step, CheckinStep::Stopped, "{s:?}");
    assert_eq!(
        s.message.as_deref(),
        Some("照片中的头部动作与要求不符，请按提示重新拍摄。")
    );
    assert!(s.can_retry);

    // No server: one photo looking straight, kept on the phone for later.
    server.stop().await;
    screen.retry();
    let s = screen.start().await;
    assert_eq!((s.step, s.pose_count), (CheckinStep::Capturing, 1), "{s:?}");
    assert_eq!(
        s.message.as_deref(),
        Some("无法连接服务器：请拍一张正脸照片，联网后自动提交")
    );
    let s = screen.capture(selfie(2).encode_jpeg(90)).await;
    assert_eq!(s.step, CheckinStep::Queued, "{s:?}");
    let kept = outbox.items().await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].kind, "checkin");
    // Back online, it is sent once, and judged as taken offline: an officer reviews it.
    let server = with_faces(data.path(), addr, &engine).await;
    assert_eq!(outbox.flush(&sv).await.unwrap().sent, 1);
    let mine = sv.checkins_of(case_id).all().await.unwrap();
    assert_eq!(mine[0].result, CheckinResult::NeedsReview, "{:?}", mine[0]);

    // The officer reviews it from the queue: why it is in doubt, the photo behind it, a
    // note needed either way.
    let d = opened(&officer, mine[0].id).await.expect("listed");
    let s = d.state();
    assert_eq!(
        (
            s.title.as_str(),
            s.approve_label.as_str(),
            s.reject_label.as_deref()
        ),
        ("签到复核", "认定有效", Some("认定无效"))
    );
    assert!(
        s.has_picture && fact_of(&s, "存疑原因").is_some_and(|w| w != "无"),
        "{s:?}"
    );
    let photo = d.picture().await.expect("the check-in photo");
    assert!(Rgb::decode(&photo).is_ok());
    let s = d.approve().await;
    assert!(s.opinion_error.is_some(), "{s:?}");
    d.set_opinion("离线签到，照片与本人一致".into());
    let s = d.approve().await;
    assert_eq!(
        (s.message.as_deref(), s.route),
        (Some("已作出决定：通过"), Some(Route::OfficerQueue)),
        "{s:?}"
    );
    assert_eq!(
        sv.checkin(mine[0].id).await.unwrap().result,
        CheckinResult::Passed
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_leave_form_says_the_rules_before_sending_and_the_servers_refusal_by_field() {
    let data = tempfile::tempdir().unwrap();
    let server = TestServer::demo(data.path()).await;
    let (sv, case_id) = supervisee(&server.base).await;
    let form = LeaveFormScreen::open(sv.clone(), case_id).await;
    let s = form.state();
    assert_eq!(s.title, "外出申请");
    assert_eq!(s.reasons.len(), 6);
    assert_eq!(s.reasons[0].label, "就医");
    assert!(!s.can_submit);
    let fields: Vec<&str> = s.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "reason_category",
            "reason_text",
            "destination",
            "contact_while_away",
            "start_date",
            "end_date"
        ]
    );
    form.set_reason("medical".into());
    form.set_reason_text("陪同母亲到西安复查".into());
    form.set_destination("西安市第一医院".into(), 34.26, 108.94);
    form.set_contact("13800000000".into());
    let today = huijiao_core::policy::calendar::local_date(chrono::Utc::now());
    let day = |n: i64| Some(today + chrono::Duration::days(n));
    // Eight days: more than a judicial office decides, said before sending.
    let s = form.set_dates(day(10), day(17));
    assert!(s.can_submit, "{s:?}");
    assert_eq!(s.notes, ["共 8 天，由县级社区矫正机构审批"]);
    // Tomorrow: too little notice unless marked urgent (the field named), then flagged.
    let s = form.set_dates(day(1), day(2));
    assert_eq!(s.errors[0].field, "urgent");
    assert!(!s.can_submit);
    let s = form.set_urgent(true);
    assert!(s.can_submit, "{s:?}");
    assert_eq!(
        s.notes,
        ["共 2 天，由司法所审批", "提前不足 3 天，将作为紧急申请提交"]
    );
    // Beyond the window ahead: refused here, on the first day.
    let s = form.set_dates(day(120), day(121));
    assert_eq!(s.errors[0].field, "start_date");
    assert!(
        s.errors[0].message.contains("90"),
        "{}",
        s.errors[0].message
    );
    // What only the server checks comes back by field: an invisible character in the text.
    form.set_dates(day(10), day(12));
    form.set_reason_text("陪同母亲复查\u{E0041}".into());
    let s = form.submit().await;
    assert_eq!(s.sent, None);
    assert_eq!(
        s.errors
            .iter()
            .map(|e| e.field.as_str())
            .collect::<Vec<_>>(),
        ["reason_text"],
        "{s:?}"
    );
    let s = form.set_reason_text("陪同母亲复查".into());
    assert!(
        s.errors.is_empty(),
        "the server's word goes with the change: {s:?}"
    );
    let s = form.submit().await;
    let sent = s.sent.expect("sent");
    assert_eq!(
        (s.route, s.message.as_deref()),
        (Some(Route::Leave), Some("已提交，等待审批"))
    );
    assert!(!form.state().can_submit, "sent once");
    // The officer has it to decide.
    let officer = officer(&server.base).await;
    assert!(officer
        .leave_queue()
        .all()
        .await
        .unwrap()
        .iter()
        .any(|l| l.id == sent));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_leave_shows_each_requests_state_and_the_actions_allowed_now() {
    let data = tempfile::tempdir().unwrap();
    let server = TestServer::demo(data.path()).await;
    let (sv, case_id) = supervisee(&server.base).await;
    let officer = officer(&server.base).await;
    let waiting = sv.apply_leave(case_id, &ask(10, 12)).await.unwrap();
    let later = sv.apply_leave(case_id, &ask(20, 21)).await.unwrap();
    officer
        .decide_leave(
            later.id,
            true,
            &LeaveDecisionRequest {
                version: later.version,
                opinion: "同意".into(),
            },
        )
        .await
        .unwrap();

    let screen = LeavesScreen::open(sv.clone(), case_id).await;
    let s = screen.state();
    assert_eq!(s.title, "我的请假");
    let line = |s: &huijiao_core::app::supervisee::leaves::LeavesState, id| {
        s.lines.iter().find(|l| l.id == id).unwrap().clone()
    };
    let w = line(&s, waiting.id);
    assert_eq!(
        (w.title.as_str(), w.status.as_str()),
        ("天水市（家庭事务）", "待审批")
    );
    assert!(w.dates.ends_with("共 3 天"), "{}", w.dates);
    let labels: Vec<&str> = w.buttons.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(labels, ["撤回申请"]);
    // Approved, but twenty days away: setting off is shown, and why not yet.
    let l = line(&s, later.id);
    assert_eq!(l.status, "已批准");
    let depart = l.buttons.iter().find(|b| b.label == "报告出发").unwrap();
    assert!(!depart.enabled);
    assert_eq!(
        depart.why_not.as_deref(),
        Some("须在获批外出期间（最早为首日前一天）报告出发；其他日期请重新申请。")
    );
    // More days on the approved one: checked by the rules first, then sent and said.
    assert!(
        l.buttons.iter().any(|b| b.label == "申请续假" && b.enabled),
        "{l:?}"
    );
    let today = huijiao_core::policy::calendar::local_date(chrono::Utc::now());
    let s = screen
        .extend(later.id, today + chrono::Duration::days(23), " ".into())
        .await;
    assert_eq!(s.message.as_deref(), Some("请说明外出事由"));
    let s = screen
        .extend(
            later.id,
            today + chrono::Duration::days(19),
            "病情需要".into(),
        )
        .await;
    assert!(s.message.as_deref().unwrap().contains("日期"), "{s:?}");
    let before = s.lines.len();
    let s = screen
        .extend(
            later.id,
            today + chrono::Duration::days(23),
            "父亲住院需继续陪护".into(),
        )
        .await;
    assert_eq!(
        s.message.as_deref(),
        Some("续假申请已提交：共 4 天，由司法所审批"),
        "{s:?}"
    );
    assert_eq!(s.lines.len(), before + 1);
    // Withdrawn: said, and the list read again.
    let s = screen.cancel(waiting.id).await;
    assert_eq!(s.message.as_deref(), Some("已更新：已撤回"));
    let w = line(&s, waiting.id);
    assert_eq!(w.status, "已撤回");
    assert!(w.buttons.is_empty());
    // Withdrawing it again: the server's words, nothing changed.
    let s = screen.cancel(waiting.id).await;
    assert!(s.message.is_some() && !s.busy, "{s:?}");
    assert_eq!(line(&s, waiting.id).status, "已撤回");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_officers_queue_opens_decisions_and_a_changed_request_is_read_again() {
    let data = tempfile::tempdir().unwrap();
    let phone = tempfile::tempdir().unwrap();
    let addr = free_addr().await;
    let server = TestServer::start(data.path(), addr, |_| {}, |_| {}).await;
    let (sv, case_id) = supervisee(&server.base).await;
    let withdrawn = sv.apply_leave(case_id, &ask(10, 12)).await.unwrap();
    let approved = sv.apply_leave(case_id, &ask(20, 21)).await.unwrap();
    let visitor = sv
        .register_visit(
            case_id,
            &VisitorCreateRequest {
                visitor_name: "王某".into(),
                relation: huijiao_core::policy::requests::VisitorRelation::Victim,
                meeting_at: chrono::Utc::now() + chrono::Duration::days(3),
                place: "司法所调解室".into(),
                purpose: "赔偿协商".into(),
            },
        )
        .await
        .unwrap();
    let officer = officer(&server.base).await;
    let cache = Arc::new(Outbox::open(&phone.path().join("outbox.db")).await.unwrap());

    let screen = QueueScreen::open(officer.clone(), Some(cache.clone())).await;
    let s = screen.refresh().await;
    assert_eq!(s.title, "待办事项");
    assert!(s.message.is_none() && !s.freshness.offline, "{s:?}");
    let leave = s.lines.iter().find(|l| l.id == withdrawn.id).unwrap();
    assert_eq!(
        (leave.title.as_str(), leave.subject.as_str(), leave.route),
        ("请假审批", "家庭事务（天水市）", Some(Route::Decide))
    );
    assert!(
        leave.due.as_deref().unwrap().starts_with("须在"),
        "{leave:?}"
    );
    assert!(leave.waiting.ends_with("提交"), "{leave:?}");
    let chip = s
        .filters
        .iter()
        .find(|f| f.kind == Some(QueueKind::Leave))
        .unwrap();
    assert!(chip.label.starts_with("请假审批（"), "{chip:?}");
    // One kind only: the chip is selected and the list holds leave only.
    let s = screen.show(Some(QueueKind::Visitor));
    assert!(
        s.lines.iter().all(|l| l.kind == QueueKind::Visitor),
        "{s:?}"
    );
    assert_eq!(s.lines.iter().filter(|l| l.id == visitor.id).count(), 1);
    assert!(s
        .filters
        .iter()
        .any(|f| f.selected && f.kind == Some(QueueKind::Visitor)));
    screen.show(None);

    // The decision: what was asked, in words; no opinion, nothing sent.
    let d = screen
        .decide(withdrawn.id)
        .await
        .expect("a request line opens");
    let s = d.state();
    assert_eq!((s.title.as_str(), s.can_decide), ("请假审批", true));
    assert_eq!(fact_of(&s, "目的地").as_deref(), Some("天水市"));
    assert_eq!(fact_of(&s, "事由").as_deref(), Some("家庭事务：探望父亲"));
    assert_eq!(fact_of(&s, "审批").as_deref(), Some("司法所"));
    let s = d.approve().await;
    assert_eq!(
        s.opinion_error.as_deref(),
        Some("不能为空，也不能只含不可见字符")
    );
    assert_eq!(
        officer.leave(withdrawn.id).await.unwrap().status,
        huijiao_core::model::LeaveStatus::Submitted
    );
    // The person withdraws it meanwhile: the approval is refused (409), the request read
    // again, and the screen says what changed and that nothing is left to decide.
    sv.cancel_leave(withdrawn.id).await.unwrap();
    d.set_opinion("同意".into());
    let s = d.approve().await;
    assert_eq!(s.changed, ["状态"], "{s:?}");
    assert_eq!(
        s.message.as_deref(),
        Some("内容已有变化（状态），已重新载入，请核对后再决定")
    );
    assert_eq!(fact_of(&s, "状态").as_deref(), Some("已撤回"));
    assert!(!s.can_decide);
    assert_eq!(s.why_not.as_deref(), Some("现为“已撤回”，无需处理"));
    assert_eq!(s.route, None);

    // Approved: said, back to the queue, and gone from it.
    let d = screen.decide(approved.id).await.unwrap();
    d.set_opinion("同意，按时销假".into());
    let s = d.approve().await;
    assert_eq!(s.message.as_deref(), Some("已作出决定：已批准"), "{s:?}");
    assert_eq!(s.route, Some(Route::OfficerQueue));
    // The visitor: rejected with the reason.
    let d = screen.decide(visitor.id).await.unwrap();
    assert_eq!(
        fact_of(&d.state(), "来访人").as_deref(),
        Some("王某（被害人）")
    );
    d.set_opinion("被害人未同意会见".into());
    let s = d.reject().await;
    assert_eq!(s.route, Some(Route::OfficerQueue), "{s:?}");
    let s = screen.refresh().await;
    for gone in [withdrawn.id, approved.id, visitor.id] {
        assert!(s.lines.iter().all(|l| l.id != gone), "{s:?}");
    }
    // A line no longer listed opens nothing.
    assert!(screen.decide(withdrawn.id).await.is_none());

    // Offline: the list stays with its age; reopened, it is shown from the phone at once.
    let still = sv.apply_leave(case_id, &ask(30, 31)).await.unwrap();
    screen.refresh().await;
    server.stop().await;
    let s = screen.refresh().await;
    assert!(s.freshness.offline && s.message.is_none(), "{s:?}");
    assert!(s.lines.iter().any(|l| l.id == still.id));
    let again = QueueScreen::open(officer.clone(), Some(cache.clone())).await;
    assert!(again.state().lines.iter().any(|l| l.id == still.id));

    // Not an officer: the server's refusal in words, nothing listed.
    let server = TestServer::start(data.path(), addr, |_| {}, |_| {}).await;
    let (sv, _) = supervisee(&server.base).await;
    let theirs = QueueScreen::open(sv, None).await;
    let s = theirs.refresh().await;
    assert_eq!(s.message.as_deref(), Some("您无权执行此操作。"));
    assert!(s.lines.is_empty() && s.route.is_none(), "{s:?}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_volunteer_logs_help_checked_before_sending_and_kept_when_offline() {
    let data = tempfile::tempdir().unwrap();
    let phone = tempfile::tempdir().unwrap();
    let addr = free_addr().await;
    let server = TestServer::start(data.path(), addr, |_| {}, |_| {}).await;
    let volunteer = client(&server.base, None, Lang::ZhCn);
    volunteer
        .login("volunteer.yannan", DEMO_PASSWORD)
        .await
        .unwrap();
    // Retries a millisecond apart: the test does not wait out the phone's backoff.
    let outbox = Arc::new(
        Outbox::open(&phone.path().join("outbox.db"))
            .await
            .unwrap()
            .with_backoff_unit(chrono::Duration::milliseconds(1)),
    );

    let people = PeopleScreen::open(volunteer.clone(), Some(outbox.clone())).await;
    let s = people.refresh().await;
    assert_eq!(s.title, "我的帮扶对象");
    assert!(s.message.is_none() && s.waiting_to_send.is_none(), "{s:?}");
    // Only the person whose team they are on, named as a volunteer sees them.
    assert_eq!(s.people.len(), 1, "{s:?}");
    let person = s.people[0].clone();
    assert_eq!(person.name, "孙**");
    assert_eq!(person.route, Route::LogHelp);

    // The form: nothing filled, each field named, nothing sent.
    let log = people.log_help(person.case_id).expect("a listed person");
    let s = log.state();
    assert_eq!((s.title.as_str(), s.person.as_str()), ("记录帮扶", "孙**"));
    let fields: Vec<&str> = s.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["kind", "began_at", "minutes", "notes"]);
    assert!(!s.can_submit);
    assert_eq!(s.submit_why_not.as_deref(), Some("请选择帮扶方式"));
    assert!(
        s.kinds.iter().any(|k| k.label == "谈心谈话"),
        "{:?}",
        s.kinds
    );
    // Not over yet: the server's rule, said before sending.
    let now = chrono::Utc::now();
    log.set_kind("talk".into());
    log.set_began(now - chrono::Duration::minutes(30));
    log.set_minutes(60);
    let s = log.set_notes("了解近况，情绪稳定。".into());
    assert_eq!(s.errors.len(), 1, "{s:?}");
    assert_eq!(
        (s.errors[0].field.as_str(), s.errors[0].message.as_str()),
        (
            "began_at",
            "帮教结束后才能记录：开始时间加时长晚于当前时间。"
        )
    );
    // Fixed, with a risk flagged: the form says the officers are told at once.
    log.set_began(now - chrono::Duration::minutes(90));
    let s = log.toggle_risk("family_crisis".into());
    assert_eq!(
        s.risk_note.as_deref(),
        Some("所选风险将立即通知矫正工作人员（紧急）")
    );
    assert!(s.can_submit && s.errors.is_empty(), "{s:?}");
    let s = log.submit().await;
    assert_eq!(
        (s.done, s.message.as_deref(), s.route),
        (
            true,
            Some("已提交，等待工作人员确认"),
            Some(Route::VolunteerPeople)
        ),
        "{s:?}"
    );
    // Sent once: a second tap sends nothing more.
    assert!(!log.submit().await.can_submit);
    let officer = client(&server.base, None, Lang::ZhCn);
    officer
        .login("officer.yannan", DEMO_PASSWORD)
        .await
        .unwrap();
    let queue = officer.work_queue().await.unwrap();
    let theirs: Vec<QueueKind> = queue
        .items
        .iter()
        .filter(|i| i.case_id == person.case_id)
        .map(|i| i.kind)
        .collect();
    assert!(
        theirs.contains(&QueueKind::HelpSession) && theirs.contains(&QueueKind::Alert),
        "the officer confirms it and sees the risk: {theirs:?}"
    );
    let s = people.refresh().await;
    let began = huijiao_core::app::text::when(
        now - chrono::Duration::minutes(90),
        chrono::Utc::now(),
        Lang::ZhCn,
    );
    assert_eq!(
        s.people[0].last_helped,
        format!("上次帮扶：{began}（谈心谈话）")
    );

    // Offline: kept on the phone, said so, and sent once when the network is back.
    server.stop().await;
    let log = people.log_help(person.case_id).unwrap();
    log.set_kind("visit".into());
    log.set_began(now - chrono::Duration::minutes(45));
    log.set_minutes(30);
    log.set_notes("入户走访。".into());
    let s = log.submit().await;
    assert_eq!(
        (s.done, s.message.as_deref()),
        (true, Some("已保存在手机上，联网后自动提交")),
        "{s:?}"
    );
    let s = people.refresh().await;
    assert!(s.freshness.offline, "{s:?}");
    assert_eq!(
        s.waiting_to_send.as_deref(),
        Some("1 条记录待发送，联网后自动提交")
    );
    let server = TestServer::start(data.path(), addr, |_| {}, |_| {}).await;
    let s = people.refresh().await;
    assert!(!s.freshness.offline && s.waiting_to_send.is_none(), "{s:?}");
    let mine = volunteer.help_sessions(None).all().await.unwrap();
    assert_eq!(
        mine.iter()
            .filter(|h| h.case_id == person.case_id && h.notes == "入户走访。")
            .count(),
        1
    );

    // Someone not on their team: not listed, and the server refuses a session for them.
    let (_, stranger) = supervisee(&server.base).await;
    assert!(people.log_help(stranger).is_none());
    let log = HelpLogScreen::new(volunteer.clone(), None, stranger, "马**".into());
    log.set_kind("talk".into());
    log.set_began(now - chrono::Duration::minutes(90));
    log.set_minutes(30);
    log.set_notes("x".into());
    let s = log.submit().await;
    assert!(!s.done && s.message.is_some(), "{s:?}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ringing_roll_call_is_answered_from_its_page_and_its_end_said() {
    let data = tempfile::tempdir().unwrap();
    let server = with_faces(data.path(), free_addr().await, &face_engine()).await;
    let (sv, case_id) = supervisee(&server.base).await;
    let officer = officer(&server.base).await;
    enrol(&officer, case_id).await;

    let screen = RollCallScreen::open(sv.clone(), case_id).await;
    let s = screen.state();
    assert_eq!(s.title, "视频点名");
    assert!(!s.ringing && s.answer_url.is_none(), "{s:?}");
    assert_eq!(s.detail, "现在没有视频点名。");

    let started = officer
        .start_roll_calls(&huijiao_core::api::RollCallStart {
            case_ids: vec![case_id],
            at: None,
            note: None,
        })
        .await
        .unwrap();
    assert!(started.skipped.is_empty(), "{:?}", started.skipped);
    let call = started.started[0].clone();
    let s = screen.refresh().await;
    assert!(s.ringing && s.call_id == Some(call.id), "{s:?}");
    assert!(s.detail.starts_with("正在呼叫，请在"), "{}", s.detail);
    assert_eq!(s.answer_label, "接听");
    // The page's address carries the call, a working token and the phone, in its fragment.
    let url = s.answer_url.clone().unwrap();
    let prefix = format!("{}/roll-call#id={}&token=", server.base, call.id);
    assert!(url.starts_with(&prefix), "{url}");
    assert!(url.ends_with(&format!("&device={DEMO_DEVICE}")), "{url}");
    let token = url[prefix.len()..].split('&').next().unwrap();
    let got = reqwest::Client::new()
        .get(format!("{}/api/v1/roll-calls/{}", server.base, call.id))
        .bearer_auth(token)
        .header("x-device-id", DEMO_DEVICE)
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
    // An offer that is not SDP: the server's refusal in words, the call still ringing.
    assert_eq!(screen.answer("not sdp".into()).await, None);
    let s = screen.state();
    assert!(s.message.is_some() && s.ringing, "{s:?}");

    // Excused by the officer: nothing rings, and the last call's end is said.
    officer
        .excuse_roll_call(
            call.id,
            &huijiao_core::api::RollCallExcuse {
                reason: "住院治疗".into(),
                version: None,
            },
        )
        .await
        .unwrap();
    let s = screen.refresh().await;
    assert!(!s.ringing && s.answer_url.is_none(), "{s:?}");
    let last = s.last.unwrap();
    assert!(
        last.starts_with("上次点名（") && last.ends_with("）：已免除"),
        "{last}"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decision_is_read_acknowledged_and_its_document_opened() {
    let data = tempfile::tempdir().unwrap();
    let phone = tempfile::tempdir().unwrap();
    let server = TestServer::demo(data.path()).await;
    let (sv, case_id) = supervisee(&server.base).await;
    let office = officer(&server.base).await;
    let county = client(&server.base, None, Lang::ZhCn);
    county
        .login("officer.chengguan", DEMO_PASSWORD)
        .await
        .unwrap();
    let proposed = office
        .propose_sanction(
            case_id,
            &huijiao_core::api::SanctionProposal {
                ground: "admonition.minor_rule_breach".into(),
                reason: "未按规定时间报告".into(),
            },
        )
        .await
        .unwrap();
    let cache = Arc::new(Outbox::open(&phone.path().join("outbox.db")).await.unwrap());
    let screen = DecisionsScreen::open(sv.clone(), Some(cache.clone()), case_id).await;
    // A proposal is the officers' until decided: the person sees nothing of it.
    let s = screen.refresh().await;
    assert!(s.decisions.iter().all(|d| d.id != proposed.id), "{s:?}");
    county
        .decide_sanction(
            proposed.id,
            &huijiao_core::api::SanctionDecision {
                approve: true,
                note: "情况属实".into(),
                version: proposed.version,
            },
        )
        .await
        .unwrap();
    let s = screen.refresh().await;
    assert_eq!(s.title, "决定与提醒");
    let d = s.decisions.iter().find(|d| d.id == proposed.id).unwrap();
    assert_eq!(d.title, "训诫");
    assert!(d.can_acknowledge && d.decided.ends_with("决定"), "{d:?}");
    assert!(d.ground.contains("实施办法"), "{d:?}");
    assert_eq!(d.reason, "未按规定时间报告");
    let pdf = screen.document(proposed.id).await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let s = screen.acknowledge(proposed.id).await;
    assert_eq!(s.message.as_deref(), Some("已签收"));
    let d = s.decisions.iter().find(|d| d.id == proposed.id).unwrap();
    assert!(!d.can_acknowledge && d.status.starts_with("已于"), "{d:?}");
    // Acknowledged twice: the server's words, nothing changed.
    let s = screen.acknowledge(proposed.id).await;
    assert!(
        s.message.is_some() && s.message.as_deref() != Some("已签收"),
        "{s:?}"
    );
    // Offline: the same, from the phone, with its age.
    server.stop().await;
    let again = DecisionsScreen::open(sv, Some(cache), case_id).await;
    let s = again.refresh().await;
    assert!(
        s.freshness.offline && s.decisions.iter().any(|d| d.id == proposed.id),
        "{s:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_study_loop_counts_time_asks_face_checks_and_takes_back_a_missed_one() {
    let data = tempfile::tempdir().unwrap();
    let phone = tempfile::tempdir().unwrap();
    let addr = free_addr().await;
    let engine = face_engine();
    // Beats a second apart (the test waits them out); a face check as each lesson opens.
    let rules = |c: &mut huijiao_server::config::Config| {
        c.rules.learning.heartbeat_secs = 1;
        c.rules.learning.face_check_at_start = true;
    };
    let clock = Arc::new(Mutex::new(None));
    let start = |clock: Arc<Mutex<Option<huijiao_server::clock::Clock>>>| {
        let engine = engine.clone();
        move |state: &mut huijiao_server::state::AppState| {
            state.face = Some(engine);
            *clock.lock().unwrap() = Some(state.clock.clone());
        }
    };
    let server = TestServer::start(data.path(), addr, rules, start(clock.clone())).await;
    let officer = officer(&server.base).await;
    let (sv, case_id) = supervisee(&server.base).await;
    enrol(&officer, case_id).await;
    let outbox = Arc::new(
        Outbox::open(&phone.path().join("outbox.db"))
            .await
            .unwrap()
            .with_backoff_unit(chrono::Duration::milliseconds(1)),
    );

    let study = StudyScreen::open(sv.clone(), Some(outbox.clone()), case_id).await;
    let s = study.refresh().await;
    assert_eq!(s.title, "本月教育学习");
    assert!(s.month.as_deref().unwrap().ends_with("/ 480 分钟"), "{s:?}");
    let course = s
        .courses
        .iter()
        .find(|c| c.title == "社区矫正对象须知")
        .unwrap();
    let s = study.select_course(course.course_id);
    let routes: Vec<Route> = s.lessons.iter().map(|l| l.route).collect();
    assert_eq!(routes, [Route::Lesson, Route::Lesson, Route::Quiz]);
    assert_eq!(s.lessons[0].detail, "至少学习 10 分钟");
    assert_eq!(s.lessons[2].detail, "2 题，60% 及格");
    let (first, second, quiz) = (
        s.lessons[0].lesson_id,
        s.lessons[1].lesson_id,
        s.lessons[2].lesson_id,
    );
    assert!(
        study.lesson(quiz).await.is_none(),
        "a quiz is not studied by time"
    );

    // The loop: the first beat asks the face check, with its deadline and where to answer.
    let lesson = study.lesson(first).await.unwrap();
    let s = lesson.state();
    assert!(s.studying && s.heartbeat_secs == 1, "{s:?}");
    assert!(s.body.as_deref().unwrap().contains("报到"), "{s:?}");
    let s = lesson.beat(0, true, true, 0).await;
    assert!(
        s.face_check.as_deref().unwrap().starts_with("请在"),
        "{s:?}"
    );
    assert_eq!(s.face_check_route, Some(Route::Checkin));
    // Answered with a passing check-in: the prompt goes, and the time counts.
    check_in(&sv, &engine, 0).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let s = lesson.beat(0, true, true, 0).await;
    assert!(s.face_check.is_none() && s.studying, "{s:?}");
    assert!(s.credited_secs >= 1, "{s:?}");
    assert!(s.credited.starts_with("本次已计入 0 分"), "{}", s.credited);
    let counted = s.credited_secs;

    // Offline: the beats wait on the phone, in order, and go before the next ones.
    server.stop().await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let s = lesson.beat(0, true, true, 0).await;
    assert_eq!(
        s.waiting_to_send.as_deref(),
        Some("网络中断：学习记录保存在手机上，联网后自动提交")
    );
    let server = TestServer::start(data.path(), addr, rules, start(clock.clone())).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let s = lesson.beat(0, true, true, 0).await;
    assert!(s.waiting_to_send.is_none(), "{s:?}");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let s = lesson.beat(0, true, true, 0).await;
    assert!(s.credited_secs >= counted + 2, "{counted} then {s:?}");
    let sessions = sv.study_sessions_of(case_id).all().await.unwrap();
    assert_eq!(
        sessions
            .iter()
            .find(|x| x.lesson_id == first)
            .unwrap()
            .last_seq,
        5
    );
    let s = lesson.end().await;
    assert!(!s.studying && s.route == Some(Route::Study), "{s:?}");
    assert!(
        s.message
            .as_deref()
            .unwrap()
            .starts_with("本次学习已结束，共计入"),
        "{s:?}"
    );

    // The next lesson's check is missed: past its deadline, the time is taken back and the
    // session ends, said in words.
    let lesson = study.lesson(second).await.unwrap();
    let s = lesson.beat(0, true, true, 0).await;
    assert!(s.face_check.is_some(), "{s:?}");
    clock
        .lock()
        .unwrap()
        .as_ref()
        .unwrap()
        .advance(chrono::Duration::seconds(200));
    let s = lesson.beat(0, true, true, 0).await;
    assert!(!s.studying, "{s:?}");
    assert_eq!(
        s.message.as_deref(),
        Some("未按时通过人脸核验：自上次核验以来的学习时间不计入，本次学习已结束")
    );
    assert_eq!(s.route, Some(Route::Study));
    // A beat after the end sends nothing.
    assert_eq!(lesson.beat(0, true, true, 0).await, s);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quiz_is_scored_on_the_server_and_a_reflection_checked_before_sending() {
    let data = tempfile::tempdir().unwrap();
    let server = TestServer::demo(data.path()).await;
    let (sv, case_id) = supervisee(&server.base).await;
    let study = StudyScreen::open(sv.clone(), None, case_id).await;
    let s = study.refresh().await;
    let course = s
        .courses
        .iter()
        .find(|c| c.title == "社区矫正对象须知")
        .unwrap();
    let s = study.select_course(course.course_id);
    let (first, quiz) = (s.lessons[0].lesson_id, s.lessons[2].lesson_id);

    let attempt = study.quiz(quiz).await.unwrap();
    let s = attempt.state();
    assert_eq!(s.attempt.as_deref(), Some("第 1 次作答（共 3 次）"));
    assert_eq!(s.submit_why_not.as_deref(), Some("还有 2 题未作答"));
    let s = attempt.submit().await;
    assert!(s.score.is_none(), "nothing sent with questions unanswered");
    // One right, one wrong: scored on the server, under the pass mark, attempts left said.
    // The second option of each: right for the first question, wrong for the second.
    for q in &s.questions {
        attempt.choose(q.id, "1".into());
    }
    let s = attempt.submit().await;
    assert_eq!(s.score.as_deref(), Some("得分 5/10（50%）"), "{s:?}");
    assert_eq!(s.verdict.as_deref(), Some("未通过，及格线 60%"));
    assert_eq!(s.attempts_left.as_deref(), Some("还可作答 2 次"));
    assert_eq!(
        s.questions
            .iter()
            .map(|q| q.right)
            .collect::<Vec<_>>()
            .len(),
        2
    );
    assert!(!s.can_submit);
    // The next attempt, right: passed.
    let again = study.quiz(quiz).await.unwrap();
    for q in &again.state().questions {
        let pick = if q.prompt.starts_with("离开所居住") {
            "1"
        } else {
            "0"
        };
        again.choose(q.id, pick.into());
    }
    let s = again.submit().await;
    assert_eq!(
        (s.verdict.as_deref(), s.passed, s.attempts_left.as_deref()),
        (Some("已通过"), Some(true), None),
        "{s:?}"
    );

    // A reflection: too short is said before sending (the server's rule), then sent.
    let r = study.reflection(first).await.unwrap();
    let s = r.set_text("很有收获。".into());
    assert_eq!(
        s.text_error.as_deref(),
        Some("须为 100 到 5000 字的本人心得")
    );
    assert!(!s.can_submit && s.length.starts_with("已写 5 字"), "{s:?}");
    let long =
        "通过学习报到与报告的规定，我认识到按时报到、定期报告是社区矫正对象的基本义务。".repeat(3);
    r.set_text(long);
    let s = r.submit().await;
    assert_eq!(
        s.message.as_deref(),
        Some("已提交，等待工作人员批阅"),
        "{s:?}"
    );
    assert_eq!(s.status.as_deref(), Some("待批阅"));
    assert!(!s.can_submit, "written once until returned");
    // The officer's queue has it to read.
    let officer = officer(&server.base).await;
    let q = officer.work_queue().await.unwrap();
    assert!(q
        .items
        .iter()
        .any(|i| i.kind == QueueKind::Reflection && i.subject == "报到与报告"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn community_service_is_signed_up_for_and_checked_in_and_out_by_the_organisers_code() {
    let data = tempfile::tempdir().unwrap();
    let server = TestServer::demo(data.path()).await;
    let (sv, case_id) = supervisee(&server.base).await;
    let officer = officer(&server.base).await;
    let unit = officer.me().await.unwrap().unit_id.unwrap();
    let now = chrono::Utc::now();
    // Starting in ten minutes: check-in is already open (30 minutes before).
    let activity = officer
        .create_service_activity(&huijiao_core::api::ServiceActivityCreate {
            unit_id: unit,
            title: "社区环境整治".into(),
            kind: huijiao_core::policy::service::ServiceKind::Environment,
            place: "东岗镇文化广场".into(),
            lat: 36.05,
            lon: 103.83,
            radius_m: 300,
            starts_at: now + chrono::Duration::minutes(10),
            ends_at: now + chrono::Duration::minutes(70),
            capacity: 1,
            organiser_id: None,
            notes: None,
        })
        .await
        .unwrap();

    let screen = ServiceScreen::open(sv.clone(), None, case_id).await;
    let s = screen.refresh().await;
    assert_eq!(s.title, "本月公益活动");
    assert!(s.month.as_deref().unwrap().contains("分钟"), "{s:?}");
    let line = |s: &huijiao_core::app::supervisee::community_service::ServiceState| {
        s.activities
            .iter()
            .find(|a| a.id == activity.id)
            .unwrap()
            .clone()
    };
    let a = line(&s);
    assert_eq!(
        (a.kind.as_str(), a.places.as_str()),
        ("环境保护", "剩余名额 1")
    );
    assert!(
        a.can_sign_up && !a.can_withdraw && a.status.is_none(),
        "{a:?}"
    );
    // Scanning before signing up: said, nothing sent.
    let code = officer.service_activity_code(activity.id).await.unwrap();
    assert_eq!(
        screen.scan(code.qr.clone()).await.scan_why_not.as_deref(),
        Some("正在获取位置，请打开定位后稍候")
    );
    screen.set_location(at_home());
    let s = screen.scan(code.qr.clone()).await;
    assert_eq!(s.message.as_deref(), Some("未报名此活动，请先报名"));

    let s = screen.sign_up(activity.id).await;
    assert_eq!(s.message.as_deref(), Some("已报名"), "{s:?}");
    let a = line(&s);
    assert_eq!(
        (a.places.as_str(), a.status.as_deref()),
        ("名额已满", Some("已报名"))
    );
    assert!(a.can_withdraw && !a.can_sign_up, "{a:?}");
    assert!(
        a.on_site
            .as_deref()
            .unwrap()
            .starts_with("到场后扫描组织者的二维码签到"),
        "{a:?}"
    );
    // On site: the organiser's code checks in, then out; the minutes and why fewer, said.
    let s = screen.scan(code.qr.clone()).await;
    assert_eq!(s.message.as_deref(), Some("已签到：社区环境整治"), "{s:?}");
    let a = line(&s);
    assert_eq!(a.status.as_deref(), Some("已签到"));
    assert_eq!(a.on_site.as_deref(), Some("结束时扫描组织者的二维码签退"));
    let code = officer.service_activity_code(activity.id).await.unwrap();
    let s = screen.scan(code.qr).await;
    let said = s.message.unwrap();
    assert!(said.starts_with("已签退，计入 0 分钟；"), "{said}");
    // A code that is not an activity's: the server's words.
    let s = screen.scan("https://example.com/not-ours".into()).await;
    assert!(s.message.is_some() && !s.busy, "{s:?}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_password_is_checked_before_sending_and_settings_say_what_waits() {
    let data = tempfile::tempdir().unwrap();
    let phone = tempfile::tempdir().unwrap();
    let server = TestServer::demo(data.path()).await;
    let officer = officer(&server.base).await;
    let (_, case_id) = supervisee(&server.base).await;
    let issued = officer.reset_login(case_id).await.unwrap();
    let sv = client(&server.base, Some(DEMO_DEVICE), Lang::ZhCn);
    let me = sv
        .login(&issued.username, &issued.initial_password)
        .await
        .unwrap();
    assert_eq!(huijiao_core::app::home(&me), Route::ChangePassword);

    let screen = PasswordScreen::new(sv.clone());
    let s = screen.submit().await;
    let fields: Vec<&str> = s.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["current_password", "new_password"]);
    assert_eq!(s.title, "设置新密码");
    screen.set_current("not-the-password-1".into());
    let s = screen.set_new("short".into());
    assert_eq!(
        s.submit_why_not.as_deref(),
        Some("密码须为 10 至 128 位，且至少包含小写字母、大写字母、数字、符号中的三类。")
    );
    screen.set_new("Xinmima-2026-b".into());
    let s = screen.set_confirm("Xinmima-2026-c".into());
    assert_eq!(s.submit_why_not.as_deref(), Some("两次输入的新密码不一致"));
    screen.set_confirm("Xinmima-2026-b".into());
    // The current one wrong: the server's words, on that field.
    let s = screen.submit().await;
    assert_eq!(s.message.as_deref(), Some("当前密码不正确。"));
    assert!(
        s.errors.iter().any(|e| e.field == "current_password"),
        "{s:?}"
    );
    screen.set_current(issued.initial_password.clone());
    let s = screen.submit().await;
    assert_eq!(s.route, Some(Route::SuperviseeToday), "{s:?}");
    assert_eq!(
        s.message.as_deref(),
        Some("密码已修改，其他设备上的登录已退出")
    );

    // Settings of a volunteer with one session kept on the phone and one refused for good.
    let volunteer = client(&server.base, None, Lang::ZhCn);
    volunteer
        .login("volunteer.yannan", DEMO_PASSWORD)
        .await
        .unwrap();
    let outbox = Arc::new(Outbox::open(&phone.path().join("outbox.db")).await.unwrap());
    let session = |notes: &str| huijiao_core::api::HelpSessionNew {
        id: uuid::Uuid::now_v7(),
        began_at: chrono::Utc::now() - chrono::Duration::hours(2),
        minutes: 30,
        kind: huijiao_core::model::HelpKind::Talk,
        place: None,
        notes: notes.into(),
        risks: vec![],
        follow_up: None,
    };
    let theirs = volunteer.cases().all().await.unwrap()[0].id;
    outbox
        .enqueue_help_session(case_id, &session("不是我的帮扶对象"))
        .await
        .unwrap();
    let settings = SettingsScreen::open(volunteer.clone(), Some(outbox.clone())).await;
    let s = settings.state();
    assert_eq!(s.title, "设置");
    assert_eq!(s.account.as_deref(), Some("志愿者：陈伟"));
    assert!(s.languages.iter().any(|l| l.code == "zh-CN" && l.chosen));
    assert_eq!(s.pending.len(), 1);
    assert_eq!(
        (s.pending[0].kind.as_str(), s.pending[0].status.as_str()),
        ("帮扶记录", "待发送（已尝试 0 次）")
    );
    assert_eq!(
        s.sign_out_note.as_deref(),
        Some("还有 1 条记录未发送：退出后仍保存在手机上，下次登录后发送")
    );
    let s = settings.send_now().await;
    assert_eq!(
        s.message.as_deref(),
        Some("已发送 0 条，0 条待发送"),
        "{s:?}"
    );
    assert!(
        s.pending[0].refused && s.pending[0].status.starts_with("未被接收："),
        "{s:?}"
    );
    assert!(s.sign_out_note.is_none());
    outbox
        .enqueue_help_session(theirs, &session("电话了解近况"))
        .await
        .unwrap();
    settings.refresh().await;
    let s = settings.send_now().await;
    assert_eq!(
        s.message.as_deref(),
        Some("已发送 1 条，0 条待发送"),
        "{s:?}"
    );
    let s = settings.sign_out().await;
    assert_eq!(s.route, Some(Route::SignIn));
    assert!(!volunteer.is_signed_in());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_field_visit_is_checked_sent_with_photos_or_kept_offline() {
    let data = tempfile::tempdir().unwrap();
    let phone = tempfile::tempdir().unwrap();
    let addr = free_addr().await;
    let server = TestServer::start(data.path(), addr, |_| {}, |_| {}).await;
    let officer = officer(&server.base).await;
    let (_, case_id) = supervisee(&server.base).await;
    let home = officer.case(case_id).await.unwrap().residence;
    let at = |lat: f64, lon: f64| GpsFix {
        lat,
        lon,
        ..at_home()
    };
    let outbox = Arc::new(Outbox::open(&phone.path().join("outbox.db")).await.unwrap());

    let screen = FieldVisitScreen::open(
        officer.clone(),
        Some(outbox.clone()),
        case_id,
        "马小军".into(),
    )
    .await;
    let s = screen.submit().await;
    let fields: Vec<&str> = s.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["kind", "findings"]);
    assert_eq!(s.submit_why_not.as_deref(), Some("请选择走访方式"));
    assert_eq!(
        s.photo_why_not.as_deref(),
        Some("走访记录发送后才能添加照片")
    );
    screen.set_kind("home_visit".into());
    screen.set_met(vec!["本人".into(), "母亲".into(), " ".into()]);
    let s = screen.set_findings("居所整洁，本人在家，近期在物流公司上班。".into());
    assert_eq!(
        s.submit_why_not.as_deref(),
        Some("正在获取位置，请打开定位后稍候")
    );
    // Far from the residence: the server's rule, in its words; nothing recorded.
    screen.set_location(at(home.lat + 0.05, home.lon));
    let s = screen.submit().await;
    assert!(!s.done, "{s:?}");
    assert!(
        s.message
            .as_deref()
            .unwrap()
            .starts_with("实地走访须在登记居所进行"),
        "{s:?}"
    );
    // At the residence, with a risk seen: recorded, then a photo added.
    screen.set_location(at(home.lat, home.lon));
    let s = screen.toggle_risk("no_job".into());
    assert_eq!(s.risk_note.as_deref(), Some("所选风险将通知矫正工作人员"));
    let s = screen.submit().await;
    assert_eq!(
        (s.done, s.message.as_deref()),
        (true, Some("走访已记录")),
        "{s:?}"
    );
    assert!(s.can_add_photo, "{s:?}");
    let s = screen
        .add_photo(reference().encode_jpeg(85), "image/jpeg".into())
        .await;
    assert_eq!(
        (s.photos, s.message.as_deref()),
        (1, Some("已添加照片 1 张")),
        "{s:?}"
    );
    let visits = officer.case_visits(case_id, None).all().await.unwrap();
    assert_eq!(visits[0].met, ["本人", "母亲"]);
    assert_eq!(visits[0].photo_ids.len(), 1);

    // Offline: a talk kept on the phone (no photos until it is sent), sent once later.
    server.stop().await;
    let talk = FieldVisitScreen::open(
        officer.clone(),
        Some(outbox.clone()),
        case_id,
        "马小军".into(),
    )
    .await;
    talk.set_kind("talk".into());
    talk.set_findings("电话约谈后在村委会谈话，情绪平稳。".into());
    let s = talk.submit().await;
    assert_eq!(
        (s.done, s.message.as_deref()),
        (true, Some("已保存在手机上，联网后自动提交")),
        "{s:?}"
    );
    assert!(!s.can_add_photo);
    let server = TestServer::start(data.path(), addr, |_| {}, |_| {}).await;
    assert_eq!(outbox.flush(&officer).await.unwrap().sent, 1);
    assert_eq!(outbox.flush(&officer).await.unwrap().sent, 0);
    let visits = officer.case_visits(case_id, None).all().await.unwrap();
    assert_eq!(
        visits
            .iter()
            .filter(|v| v.findings.starts_with("电话约谈"))
            .count(),
        1
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_caseload_is_found_and_narrowed_and_a_case_says_what_needs_doing() {
    let data = tempfile::tempdir().unwrap();
    let phone = tempfile::tempdir().unwrap();
    let addr = free_addr().await;
    let server = TestServer::start(data.path(), addr, |_| {}, |_| {}).await;
    let officer = officer(&server.base).await;
    let outbox = Arc::new(Outbox::open(&phone.path().join("outbox.db")).await.unwrap());

    let list = CasesScreen::open(officer.clone(), Some(outbox.clone())).await;
    let s = list.refresh().await;
    assert_eq!(s.title, "矫正对象");
    assert!(
        s.statuses.iter().any(|c| c.code == "active" && c.chosen),
        "active by default"
    );
    let names: Vec<&str> = s.cases.iter().map(|c| c.name.as_str()).collect();
    assert!(names.contains(&"马小军"), "{names:?}");
    // A minor: masked, and marked.
    let minor = s
        .cases
        .iter()
        .find(|c| c.minor.is_some())
        .expect("the demo's minor");
    assert!(minor.name.contains('*'), "{minor:?}");
    let s = list.set_query("马".into());
    assert_eq!(s.cases.len(), 1);
    assert!(s.cases[0].detail.contains(" · 在矫"), "{:?}", s.cases[0]);
    list.set_query(String::new());
    let s = list.show_level(Some("strict".into()));
    assert!(s.cases.iter().all(|c| c.detail.contains("严管")), "{s:?}");
    let s = list.show_level(Some("lenient".into()));
    assert_eq!(s.empty_note.as_deref(), Some("没有符合条件的矫正对象。"));
    list.show_level(None);

    let (_, case_id) = supervisee(&server.base).await;
    let case = list.case(case_id).await;
    let s = case.state();
    assert_eq!(s.name, "马小军");
    let fact = |label: &str| {
        s.facts
            .iter()
            .find(|f| f.label == label)
            .map(|f| f.value.clone())
    };
    assert!(fact("身份证号").unwrap().contains('*'));
    assert!(fact("矫正期限").unwrap().contains("至"), "{:?}", s.facts);
    assert!(s.due[0].starts_with("本期"), "{:?}", s.due);
    assert_eq!(s.months.len(), 2);
    let s = case.request_checkin().await;
    assert!(
        s.message
            .as_deref()
            .unwrap()
            .starts_with("已要求即时签到，截止"),
        "{s:?}"
    );
    // No face enrolled: the roll call is not rung, and why is said.
    let s = case.start_roll_call().await;
    assert_eq!(
        s.message.as_deref(),
        Some("该案件尚未采集人脸，请由工作人员在入矫时采集。")
    );
    assert_eq!(case.record_visit().await.state().person, "马小军");

    // Offline: the case from the phone, with its age.
    server.stop().await;
    let again = CaseScreen::open(officer.clone(), Some(outbox.clone()), case_id).await;
    let s = again.state();
    assert!(s.freshness.offline && s.name == "马小军", "{s:?}");

    // Another office's officer: the server's refusal, nothing shown.
    let server = TestServer::start(data.path(), addr, |_| {}, |_| {}).await;
    let other = client(&server.base, None, Lang::ZhCn);
    other.login("officer.xiyuan", DEMO_PASSWORD).await.unwrap();
    let theirs = CaseScreen::open(other, None, case_id).await;
    let s = theirs.state();
    assert!(s.message.is_some() && s.facts.is_empty(), "{s:?}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_volunteers_record_counts_confirmed_time_and_opens_a_certificate() {
    let data = tempfile::tempdir().unwrap();
    let server = TestServer::demo(data.path()).await;
    let volunteer = client(&server.base, None, Lang::ZhCn);
    volunteer
        .login("volunteer.donggang", DEMO_PASSWORD)
        .await
        .unwrap();
    let screen = RecordScreen::open(volunteer.clone(), None).await;
    let s = screen.refresh().await;
    assert_eq!(s.title, "我的志愿服务");
    assert!(s.total.as_deref().unwrap().contains("年已确认"), "{s:?}");
    assert!(!s.months.is_empty(), "{s:?}");
    assert!(s.months.iter().all(|m| m.value.ends_with("次")), "{s:?}");
    let c = s.certificates.first().expect("the demo's certificate");
    assert!(c.detail.ends_with("分钟"), "{c:?}");
    let pdf = screen.certificate_pdf(c.number.clone()).await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert!(screen
        .certificate_pdf("ZY-0000-0000".into())
        .await
        .is_none());
    assert!(screen.state().message.is_some());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_access_token_is_renewed_without_the_person_noticing() {
    let data = tempfile::tempdir().unwrap();
    // Access tokens of one second, no leeway: expired by the time the screen reads.
    let short = |c: &mut huijiao_server::config::Config| {
        c.auth.access_ttl_secs = 1;
        c.auth.clock_leeway_secs = 0;
    };
    let server = TestServer::start(data.path(), free_addr().await, short, |_| {}).await;
    let store = Arc::new(MemoryTokenStore::default());
    let sv = Arc::new(
        Client::new(
            &server.base,
            Some(DEMO_DEVICE.into()),
            store.clone(),
            Lang::ZhCn,
        )
        .unwrap(),
    );
    let case_id = sv
        .login("sv.maxiaojun", DEMO_PASSWORD)
        .await
        .unwrap()
        .case_id
        .unwrap();
    let first = store.load().unwrap().access;
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let screen = TodayScreen::open(sv.clone(), None, case_id).await;
    let s = screen.refresh().await;
    assert!(s.message.is_none() && s.route.is_none(), "{s:?}");
    assert!(!s.items.is_empty());
    assert_ne!(store.load().unwrap().access, first, "renewed on the way");
    let officer = officer(&server.base).await;
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let queue = QueueScreen::open(officer, None).await;
    let s = queue.refresh().await;
    assert!(s.message.is_none() && s.route.is_none(), "{s:?}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_is_said_to_need_approval_by_the_rules_before_sending() {
    let data = tempfile::tempdir().unwrap();
    let server = TestServer::demo(data.path()).await;
    let (sv, case_id) = supervisee(&server.base).await;
    let form = VisitorFormScreen::open(sv.clone(), case_id).await;
    let s = form.submit().await;
    let fields: Vec<&str> = s.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        ["visitor_name", "relation", "meeting_at", "place", "purpose"]
    );
    assert_eq!(s.title, "会客登记");
    form.set_name("王某".into());
    let s = form.set_relation("victim".into());
    assert_eq!(s.note.as_deref(), Some("与被害人会见须经工作人员批准"));
    // In the past, a meeting that needs approval cannot be decided: said before sending.
    let s = form.set_meeting(chrono::Utc::now() - chrono::Duration::hours(1));
    assert_eq!(
        s.errors
            .iter()
            .find(|e| e.field == "meeting_at")
            .map(|e| e.message.as_str()),
        Some("需要批准的会客必须在将来")
    );
    form.set_meeting(chrono::Utc::now() + chrono::Duration::days(2));
    form.set_place("司法所调解室".into());
    let s = form.set_purpose("赔偿协商".into());
    assert!(s.can_submit, "{s:?}");
    let s = form.submit().await;
    assert_eq!(
        (s.done, s.message.as_deref(), s.route),
        (true, Some("已提交：待审批"), Some(Route::SuperviseeToday)),
        "{s:?}"
    );
    // Anyone else: recorded only.
    let other = VisitorFormScreen::open(sv, case_id).await;
    let s = other.set_relation("other".into());
    assert_eq!(s.note.as_deref(), Some("登记备案即可，无需审批"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_activity_area_is_drawn_and_the_phone_told_whether_it_is_inside() {
    let data = tempfile::tempdir().unwrap();
    let server = TestServer::demo(data.path()).await;
    let (sv, _) = supervisee(&server.base).await;
    let screen = AreasScreen::open(sv, None).await;
    let s = screen.refresh().await;
    assert_eq!(s.title, "我的活动区域");
    let area = s.areas.iter().find(|a| a.name == "城关区活动范围").unwrap();
    assert_eq!(
        (area.kind.as_str(), area.status.as_str()),
        ("活动区域", "生效中")
    );
    assert!(matches!(
        area.shape,
        huijiao_core::policy::location::FenceShape::Polygon { .. }
    ));
    // Inside the district, then some way east of it.
    let s = screen.set_location(at_home());
    assert_eq!(
        (s.position.as_deref(), s.outside),
        (Some("您在活动区域内"), false)
    );
    let s = screen.set_location(GpsFix {
        lon: 104.02,
        ..at_home()
    });
    assert!(s.outside, "{s:?}");
    let said = s.position.unwrap();
    assert!(
        said.starts_with("您已离开活动区域约 ") && said.ends_with(" 米，请尽快返回"),
        "{said}"
    );
    server.stop().await;
}

/// The facts of a decision screen's state by label.
fn fact_of(s: &DecisionState, label: &str) -> Option<String> {
    s.facts
        .iter()
        .find(|f| f.label == label)
        .map(|f| f.value.clone())
}

/// The decision screen of `officer`'s queue line about record `id`, if it is listed.
async fn opened(officer: &Arc<Client>, id: uuid::Uuid) -> Option<Arc<DecisionScreen>> {
    let queue = QueueScreen::open(officer.clone(), None).await;
    queue.refresh().await;
    queue.decide(id).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_in_the_queue_opens_with_its_own_answers_and_the_note_each_needs() {
    let data = tempfile::tempdir().unwrap();
    let server = TestServer::demo(data.path()).await;
    let (sv, case_id) = supervisee(&server.base).await;
    let officer = officer(&server.base).await;
    let county = client(&server.base, None, Lang::ZhCn);
    county
        .login("officer.chengguan", DEMO_PASSWORD)
        .await
        .unwrap();

    // A reflection: returning it needs what to improve; accepting does not.
    let study = StudyScreen::open(sv.clone(), None, case_id).await;
    let s = study.refresh().await;
    let course = s
        .courses
        .iter()
        .find(|c| c.title == "社区矫正对象须知")
        .unwrap();
    let first = study.select_course(course.course_id).lessons[0].lesson_id;
    let text =
        "通过学习报到与报告的规定，我认识到按时报到、定期报告是社区矫正对象的基本义务。".repeat(3);
    let written = sv
        .write_reflection(first, &ReflectionWrite { text: text.clone() })
        .await
        .unwrap();
    let d = opened(&officer, written.id).await.expect("listed");
    let s = d.state();
    assert_eq!(
        (
            s.title.as_str(),
            s.approve_label.as_str(),
            s.reject_label.as_deref()
        ),
        ("学习心得批阅", "通过", Some("退回"))
    );
    assert_eq!(s.opinion_label.as_deref(), Some("评语"));
    assert_eq!(s.opinion_hint.as_deref(), Some("退回时须填写需改进之处"));
    assert_eq!(fact_of(&s, "课程").as_deref(), Some("报到与报告"));
    assert_eq!(fact_of(&s, "内容"), Some(text));
    let s = d.reject().await;
    assert!(s.opinion_error.is_some() && s.route.is_none(), "{s:?}");
    d.set_opinion("请结合自身经历再谈谈。".into());
    let s = d.reject().await;
    assert_eq!(
        (s.message.as_deref(), s.route),
        (Some("已作出决定：已退回"), Some(Route::OfficerQueue)),
        "{s:?}"
    );
    assert!(!s.can_decide && s.why_not.as_deref() == Some("现为“已退回”，无需处理"));

    // A proposed sanction: the county decides it, with its ground and article in words.
    let proposed = officer
        .propose_sanction(
            case_id,
            &SanctionProposal {
                ground: "admonition.minor_rule_breach".into(),
                reason: "未按规定时间报告".into(),
            },
        )
        .await
        .unwrap();
    let d = opened(&county, proposed.id).await.expect("listed");
    let s = d.state();
    assert_eq!(s.title, "处罚审批");
    assert_eq!(fact_of(&s, "措施").as_deref(), Some("训诫"));
    assert!(fact_of(&s, "依据").unwrap().contains("第"), "{s:?}");
    let s = d.approve().await;
    assert!(s.opinion_error.is_some(), "the county's note is needed");
    d.set_opinion("事实清楚，同意训诫".into());
    let s = d.approve().await;
    assert_eq!(s.route, Some(Route::OfficerQueue), "{s:?}");
    assert_eq!(
        officer.sanction(proposed.id).await.unwrap().status,
        huijiao_core::policy::sanctions::SanctionStatus::Approved
    );

    // Written answers to mark: each given its points, none over the question's.
    let course: CourseView = county
        .create_course(
            &serde_json::from_value(serde_json::json!({
                "title": "心理健康", "category": "psychology",
                "lessons": [{ "title": "情绪管理测验", "kind": "quiz", "min_minutes": 0, "pass_percent": 60,
                    "questions": [
                        { "kind": "single", "prompt": "情绪低落时可以向谁求助？", "options": ["不告诉任何人", "社区矫正工作人员"], "key": [1], "points": 4 },
                        { "kind": "short_text", "prompt": "遇到烦心事时你会怎么做？", "options": [], "key": [], "points": 6 }
                    ] }]
            }))
            .unwrap(),
        )
        .await
        .unwrap();
    let course = county
        .publish_course(course.id, course.version)
        .await
        .unwrap();
    let attempt = sv.start_quiz(course.lessons[0].id).await.unwrap();
    let answers = attempt
        .questions
        .iter()
        .map(|q| QuizAnswer {
            question_id: q.id,
            chosen: if q.options.is_empty() {
                vec![]
            } else {
                vec![1]
            },
            text: q
                .options
                .is_empty()
                .then(|| "先冷静下来，和家人谈一谈。".into()),
        })
        .collect();
    sv.submit_quiz(attempt.id, &QuizSubmission { answers })
        .await
        .unwrap();
    let d = opened(&officer, attempt.id).await.expect("listed");
    let s = d.state();
    assert_eq!(
        (
            s.approve_label.as_str(),
            s.reject_label.as_deref(),
            s.opinion_label.as_deref()
        ),
        ("提交评分", None, None)
    );
    assert_eq!(s.marks.len(), 1, "{s:?}");
    let mark = s.marks[0].clone();
    assert_eq!(
        (mark.answer.as_str(), mark.out_of.as_str()),
        ("先冷静下来，和家人谈一谈。", "满分 6 分")
    );
    let s = d.approve().await;
    assert_eq!(s.marks[0].error.as_deref(), Some("请评分"));
    let s = d.set_points(mark.question_id, 7);
    assert_eq!(s.marks[0].error.as_deref(), Some("须为 0 至 6 分"));
    d.set_points(mark.question_id, 5);
    let s = d.approve().await;
    assert_eq!(s.route, Some(Route::OfficerQueue), "{s:?}");
    let graded = sv.quiz_attempt(attempt.id).await.unwrap();
    assert_eq!((graded.points, graded.passed), (Some(9), Some(true)));

    // A new phone: allowed or refused, no note.
    let phone = client(&server.base, Some("new-phone-1"), Lang::ZhCn);
    assert!(phone.login("sv.maxiaojun", DEMO_PASSWORD).await.is_err());
    let pending = officer
        .devices(case_id)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.device_id == "new-phone-1")
        .unwrap();
    let d = opened(&officer, pending.id).await.expect("listed");
    let s = d.state();
    assert_eq!(
        (
            s.approve_label.as_str(),
            s.reject_label.as_deref(),
            s.opinion_label.is_none()
        ),
        ("准予使用", Some("不予使用"), true)
    );
    let s = d.reject().await;
    assert_eq!(s.route, Some(Route::OfficerQueue), "{s:?}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_help_session_with_risks_is_confirmed_and_its_alert_handled_from_the_queue() {
    let data = tempfile::tempdir().unwrap();
    let server = TestServer::demo(data.path()).await;
    let volunteer = client(&server.base, None, Lang::En);
    volunteer
        .login("volunteer.yannan", DEMO_PASSWORD)
        .await
        .unwrap();
    let person = volunteer.cases().all().await.unwrap()[0].id;
    let logged = volunteer
        .log_help_session(
            person,
            &HelpSessionNew {
                id: uuid::Uuid::new_v4(),
                began_at: chrono::Utc::now() - chrono::Duration::hours(2),
                minutes: 45,
                kind: huijiao_core::model::HelpKind::Talk,
                place: None,
                notes: "谈心谈话，家中经济困难。".into(),
                risks: vec![huijiao_core::model::RiskFactor::EconomicDispute],
                follow_up: None,
            },
        )
        .await
        .unwrap();
    let officer = client(&server.base, None, Lang::En);
    officer
        .login("officer.yannan", DEMO_PASSWORD)
        .await
        .unwrap();

    // The session, in English: confirmed without a note.
    let d = opened(&officer, logged.id).await.expect("listed");
    let s = d.state();
    assert_eq!(
        (
            s.title.as_str(),
            s.approve_label.as_str(),
            s.reject_label.as_deref()
        ),
        ("Help session to confirm", "Confirm", Some("Return"))
    );
    assert_eq!(fact_of(&s, "Risks").as_deref(), Some("Economic dispute"));
    assert_eq!(fact_of(&s, "Kind").as_deref(), Some("Talk (45 min)"));
    let s = d.approve().await;
    assert_eq!(s.route, Some(Route::OfficerQueue), "{s:?}");

    // The alert its risk raised: handled with what was done, one answer only.
    let alert = logged.alert_id.expect("a risk flagged raises an alert");
    let d = opened(&officer, alert).await.expect("listed");
    let s = d.state();
    assert_eq!(
        (
            s.approve_label.as_str(),
            s.reject_label.as_deref(),
            s.opinion_label.as_deref()
        ),
        ("Handled", None, Some("What was done"))
    );
    let s = d.reject().await;
    assert!(
        s.message.is_none() && s.can_decide,
        "no second answer: nothing sent"
    );
    let s = d.approve().await;
    assert_eq!(
        s.opinion_error.as_deref(),
        Some("must not be empty or invisible")
    );
    // Someone handled it meanwhile: refused (409), read again, the change said.
    officer.resolve_alert(alert, "已处置").await.unwrap();
    d.set_opinion("已电话联系，了解情况并转介就业帮扶。".into());
    let s = d.approve().await;
    assert_eq!(s.changed, ["Status"], "{s:?}");
    assert!(!s.can_decide && s.route.is_none(), "{s:?}");
    // Handled, it is no longer in the queue.
    assert!(opened(&officer, alert).await.is_none());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monthly_assessment_changes_a_line_only_with_a_reason_and_is_confirmed_once() {
    let data = tempfile::tempdir().unwrap();
    // The server stands in the middle of last month (China time) while a helper notes a risk.
    let clock = Arc::new(Mutex::new(None));
    let keep = clock.clone();
    let server = TestServer::start(
        data.path(),
        free_addr().await,
        |_| {},
        move |state| {
            *keep.lock().unwrap() = Some(state.clock.clone());
        },
    )
    .await;
    let clock = clock.lock().unwrap().clone().unwrap();
    let last_month = Month::of(chrono::Utc::now()).previous();
    clock.set(
        last_month
            .first_day()
            .and_hms_opt(12, 0, 0)
            .unwrap()
            .and_utc()
            + chrono::Duration::days(14),
    );
    let volunteer = client(&server.base, None, Lang::ZhCn);
    volunteer
        .login("volunteer.donggang", DEMO_PASSWORD)
        .await
        .unwrap();
    let person = volunteer.cases().all().await.unwrap()[0].id;
    volunteer
        .log_help_session(
            person,
            &HelpSessionNew {
                id: uuid::Uuid::new_v4(),
                began_at: clock.now() - chrono::Duration::hours(2),
                minutes: 30,
                kind: huijiao_core::model::HelpKind::Talk,
                place: None,
                notes: "家庭矛盾较多。".into(),
                risks: vec![huijiao_core::model::RiskFactor::FamilyCrisis],
                follow_up: None,
            },
        )
        .await
        .unwrap();
    clock.set(chrono::Utc::now());

    let officer = officer(&server.base).await;
    let case = CaseScreen::open(officer.clone(), None, person).await;
    assert_eq!(case.state().assess_label, "月度考核");
    let a = case.assess().await;
    let s = a.state();
    let chosen: Vec<&str> = s
        .months
        .iter()
        .filter(|m| m.chosen)
        .map(|m| m.code.as_str())
        .collect();
    assert_eq!(chosen, [last_month.to_string()], "last month first");
    assert!(s.months[0].label.ends_with("（至今）"), "{:?}", s.months);
    assert_eq!(s.lines.len(), 1, "{s:?}");
    let line = s.lines[0].clone();
    assert_eq!(
        (
            line.label.as_str(),
            line.count.as_str(),
            line.points.as_str(),
            line.can_change
        ),
        ("发现风险", "1 次", "扣 0 分", true)
    );
    assert_eq!(s.score, "100 分，表现良好");
    assert!(s.can_confirm && s.confirmed.is_none(), "{s:?}");

    // A change needs a reason and at most 100 points; it moves the score before confirming.
    let s = a.change_line(line.fact, 3, " ".into());
    assert_eq!(
        s.lines[0].error.as_deref(),
        Some("不能为空，也不能只含不可见字符")
    );
    assert_eq!(s.why_not.as_deref(), Some("请先改正标出的项目"));
    assert!(!s.can_confirm);
    let s = a.change_line(line.fact, 101, "家庭变故未及时报告".into());
    assert_eq!(s.lines[0].error.as_deref(), Some("须为 0 到 100 分"));
    let s = a.change_line(line.fact, 35, "家庭变故未及时报告".into());
    assert_eq!(
        (s.lines[0].points.as_str(), s.lines[0].error.as_deref()),
        ("扣 35 分（原 0 分）", None)
    );
    assert_eq!(s.score, "65 分，不合格");
    assert_eq!(
        s.proposal.as_deref(),
        None,
        "already strict: nothing stricter"
    );
    let s = a.undo_change(line.fact);
    assert_eq!(s.score, "100 分，表现良好");
    a.change_line(line.fact, 5, "家庭变故未及时报告".into());
    a.set_note("本月总体表现尚可。".into());
    let s = a.confirm().await;
    assert_eq!(
        (s.message.as_deref(), s.route),
        (Some("已确认：95 分，表现良好"), Some(Route::Case)),
        "{s:?}"
    );
    assert!(
        s.confirmed.is_some() && !s.can_confirm && !s.lines[0].can_change,
        "{s:?}"
    );
    assert_eq!(s.lines[0].reason.as_deref(), Some("家庭变故未及时报告"));
    // Confirmed once: another screen opened on it shows what was confirmed.
    let again = case.assess().await;
    let s = again.state();
    assert!(
        s.confirmed.is_some() && s.note == "本月总体表现尚可。",
        "{s:?}"
    );
    // This month is not over: it shows as a draft, and cannot be confirmed.
    let s = again
        .select_month(Month::of(chrono::Utc::now()).to_string())
        .await;
    assert_eq!(
        s.why_not.as_deref(),
        Some("月度考核须在当月结束后确认，此前只能查看草稿。"),
        "{s:?}"
    );
    assert!(!s.can_confirm && s.confirmed.is_none());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sanction_is_proposed_on_a_ground_of_the_measures_with_the_facts_shown() {
    let data = tempfile::tempdir().unwrap();
    let server = TestServer::demo(data.path()).await;
    let (_, case_id) = supervisee(&server.base).await;
    let officer = officer(&server.base).await;
    let case = CaseScreen::open(officer.clone(), None, case_id).await;
    assert_eq!(case.state().propose_label, "提请奖惩");
    let form = case.propose().await;
    let s = form.state();
    assert_eq!(
        (s.title.as_str(), s.person.as_str()),
        ("提请奖惩", "马小军")
    );
    let fact = |label: &str| {
        s.facts
            .iter()
            .find(|f| f.label == label)
            .map(|f| f.value.clone())
    };
    assert_eq!(fact("生效的警告").as_deref(), Some("0"), "{s:?}");
    assert!(fact("脱离监管最长天数").unwrap().ends_with(" 天"));
    assert!(
        s.grounds.len() > 10 && s.grounds.iter().all(|g| g.label.contains("实施办法第")),
        "{:?}",
        s.grounds
    );
    // Nothing chosen, nothing written: each said, nothing sent.
    let fields: Vec<&str> = s.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["ground", "reason"]);
    assert_eq!(s.submit_why_not.as_deref(), Some("请选择适用的情形"));
    let s = form.submit().await;
    assert!(!s.done && s.message.is_none());
    let s = form.choose_ground("admonition.minor_rule_breach".into());
    assert!(s.chosen.as_deref().unwrap().starts_with("训诫："), "{s:?}");
    assert_eq!(s.grounds.iter().filter(|g| g.chosen).count(), 1);
    form.set_reason("11月两次未按规定时间报告，经批评教育后仍未改正。".into());
    let s = form.submit().await;
    assert_eq!(
        (s.done, s.message.as_deref(), s.route),
        (
            true,
            Some("已提请，等待县级社区矫正机构审批"),
            Some(Route::Case)
        ),
        "{s:?}"
    );
    // It waits for the county.
    let county = client(&server.base, None, Lang::ZhCn);
    county
        .login("officer.chengguan", DEMO_PASSWORD)
        .await
        .unwrap();
    let q = county.work_queue().await.unwrap();
    assert!(q
        .items
        .iter()
        .any(|i| i.kind == QueueKind::Sanction && i.case_id == case_id));
    // Not theirs: a volunteer opening the form reads the server's refusal.
    let volunteer = client(&server.base, None, Lang::ZhCn);
    volunteer
        .login("volunteer.donggang", DEMO_PASSWORD)
        .await
        .unwrap();
    let theirs = SanctionFormScreen::open(volunteer, case_id, "马小军".into()).await;
    let s = theirs.state();
    assert!(
        s.message.is_some() && s.facts.is_empty() && !s.can_submit,
        "{s:?}"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roll_calls_go_to_several_people_say_who_could_not_be_called_and_list_today() {
    let data = tempfile::tempdir().unwrap();
    let server = with_faces(data.path(), free_addr().await, &face_engine()).await;
    let officer = officer(&server.base).await;
    let (_, enrolled) = supervisee(&server.base).await;
    enrol(&officer, enrolled).await;
    let screen = RollCallsScreen::open(officer.clone()).await;
    let s = screen.state();
    assert_eq!(
        (s.title.as_str(), s.chosen.as_str(), s.at.as_str()),
        ("视频点名", "已选 0 人", "现在")
    );
    assert!(s.people.len() >= 2, "{s:?}");
    assert_eq!(s.start_why_not.as_deref(), Some("请选择点名对象"));
    assert!(!s.can_start);
    // More than a week ahead: said on its field, nothing sent.
    let s = screen.choose_all(true);
    assert_eq!(s.chosen, format!("已选 {} 人", s.people.len()));
    let s = screen.set_at(Some(chrono::Utc::now() + chrono::Duration::days(8)));
    assert_eq!(
        s.errors
            .iter()
            .map(|e| (e.field.as_str(), e.message.as_str()))
            .collect::<Vec<_>>(),
        [("at", "最多提前 7 天")]
    );
    let s = screen.start().await;
    assert!(s.message.is_none() && s.calls.is_empty(), "{s:?}");
    // Now: the enrolled person rings; the others are named with why they could not be called.
    screen.set_at(None);
    screen.set_note("例行抽查".into());
    let s = screen.start().await;
    let others = s.people.len() - 1;
    assert_eq!(
        s.message.as_deref(),
        Some(format!("已发起 1 人，{others} 人未能发起").as_str()),
        "{s:?}"
    );
    assert_eq!(s.skipped.len(), others);
    assert!(
        s.skipped.iter().all(|k| k.contains('：')),
        "{:?}",
        s.skipped
    );
    assert_eq!(s.chosen, "已选 0 人");
    let call = s
        .calls
        .iter()
        .find(|c| c.case_id == enrolled)
        .expect("today's call")
        .clone();
    assert_eq!(
        (call.person.as_str(), call.status.as_str(), call.live),
        ("马小军", "呼叫中", false)
    );
    assert!(
        call.answer_by.as_deref().unwrap().starts_with("须在今天"),
        "{call:?}"
    );
    // Watching it: not before the person answers; an offer then is refused in words.
    let w = screen.open_call(call.id).await.expect("listed");
    let s = w.state();
    assert_eq!(
        (s.can_watch, s.why_not.as_deref()),
        (false, Some("对方尚未接听"))
    );
    assert!(w.connect("v=0".into()).await.is_none());
    let s = w.state();
    assert_eq!(
        s.message.as_deref(),
        Some("该视频点名当前没有实时画面。"),
        "{s:?}"
    );
    // A second start for them while the call is open: said why.
    screen.toggle(enrolled);
    let s = screen.start().await;
    assert_eq!(s.skipped.len(), 1, "{s:?}");
    assert!(s.skipped[0].starts_with("马小军："), "{:?}", s.skipped);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tag_is_ordered_for_three_months_at_most_renewed_from_the_next_day_and_ended() {
    let data = tempfile::tempdir().unwrap();
    let server = TestServer::demo(data.path()).await;
    let (_, case_id) = supervisee(&server.base).await;
    let county = client(&server.base, None, Lang::ZhCn);
    county
        .login("officer.chengguan", DEMO_PASSWORD)
        .await
        .unwrap();
    let case = CaseScreen::open(county.clone(), None, case_id).await;
    assert_eq!(case.state().tag_label, "电子定位装置");
    let t = case.tag().await;
    let s = t.state();
    assert!(s.orders.is_empty() && s.grounds.len() == 5, "{s:?}");
    assert_eq!(s.submit_why_not.as_deref(), Some("请选择适用的情形"));
    let today = huijiao_core::policy::calendar::local_date(chrono::Utc::now());
    t.choose_ground("left_without_approval".into());
    // Yesterday: refused on its field before sending; from today the longest is offered.
    let s = t.set_dates(today - chrono::Duration::days(1), None);
    assert!(
        s.errors
            .iter()
            .any(|e| e.field == "starts_on" && e.message == "须为今天或以后"),
        "{s:?}"
    );
    let s = t.set_dates(today, Some(today + chrono::Duration::days(120)));
    assert_eq!(s.errors[0].field, "ends_on", "{s:?}");
    let s = t.set_dates(today, None);
    let end = today.checked_add_months(chrono::Months::new(3)).unwrap() - chrono::Duration::days(1);
    assert_eq!(s.ends_on, Some(end));
    assert!(s.term.as_deref().unwrap().contains(" 天"), "{s:?}");
    t.set_reason("未经批准离开所居住的县，经教育后仍有再犯可能。".into());
    let s = t.submit().await;
    assert_eq!(
        s.message.as_deref(),
        Some("已决定使用电子定位装置"),
        "{s:?}"
    );
    assert_eq!(s.orders.len(), 1);
    let first = s.orders[0].clone();
    assert!(
        first.in_force && first.left.as_deref().unwrap().starts_with("还有"),
        "{first:?}"
    );
    assert!(
        s.reason.is_empty() && s.starts_on.is_none(),
        "the form is cleared"
    );
    // Renewed: from the day after it ends, its ground kept.
    let s = t.renew(first.id);
    assert_eq!(s.starts_on, Some(end + chrono::Duration::days(1)));
    assert!(
        s.renewing.as_deref().unwrap().starts_with("延长："),
        "{s:?}"
    );
    assert!(s
        .grounds
        .iter()
        .any(|g| g.chosen && g.code == "left_without_approval"));
    t.set_reason("期满仍需继续使用。".into());
    let s = t.submit().await;
    assert_eq!(s.orders.len(), 2, "{s:?}");
    // Ended early, with the reason.
    let s = t.end_order(first.id, " ".into()).await;
    assert_eq!(s.message.as_deref(), Some("不能为空，也不能只含不可见字符"));
    let s = t.end_order(first.id, "表现良好，提前解除".into()).await;
    assert_eq!(s.message.as_deref(), Some("已解除电子定位装置"), "{s:?}");
    let ended = s.orders.iter().find(|o| o.id == first.id).unwrap();
    assert_eq!((ended.status.as_str(), ended.in_force), ("已解除", false));
    // The judicial office cannot order one: the server's refusal in words.
    let office = officer(&server.base).await;
    let t = TaggingScreen::open(office, case_id, "马小军".into()).await;
    t.choose_ground("left_without_approval".into());
    t.set_dates(today, None);
    t.set_reason("x".into());
    let s = t.submit().await;
    assert!(s.message.is_some() && s.orders.len() == 2, "{s:?}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_is_released_on_the_last_day_of_the_term_with_a_certificate() {
    let data = tempfile::tempdir().unwrap();
    let server = TestServer::demo(data.path()).await;
    let (_, running) = supervisee(&server.base).await;
    let office = officer(&server.base).await;
    let county = client(&server.base, None, Lang::ZhCn);
    county
        .login("officer.chengguan", DEMO_PASSWORD)
        .await
        .unwrap();
    // A term still running: not yet.
    let r = CaseScreen::open(county.clone(), None, running)
        .await
        .release()
        .await;
    let s = r.state();
    assert_eq!((s.title.as_str(), s.can_release), ("解除社区矫正", false));
    assert_eq!(
        s.why_not.as_deref(),
        Some("矫正期限未满，期满之日起方可解除社区矫正（社区矫正法第四十四条）。")
    );
    // A term that ends today.
    let today = huijiao_core::policy::calendar::local_date(chrono::Utc::now());
    let unit = office.case(running).await.unwrap().unit_id;
    let first17 = "62010219800101777";
    let id = format!(
        "{first17}{}",
        huijiao_core::policy::national_id_check_char(first17).unwrap()
    );
    let ending: CaseCreateRequest = serde_json::from_value(serde_json::json!({
        "name": "期满人", "national_id": id, "gender": null, "sentence_kind": "probation",
        "crime": "盗窃罪", "court": "兰州市城关区人民法院", "judgment_number": "(2025)甘0102刑初1号",
        "start_date": today - chrono::Duration::days(365), "end_date": today,
        "residence": { "address": "兰州市东岗示例路1号", "lat": 36.05, "lon": 103.83 },
        "minor": false, "prohibition_orders": [], "unit_id": unit, "officer_id": null
    }))
    .unwrap();
    let ending = office.create_case(&ending).await.unwrap().id;
    office
        .announce(
            ending,
            &AnnounceRequest {
                place: "东岗司法所".into(),
                attendees: vec![],
            },
        )
        .await
        .unwrap();
    let r = ReleaseScreen::open(county.clone(), ending).await;
    let s = r.state();
    assert_eq!(s.person, "期满人");
    assert_eq!(
        s.why_not.as_deref(),
        Some("不能为空，也不能只含不可见字符"),
        "no place yet"
    );
    r.set_place("城关区社区矫正管理局宣告室".into());
    for _ in 0..20 {
        r.add_attendee("家属".into());
    }
    let s = r.state();
    assert!(!s.can_add_attendee && s.attendees.len() == 20);
    let s = r.add_attendee("第二十一人".into());
    assert_eq!(s.attendees.len(), 20, "at most twenty");
    for _ in 0..19 {
        r.remove_attendee(0);
    }
    r.add_attendee("东岗村委会 王主任".into());
    assert!(r.certificate().await.is_none(), "nothing before release");
    let s = r.release().await;
    assert!(s.released && !s.can_release, "{s:?}");
    let number = s
        .facts
        .iter()
        .find(|f| f.label == "证明书编号")
        .unwrap()
        .value
        .clone();
    assert!(number.starts_with("JC"), "{number}");
    assert_eq!(
        s.message.as_deref(),
        Some(format!("已解除社区矫正，证明书编号 {number}").as_str())
    );
    assert_eq!(s.attendees, ["家属", "东岗村委会 王主任"]);
    let pdf = r.certificate().await.expect("the certificate");
    assert!(pdf.starts_with(b"%PDF"));
    // Opened again: released, with its number.
    let s = ReleaseScreen::open(county, ending).await.state();
    assert!(
        s.released && s.facts.iter().any(|f| f.value == number),
        "{s:?}"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_move_names_the_new_place_a_month_ahead_and_waits_for_both_counties() {
    let data = tempfile::tempdir().unwrap();
    let server = TestServer::demo(data.path()).await;
    let (sv, case_id) = supervisee(&server.base).await;
    let form = MoveFormScreen::open(sv.clone(), case_id).await;
    let s = form.state();
    assert_eq!(
        (s.title.as_str(), s.notice.as_str()),
        ("居住地变更申请", "须至少提前 30 天申请")
    );
    assert!(s.moves.is_empty() && !s.can_submit, "{s:?}");
    let fields: Vec<&str> = s.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "to_unit_id",
            "new_residence.address",
            "new_residence",
            "move_date",
            "reason"
        ]
    );
    // Every office, with where it is; the person's own refused before sending.
    let own = sv.case(case_id).await.unwrap().unit_id;
    assert!(
        s.units
            .iter()
            .any(|u| u.label.ends_with("七里河区社区矫正管理局 西园司法所")),
        "{:?}",
        s.units
    );
    let s = form.set_unit(own.to_string());
    assert_eq!(
        s.errors[0].message,
        "新住所仍属本单位，请直接变更居住地址。"
    );
    let xiyuan = s
        .units
        .iter()
        .find(|u| u.label.ends_with("西园司法所"))
        .unwrap()
        .code
        .clone();
    form.set_unit(xiyuan);
    form.set_new_home("兰州市城关区西园街道示例路9号".into(), 36.07, 103.78);
    // Too soon: the notice the jurisdiction asks, said on the date.
    let today = huijiao_core::policy::calendar::local_date(chrono::Utc::now());
    let s = form.set_move_date(today + chrono::Duration::days(10));
    assert_eq!(s.errors[0].field, "move_date", "{s:?}");
    form.set_move_date(today + chrono::Duration::days(40));
    form.set_reason("工作调动，需搬至单位附近居住。".into());
    let s = form.state();
    assert!(s.can_submit, "{s:?}");
    assert_eq!(s.note, "由县级社区矫正机构在征求迁入地意见后决定");
    let s = form.submit().await;
    assert_eq!(
        (s.done, s.message.as_deref()),
        (true, Some("已提交，等待审批")),
        "{s:?}"
    );
    assert_eq!(s.moves.len(), 1);
    assert_eq!(
        (s.moves[0].status.as_str(), s.moves[0].can_cancel),
        ("待审批", true)
    );
    // Withdrawn while it waits.
    let s = form.cancel(s.moves[0].id).await;
    assert_eq!(s.message.as_deref(), Some("已撤回申请"));
    assert!(!s.moves[0].can_cancel, "{s:?}");
    server.stop().await;
}
