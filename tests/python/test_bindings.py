"""The generated Python bindings (uniffi, library mode) against a live server: every role signs
in, a supervisee checks in with a real photo, writes made while the server is down are queued
and delivered exactly once when it is back, and a live event reaches a listener.

Run by scripts/test-bindings.sh, which builds the library, generates the bindings into
target/bindings/python and starts nothing itself: the fixture below runs the real server
binary on a free port with demo data.
"""

import asyncio
import base64
import datetime
import io
import os
import pathlib
import queue
import socket
import subprocess
import tempfile
import time
import urllib.request
import uuid
import zipfile

import pytest

from huijiao import huijiao_core as core
from huijiao import huijiao_mobile as mobile

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SERVER = pathlib.Path(os.environ["HUIJIAO_SERVER_BIN"])
PASSWORD = "Huijiao-Demo-2026"
DEVICE = "demo-phone"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, data_dir, port):
        self.data_dir, self.port, self.proc = data_dir, port, None
        self.base = f"http://127.0.0.1:{port}"

    def start(self):
        env = dict(
            os.environ,
            HUIJIAO_DATA_DIR=str(self.data_dir),
            HUIJIAO_LISTEN=f"127.0.0.1:{self.port}",
            HUIJIAO_MODEL_DIR=os.environ.get("HUIJIAO_MODEL_DIR", str(SHARED / "models")),
            HUIJIAO_JOBS_INTERVAL_SECS="0",
        )
        self.proc = subprocess.Popen(
            [str(SERVER), "serve", "--demo"], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.base + "/readyz", timeout=1)
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(self.proc.stderr.read().decode()[-2000:])
                time.sleep(0.2)
        raise RuntimeError("server did not become ready")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def server():
    with tempfile.TemporaryDirectory() as d:
        s = Server(pathlib.Path(d), free_port())
        s.start()
        yield s
        if s.proc.poll() is None:
            s.stop()


class Keychain(core.TokenStore):
    """Stands in for the platform's secure storage."""

    def __init__(self):
        self.tokens = None

    def load(self):
        return self.tokens

    def save(self, tokens):
        self.tokens = tokens

    def clear(self):
        self.tokens = None


def client(server, device=None):
    return mobile.HuijiaoClient(server.base, device, Keychain(), "en")


def run(coro):
    return asyncio.run(coro)


def test_every_role_signs_in(server):
    for user, role, device in [
        ("officer.donggang", core.Role.OFFICER, None),
        ("volunteer.donggang", core.Role.VOLUNTEER, None),
        ("sv.maxiaojun", core.Role.SUPERVISEE, DEVICE),
    ]:
        c = client(server, device)
        me = run(c.login(user, PASSWORD))
        assert me.role == role
        assert c.is_signed_in()
    # A volunteer sees only the cases of their team; masked lists still carry ids.
    vol = client(server)
    run(vol.login("volunteer.donggang", PASSWORD))
    assert len(run(vol.cases().list())) >= 1


def test_the_supervisee_signs_in_and_reads_today_through_the_screen_models(server):
    """Only the screen models: what to draw and where to go comes from the core."""
    sv = client(server, DEVICE)
    screen = sv.sign_in_screen()

    class Seen(core.SignInListener):
        def __init__(self):
            self.states = []

        def changed(self, state):
            self.states.append(state)

    seen = Seen()
    watching = screen.watch(seen)
    state = run(screen.submit())
    assert [e.field for e in state.errors] == ["username", "password"]
    assert state.errors[0].message == "Enter your user name"
    screen.set_username("sv.maxiaojun")
    screen.set_password(PASSWORD)
    state = run(screen.submit())
    assert state.route == core.Route.SUPERVISEE_TODAY
    assert any(s.busy for s in seen.states)
    watching.stop()

    me = run(sv.me())
    with tempfile.TemporaryDirectory() as phone:
        outbox = run(mobile.HuijiaoOutbox.open(os.path.join(phone, "outbox.db"), sv))
        today = run(sv.today_screen(me.case_id, outbox))
        state = run(today.refresh())
        assert state.title == "Today" and not state.freshness.offline
        kinds = [i.kind for i in state.items]
        assert core.DueKind.CHECKIN in kinds and core.DueKind.STUDY in kinds
        assert all("_" not in i.detail for i in state.items)
        # Opened again from the phone alone, before any call: the same lines.
        again = run(sv.today_screen(me.case_id, outbox))
        assert [i.kind for i in again.state().items] == kinds

    # Asking for leave: the rules said before sending, then sent for approval.
    form = run(sv.leave_form_screen(me.case_id))
    assert not form.state().can_submit
    form.set_reason("family")
    form.set_reason_text("Visiting my father in hospital")
    form.set_destination("Xi'an", 34.26, 108.94)
    form.set_contact("13800000000")
    today = datetime.date.today()
    state = form.set_dates(str(today + datetime.timedelta(days=10)), str(today + datetime.timedelta(days=17)))
    assert state.can_submit and state.notes == ["8 days, decided by: County agency"]
    state = run(form.submit())
    assert state.sent is not None and state.route == core.Route.LEAVE


def test_the_officer_decides_a_leave_from_the_work_queue_through_the_screen_models(server):
    """The officer's main path, screen models only: the queue, a request's facts, a decision."""
    sv = client(server, DEVICE)
    run(sv.login("sv.maxiaojun", PASSWORD))
    form = run(sv.leave_form_screen(run(sv.me()).case_id))
    form.set_reason("work")
    form.set_reason_text("Trade fair")
    form.set_destination("Tianshui", 34.58, 105.72)
    form.set_contact("13800000000")
    today = datetime.date.today()
    form.set_dates(str(today + datetime.timedelta(days=40)), str(today + datetime.timedelta(days=41)))
    sent = run(form.submit()).sent
    assert sent is not None

    officer = client(server)
    run(officer.login("officer.donggang", PASSWORD))
    queue = run(officer.queue_screen(None))
    state = run(queue.refresh())
    assert state.title == "Work queue" and state.filters[0].label.startswith("All (")
    line = next(l for l in state.lines if l.id == sent)
    assert (line.title, line.subject, line.route) == ("Leave to decide", "Work (Tianshui)", core.Route.DECIDE)
    decision = run(queue.decide(sent))
    facts = {f.label: f.value for f in decision.state().facts}
    assert facts["Destination"] == "Tianshui" and facts["Decided by"] == "Judicial office"
    state = run(decision.approve())
    assert state.opinion_error == "must not be empty or invisible"
    decision.set_opinion("Approved; report back on return")
    state = run(decision.approve())
    assert state.route == core.Route.OFFICER_QUEUE and state.message == "Decided: Approved"
    assert all(l.id != sent for l in run(queue.refresh()).lines)

    # The officer's other screens cross the bindings the same way: the month's assessment
    # (its lines' facts are enums), a sanction's grounds, the roll calls.
    case_id = run(sv.me()).case_id
    month = run(officer.assessment_screen(case_id, "Ma Xiaojun"))
    state = month.state()
    assert state.title == "Monthly assessment" and [m.chosen for m in state.months] == [False, True, False, False]
    assert state.score.endswith("points, Good") and state.can_confirm
    form = run(officer.sanction_form_screen(case_id, "Ma Xiaojun"))
    state = form.choose_ground("admonition.minor_rule_breach")
    assert state.chosen.startswith("Admonition: ") and state.submit_why_not == "must not be empty or invisible"
    calls = run(officer.roll_calls_screen())
    assert calls.state().start_why_not == "Choose who to call"


def test_the_volunteer_logs_help_through_the_screen_models(server):
    """The volunteer's main path, screen models only: their people, then the help log."""
    vol = client(server)
    run(vol.login("volunteer.donggang", PASSWORD))
    people = run(vol.people_screen(None))
    state = run(people.refresh())
    assert state.title == "My people" and len(state.people) >= 1
    person = state.people[0]
    assert "*" in person.name
    log = people.log_help(person.case_id)
    assert [e.field for e in log.state().errors] == ["kind", "began_at", "minutes", "notes"]
    log.set_kind("phone_call")
    log.set_began(datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=3))
    log.set_minutes(20)
    log.set_notes("Called to ask how the new job is going.")
    state = log.toggle_risk("no_job")
    assert state.risk_note == "The risks chosen alert the officers"
    state = run(log.submit())
    assert state.done and state.message == "Sent: an officer will confirm it"
    assert state.route == core.Route.VOLUNTEER_PEOPLE


def test_errors_map_to_actionable_variants(server):
    c = client(server)
    with pytest.raises(mobile.HuijiaoError.Unauthorized) as e:
        run(c.login("officer.donggang", "wrong-password-1"))
    assert e.value.code == "auth.invalid_credentials"
    sv = client(server, DEVICE)
    me = run(sv.login("sv.maxiaojun", PASSWORD))
    bad = core.LocationPointIn(lat=91.0, lon=103.8, accuracy_m=5.0,
                               fix_time=datetime.datetime.now(datetime.timezone.utc),
                               speed_mps=None, provider=core.LocationProvider.GPS,
                               mock=False, battery=None)
    box = run(mobile.HuijiaoOutbox.open(str(pathlib.Path(tempfile.mkdtemp()) / "o.db"), sv))
    run(box.enqueue_locations([bad]))
    report = run(box.flush())
    assert report.rejected == 1
    assert run(box.items())[0].last_error == "request.invalid_field"
    assert me.case_id


def test_checkin_with_a_real_photo(server):
    officer = client(server)
    run(officer.login("officer.donggang", PASSWORD))
    sv = client(server, DEVICE)
    case_id = run(sv.login("sv.maxiaojun", PASSWORD)).case_id
    hopper = (SHARED / "faces" / "grace_hopper.jpg").read_bytes()
    template = run(officer.checkins().enrol_face(case_id, [hopper]))
    assert template.reference_count == 1
    fix = core.GpsFix(lat=36.05, lon=103.83, accuracy_m=10.0,
                      fix_time=datetime.datetime.now(datetime.timezone.utc),
                      provider="gps", mock=False)
    # The code asks for a straight photo, then a turn of the head.
    code = run(sv.checkins().challenge())
    assert code.poses[0] == core.Pose.STRAIGHT
    assert code.poses[1] in (core.Pose.TURN_LEFT, core.Pose.TURN_RIGHT)
    # The same still photo for the turn: refused, naming the frame; the code stays usable.
    with pytest.raises(mobile.HuijiaoError.Validation) as e:
        run(sv.checkins().check_in(code.nonce, hopper, [hopper], fix, "py-test"))
    assert (e.value.field, e.value.code) == ("frames[0]", "liveness.pose_not_met")
    # Without frames (as if taken offline) it is judged, and the enrolment photo itself is a
    # replay: a check-in needs a fresh selfie.
    replay = run(sv.checkins().check_in(code.nonce, hopper, [], fix, "py-test"))
    assert replay.result == core.CheckinResult.FAILED
    assert core.CheckinReason.REPLAYED_PHOTO in replay.reasons
    assert core.CheckinReason.LIVENESS_UNCHECKED in replay.reasons
    # The officer calls the (now enrolled) supervisee on video; the phone sees it ringing. An
    # offer without video the server can decode is refused, and the call keeps ringing.
    started = run(officer.roll_calls().start(
        core.RollCallStart(case_ids=[case_id], at=None, note="python")))
    assert len(started.started) == 1 and started.skipped == []
    call = started.started[0]
    mine = run(sv.roll_calls().of_case(case_id))
    assert [c.id for c in mine][0] == call.id and mine[0].status == core.RollCallStatus.RINGING
    with pytest.raises(mobile.HuijiaoError.Validation) as e:
        run(sv.roll_calls().answer(call.id, "v=0"))
    assert e.value.code == "rollcall.offer_invalid"
    excused = run(officer.roll_calls().excuse(
        call.id, core.RollCallExcuse(reason="python test", version=None)))
    assert excused.status == core.RollCallStatus.EXCUSED


def test_studying_a_lesson_through_the_bindings(server):
    sv = client(server, DEVICE)
    case_id = run(sv.login("sv.maxiaojun", PASSWORD)).case_id
    courses = run(sv.learning().courses())
    course = next(c for c in courses if c.title == "社区矫正对象须知")
    assert course.status == core.CourseStatus.PUBLISHED
    first, second = course.lessons[0], course.lessons[1]
    session = run(sv.learning().open_lesson(first.id))
    assert session.status == core.StudySessionStatus.OPEN and session.heartbeat_secs == 30
    now_ms = int(time.time() * 1000)
    beats = [core.StudyBeat(seq=n, client_ms=now_ms + n * 30_000, position_ms=0, playing=True,
                            foreground=True, idle_secs=2) for n in (1, 2)]
    # Made offline: the outbox sends them once; sending them again changes nothing.
    box = run(mobile.HuijiaoOutbox.open(str(pathlib.Path(tempfile.mkdtemp()) / "o.db"), sv))
    run(box.enqueue_study_beats(session.id, beats))
    run(box.enqueue_study_beats(session.id, beats))
    assert run(box.flush()).sent == 1
    again = run(sv.learning().send_beats(session.id, beats))
    assert again.last_seq == 2
    # The server saw a second pass, not a minute: the phone's clock does not decide.
    assert again.credited_secs <= 1
    # Another lesson opened: the first session is over.
    run(sv.learning().open_lesson(second.id))
    with pytest.raises(mobile.HuijiaoError.Conflict) as e:
        run(sv.learning().send_beats(session.id, [beats[0]]))
    assert e.value.code == "learning.session_ended"
    # The course's quiz: scored on the server, the keys never sent.
    quiz = course.lessons[2]
    assert quiz.kind == core.LessonKind.QUIZ and quiz.questions == 2
    attempt = run(sv.learning().start_quiz(quiz.id))
    right = {"离开所居住的市、县，应当：": [1], "变更执行地须提前一个月提出申请。": [0]}
    scored = run(sv.learning().submit_quiz(attempt.id, [
        core.QuizAnswer(question_id=q.id, chosen=right[q.prompt], text=None) for q in attempt.questions]))
    assert scored.passed and scored.points == 10 and all(r.right for r in scored.results)
    with pytest.raises(mobile.HuijiaoError.Conflict) as e:
        run(sv.learning().submit_quiz(attempt.id, []))
    assert e.value.code == "learning.attempt_submitted"
    # The district authors a PDF lesson, uploads its file and publishes; the phone reads it
    # whole and in a byte range, as a viewer does.
    county = client(server)
    run(county.login("officer.chengguan", PASSWORD))
    draft = run(county.learning().create_course(core.CourseCreate(
        title="法治读本", category=core.CourseCategory.LAW, description=None,
        lessons=[core.LessonCreate(title="第一章", kind=core.LessonKind.PDF, body=None,
                                   duration_secs=0, min_minutes=5, seek_allowed=True,
                                   questions=[], pass_percent=None, max_attempts=None,
                                   move_on=core.MoveOn.COMPLETED,
                                   face_checks=core.FaceCheckPolicy(at_start=False, per_hour=0))])))
    pdf = b"%PDF-1.4\n" + bytes(range(256)) * 4
    lesson = run(county.learning().upload_media(draft.lessons[0].id, "application/pdf", pdf))
    assert lesson.media_bytes == len(pdf)
    assert lesson.move_on == core.MoveOn.COMPLETED and lesson.face_checks.per_hour == 0
    run(county.learning().publish_course(draft.id, draft.version))
    assert run(sv.learning().media(lesson.id, None, None)) == pdf
    assert run(sv.learning().media(lesson.id, 9, 18)) == pdf[9:19]
    # The officer credits a lecture attended on paper; the person and their volunteer see it.
    officer = client(server)
    run(officer.login("officer.donggang", PASSWORD))
    month = run(sv.learning().month(case_id, None))
    assert month.owed_minutes == 480
    adjusted = run(officer.learning().adjust(case_id, core.LearningAdjustment(
        month=month.month, minutes=90, reason="线下法治讲座")))
    assert adjusted.credited_minutes == month.credited_minutes + 90
    assert adjusted.adjustments[0].reason == "线下法治讲座"
    vol = client(server)
    run(vol.login("volunteer.donggang", PASSWORD))
    assert run(vol.learning().month(case_id, month.month)).credited_minutes == adjusted.credited_minutes
    with pytest.raises(mobile.HuijiaoError.Validation) as e:
        run(officer.learning().adjust(case_id, core.LearningAdjustment(
            month="2026-13", minutes=5, reason="x")))
    assert e.value.field == "month"


def test_a_lecture_attended_by_scanning_the_officers_code(server):
    county = client(server)
    run(county.login("officer.chengguan", PASSWORD))
    units = {u.name: u.id for u in run(county.org().units())}
    now = datetime.datetime.now(datetime.timezone.utc)
    lecture = run(county.learning().create_lecture(core.LectureCreate(
        unit_id=units["城关区社区矫正管理局"], title="法治讲座", category=core.CourseCategory.LAW,
        place="城关区司法局", lat=36.0611, lon=103.8343, radius_m=150,
        starts_at=now - datetime.timedelta(minutes=2),
        ends_at=now + datetime.timedelta(minutes=88))))
    assert lecture.minutes == 90
    # The office below shows the code; the supervisee's phone scans it on site.
    office = client(server)
    run(office.login("officer.donggang", PASSWORD))
    shown = run(office.learning().lecture_code(lecture.id))
    sv = client(server, DEVICE)
    case_id = run(sv.login("sv.maxiaojun", PASSWORD)).case_id
    on_site = core.GpsFix(lat=36.0612, lon=103.8343, accuracy_m=8.0, fix_time=now,
                          provider="gps", mock=False)
    with pytest.raises(mobile.HuijiaoError.Validation) as e:
        run(sv.learning().attend_lecture_by_qr("https://example.com/not-ours", on_site))
    assert e.value.code == "lecture.code_wrong"
    taken = run(sv.learning().attend_lecture_by_qr(shown.qr, on_site))
    assert (taken.mark, taken.credited_minutes) == (core.AttendanceMark.PRESENT, 90)
    mine = [l for l in run(sv.learning().lectures(None)) if l.id == lecture.id][0]
    assert mine.attendance.mark == core.AttendanceMark.PRESENT
    # The officer excuses them after all (called away): nothing credited, the reason kept.
    marked = run(office.learning().mark_lecture_attendance(lecture.id, case_id, core.LectureMarkRequest(
        mark=core.AttendanceMark.EXCUSED, arrived_at=None, reason="家中急事离场")))
    assert marked.credited_minutes == 0
    roster = run(office.learning().lecture_roster(lecture.id))
    assert [(r.case_id, r.mark) for r in roster] == [(case_id, core.AttendanceMark.EXCUSED)]


def test_offline_queue_is_delivered_once(server):
    sv = client(server, DEVICE)
    case_id = run(sv.login("sv.maxiaojun", PASSWORD)).case_id
    box = run(mobile.HuijiaoOutbox.open(str(pathlib.Path(tempfile.mkdtemp()) / "o.db"), sv))
    now = datetime.datetime.now(datetime.timezone.utc)
    points = [core.LocationPointIn(lat=36.05 + i * 1e-4, lon=103.83, accuracy_m=8.0,
                                   fix_time=now - datetime.timedelta(seconds=60 - i),
                                   speed_mps=1.0, provider=core.LocationProvider.FUSED,
                                   mock=False, battery=70) for i in range(4)]
    seen = queue.Queue()

    class Watch(core.OutboxListener):
        def on_change(self, items):
            seen.put([i.state for i in items])

    handle = box.observe(Watch())
    assert seen.get(timeout=10) == []
    server.stop()
    run(box.enqueue_locations(points))
    report = run(box.flush())
    assert report.sent == 0 and report.deferred == 1
    assert run(box.items())[0].last_error == "network"
    server.start()
    deadline = time.time() + 30
    while run(box.flush()).sent == 0:
        assert time.time() < deadline, "not delivered after the server came back"
        time.sleep(0.3)
    items = run(box.items())
    assert [i.state for i in items] == [core.OutboxState.SENT]
    assert run(box.flush()).sent == 0
    # The listener saw it queued, then sent.
    states = []
    while not seen.empty():
        states.append(seen.get())
    assert [core.OutboxState.PENDING] in states and states[-1] == [core.OutboxState.SENT]
    handle.cancel()
    officer = client(server)
    run(officer.login("officer.donggang", PASSWORD))
    mine = [p for p in run(officer.locations().positions()) if p.case_id == case_id]
    assert len(mine) == 1 and abs(mine[0].lat - points[-1].lat) < 1e-9


class Ears(core.EventListener):
    def __init__(self):
        self.heard = queue.Queue()

    def on_event(self, event):
        self.heard.put(("event", event))

    def on_state(self, state):
        self.heard.put(("state", state))


def wait_for(ears, want, seconds=15):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            item = ears.heard.get(timeout=0.5)
        except queue.Empty:
            continue
        if want(item):
            return item
    raise AssertionError("nothing heard")


def test_live_event_reaches_the_listener(server):
    sv = client(server, DEVICE)
    case_id = run(sv.login("sv.maxiaojun", PASSWORD)).case_id
    officer = client(server)
    run(officer.login("officer.donggang", PASSWORD))
    ears = Ears()
    sub = sv.subscribe_events(ears)
    wait_for(ears, lambda h: h[0] == "state" and h[1].is_CONNECTED())
    today = datetime.date.today()
    leave = run(sv.requests().apply_leave(case_id, core.LeaveCreateRequest(
        reason_category=core.LeaveReason.FAMILY, reason_text="探亲",
        destination=core.Place(name="天水", lat=34.58, lon=105.72),
        start_date=str(today + datetime.timedelta(days=5)),
        end_date=str(today + datetime.timedelta(days=6)),
        contact_while_away="13800000000", urgent=False, standing=False, submit=True)))
    # The buttons each side sees come from the server's own state table.
    assert mobile.leave_actions(leave, core.Role.SUPERVISEE, None) == [core.LeaveAction.CANCEL]
    assert mobile.leave_actions(leave, core.Role.OFFICER, core.ApprovalLevel.JUDICIAL_OFFICE) == [
        core.LeaveAction.APPROVE, core.LeaveAction.REJECT]
    run(officer.requests().decide_leave(leave.id, True, core.LeaveDecisionRequest(version=leave.version, opinion="同意")))
    decided = run(sv.requests().leave(leave.id))
    assert mobile.leave_actions(decided, core.Role.SUPERVISEE, None) == [
        core.LeaveAction.CANCEL, core.LeaveAction.DEPART, core.LeaveAction.EXTEND]
    assert mobile.leave_actions(decided, core.Role.OFFICER, core.ApprovalLevel.CITY) == []
    # Their own submission is heard first, then the decision; only the decision is a notice.
    _, event = wait_for(ears, lambda h: h[0] == "event")
    assert '"submitted"' in event.payload
    assert mobile.notice(core.Role.SUPERVISEE, event, "en") is None
    _, event = wait_for(ears, lambda h: h[0] == "event")
    assert event.kind == "leave" and event.case_id == case_id
    assert '"approved"' in event.payload
    notice = mobile.notice(core.Role.SUPERVISEE, event, "zh-CN")
    assert (notice.channel, notice.body, notice.route, notice.ring) == (
        "requests", "我的请假：已批准", core.Route.LEAVE, False)
    assert notice.key == f"leave:{leave.id}"
    assert [c.id for c in mobile.notice_channels(core.Role.SUPERVISEE, "en")] == [
        "roll_call", "check_now", "requests", "decisions"]
    sub.cancel()


def test_a_destination_chosen_without_a_map_goes_to_the_leave_form(server):
    sv = client(server, DEVICE)
    case_id = run(sv.login("sv.maxiaojun", PASSWORD)).case_id
    picker = sv.place_picker_screen()
    found = picker.search("天水")
    city = next(r for r in found.rows if r.name == "天水市")
    assert city.opens and city.within == "甘肃省"
    counties = picker.open(city.code)
    assert not counties.can_done and counties.done_why_not == "Choose down to a county or district"
    county = next(r for r in counties.rows if r.name == "秦州区")
    picker.open(county.code)
    picker.set_detail("人民路 1 号")
    place = picker.done().result
    assert place.name == "甘肃省天水市秦州区 人民路 1 号"
    form = run(sv.leave_form_screen(case_id))
    state = form.set_destination(place.name, place.lat, place.lon)
    assert state.destination == place.name
    assert not any(e.field == "destination" for e in state.errors)


def test_a_help_session_logged_offline_is_delivered_once_and_confirmed(server):
    vol = client(server)
    me = run(vol.login("volunteer.donggang", PASSWORD))
    case_id = run(vol.cases().list())[0].id
    box = run(mobile.HuijiaoOutbox.open(str(pathlib.Path(tempfile.mkdtemp()) / "o.db"), vol))
    now = datetime.datetime.now(datetime.timezone.utc)
    session = core.HelpSessionNew(
        id=str(uuid.uuid4()), began_at=now - datetime.timedelta(hours=3), minutes=45,
        kind=core.HelpKind.FAMILY_MEDIATION, place=None,
        notes="到家中调解母子矛盾，双方同意每周通话。", risks=[core.RiskFactor.EMOTIONAL_CONFLICT],
        follow_up="两周后回访")
    server.stop()
    run(box.enqueue_help_session(case_id, session))
    run(box.enqueue_help_session(case_id, session))  # a double tap
    assert run(box.flush()).deferred == 1
    server.start()
    deadline = time.time() + 30
    while run(box.flush()).sent == 0:
        assert time.time() < deadline, "not delivered after the server came back"
        time.sleep(0.3)
    assert [i.kind for i in run(box.items())] == ["help_session"]
    # The office sees it once, with the alert its risk raised, and confirms it; the
    # volunteer hears the review live.
    ears = Ears()
    sub = vol.subscribe_events(ears)
    wait_for(ears, lambda h: h[0] == "state" and h[1].is_CONNECTED())
    officer = client(server)
    run(officer.login("officer.donggang", PASSWORD))
    waiting = [h for h in run(officer.help().sessions(core.HelpStatus.LOGGED)) if h.id == session.id]
    assert len(waiting) == 1 and waiting[0].alert_id is not None
    done = run(officer.help().review_session(session.id, core.HelpSessionReview(
        confirm=True, note=None, version=waiting[0].version)))
    assert done.status == core.HelpStatus.CONFIRMED
    _, event = wait_for(ears, lambda h: h[0] == "event" and h[1].kind == "help_session")
    assert '"confirmed"' in event.payload
    sub.cancel()
    record = run(vol.help().service_record(me.id, None))
    assert record.total_minutes >= 45
    assert core.HelpKindMinutes(kind=core.HelpKind.FAMILY_MEDIATION, minutes=45) in [
        k for m in record.months for k in m.by_kind]
    # A certificate of this month: the volunteer keeps the PDF, and anyone checks the number.
    month = record.months[-1].month
    cert = run(officer.help().issue_certificate(me.id, month, month))
    assert cert.minutes == record.months[-1].minutes
    assert run(vol.help().certificate_pdf(cert.number)).startswith(b"%PDF-")
    checked = run(client(server).help().check_certificate(cert.number.lower()))
    assert (checked.number, checked.minutes) == (cert.number, cert.minutes)


def test_community_service_by_the_organisers_code_then_corrected(server):
    officer = client(server)
    run(officer.login("officer.donggang", PASSWORD))
    vol = client(server)
    organiser = run(vol.login("volunteer.donggang", PASSWORD))
    units = {u.name: u.id for u in run(officer.org().units())}
    now = datetime.datetime.now(datetime.timezone.utc)
    # Starts in 20 minutes: checking in is already open (30 minutes before the start).
    activity = run(officer.service().create_activity(core.ServiceActivityCreate(
        unit_id=units["东岗司法所"], title="社区垃圾分类宣传", kind=core.ServiceKind.ENVIRONMENT,
        place="东岗街道社区服务中心", lat=36.0612, lon=103.8343, radius_m=200,
        starts_at=now + datetime.timedelta(minutes=20),
        ends_at=now + datetime.timedelta(minutes=140), capacity=1,
        organiser_id=organiser.id, notes=None)))
    sv = client(server, DEVICE)
    case_id = run(sv.login("sv.maxiaojun", PASSWORD)).case_id
    taken = run(sv.service().sign_up(activity.id, None))
    assert taken.status == core.ParticipationStatus.SIGNED_UP
    assert run(sv.service().activity(activity.id)).taken == 1
    # The organiser's phone shows the code; the supervisee scans it on site, in and out.
    shown = run(vol.service().code(activity.id))
    on_site = core.GpsFix(lat=36.0613, lon=103.8343, accuracy_m=8.0, fix_time=now,
                          provider="gps", mock=False)
    far = core.GpsFix(lat=36.0712, lon=103.8343, accuracy_m=8.0, fix_time=now,
                      provider="gps", mock=False)
    with pytest.raises(mobile.HuijiaoError.Validation) as e:
        run(sv.service().presence_by_qr(shown.qr, far, False))
    assert e.value.code == "activity.outside_place"
    inside = run(sv.service().presence_by_qr(shown.qr, on_site, False))
    assert (inside.status, inside.check_in_proof) == (core.ParticipationStatus.CHECKED_IN, core.PresenceProof.CODE)
    out = run(sv.service().presence_by_qr(shown.qr, on_site, True))
    # Left before the window began: nothing to credit.
    assert (out.status, out.credited_minutes) == (core.ParticipationStatus.CHECKED_OUT, 0)
    # The organiser's roster masks the name; the officer corrects the minutes with a reason.
    roster = run(vol.service().roster(activity.id))
    assert [r.case_id for r in roster] == [case_id] and "*" in roster[0].name
    fixed = run(officer.service().review(activity.id, case_id, core.ServiceReview(
        minutes=30, reason="提前到场协助布置，组织者证实", version=out.version)))
    assert (fixed.status, fixed.credited_minutes) == (core.ParticipationStatus.CONFIRMED, 30)
    month = run(sv.service().month(case_id, None))
    assert any(e.activity_id == activity.id and e.credited_minutes == 30 for e in month.participations)


def test_a_commendation_proposed_by_the_office_decided_by_the_county(server):
    office = client(server)
    run(office.login("officer.donggang", PASSWORD))
    sv = client(server, DEVICE)
    case_id = run(sv.login("sv.maxiaojun", PASSWORD)).case_id
    advice = run(office.sanctions().advice(case_id))
    assert advice.case_id == case_id
    proposed = run(office.sanctions().propose(case_id, core.SanctionProposal(
        ground="commendation.exemplary", reason="主动参加公益活动，帮助社区老人")))
    assert (proposed.sanction, proposed.ground.article) == (core.Sanction.COMMENDATION, "实施办法第三十三条")
    with pytest.raises(mobile.HuijiaoError.Forbidden) as e:
        run(office.sanctions().decide(proposed.id, core.SanctionDecision(approve=True, note="同意", version=proposed.version)))
    assert e.value.code == "sanction.needs_county"
    county = client(server)
    run(county.login("officer.chengguan", PASSWORD))
    approved = run(county.sanctions().decide(proposed.id, core.SanctionDecision(
        approve=True, note="予以表扬", version=proposed.version)))
    assert approved.status == core.SanctionStatus.APPROVED
    done = run(sv.sanctions().acknowledge(proposed.id))
    assert done.status == core.SanctionStatus.ACKNOWLEDGED
    assert bytes(run(sv.sanctions().document(proposed.id))).startswith(b"%PDF-")
    assert [s.id for s in run(sv.sanctions().of_case(case_id))] == [proposed.id]


def test_a_home_visit_recorded_offline_is_delivered_once(server):
    office = client(server)
    run(office.login("officer.donggang", PASSWORD))
    sv = client(server, DEVICE)
    case_id = run(sv.login("sv.maxiaojun", PASSWORD)).case_id
    home = run(office.cases().case(case_id)).residence
    box = run(mobile.HuijiaoOutbox.open(str(pathlib.Path(tempfile.mkdtemp()) / "v.db"), office))
    now = datetime.datetime.now(datetime.timezone.utc)
    visit = core.VisitNew(
        id=str(uuid.uuid4()), kind=core.VisitKind.HOME_VISIT, at=now,
        place=core.GpsFix(lat=home.lat + 0.0003, lon=home.lon, accuracy_m=10.0, fix_time=now,
                          provider="gps", mock=False),
        checkin_id=None, met=["本人", "母亲"], findings="居住稳定，按时务工。", risks=[])
    server.stop()
    run(box.enqueue_visit(case_id, visit))
    run(box.enqueue_visit(case_id, visit))  # a double tap
    assert run(box.flush()).deferred == 1
    server.start()
    deadline = time.time() + 30
    while run(box.flush()).sent == 0:
        assert time.time() < deadline, "not delivered after the server came back"
        time.sleep(0.3)
    assert [i.kind for i in run(box.items())] == ["visit"]
    got = run(office.visits().of_case(case_id, core.VisitKind.HOME_VISIT))
    assert [v.id for v in got] == [visit.id] and 30 <= got[0].distance_m <= 40
    hopper = (SHARED / "faces" / "grace_hopper.jpg").read_bytes()
    photo = run(office.visits().add_photo(visit.id, core.VisitPhotoNew(
        content_type="image/jpeg", content=base64.b64encode(hopper).decode())))
    assert bytes(run(office.visits().photo(visit.id, photo.id))) == hopper
    due = {d.kind: d for d in run(office.visits().due(case_id))}
    assert due[core.VisitKind.HOME_VISIT].last_on == str(datetime.datetime.now(
        datetime.timezone(datetime.timedelta(hours=8))).date())
    # The person sees when to report at the office, never when a visit is coming.
    assert [d.kind for d in run(sv.visits().due(case_id))] == [core.VisitKind.OFFICE_REPORT]
    with pytest.raises(mobile.HuijiaoError.Forbidden):
        run(sv.visits().of_case(case_id, None))
    # Release comes at term end, by the county: refused now, with the code that says why.
    county = client(server)
    run(county.login("officer.chengguan", PASSWORD))
    with pytest.raises(mobile.HuijiaoError.Conflict) as e:
        run(county.cases().release(case_id, core.ReleaseRequest(place="东岗司法所", attendees=["家属"], note=None)))
    assert e.value.code == "case.term_not_ended"
    # The month so far, drafted from its facts; a month is confirmed once it is over.
    month = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).strftime("%Y-%m")
    draft = run(office.assessments().draft(case_id, month))
    assert draft.month == month and draft.confirmed_by is None
    assert draft.score == 100 - sum(line.points for line in draft.lines)
    with pytest.raises(mobile.HuijiaoError.Conflict) as e:
        run(office.assessments().confirm(case_id, core.AssessmentConfirm(month=month, adjustments=[], note=None)))
    assert e.value.code == "assessment.month_not_over"
    # One file per person: a ZIP whose dossier and manifest are there.
    archive = zipfile.ZipFile(io.BytesIO(bytes(run(office.cases().case_file(case_id)))))
    assert archive.namelist()[0] == "dossier.pdf" and "manifest.json" in archive.namelist()


def test_the_same_rules_as_the_server(server):
    """The apps explain a rule before the server enforces it, with the same code and the
    jurisdiction's rules as the server holds them."""
    sv = client(server, DEVICE)
    run(sv.login("sv.maxiaojun", PASSWORD))
    jurisdiction = run(sv.requests().rules())
    rules = jurisdiction.leave
    assert (rules.min_notice_days, rules.office_max_days, rules.return_checkin_hours) == (3, 7, 6)
    assert jurisdiction.requests.relocation_notice_days == 30
    assert core.VisitorRelation.VICTIM in jurisdiction.requests.visits_needing_approval
    today = datetime.date.today()
    d = lambda n: str(today + datetime.timedelta(days=n))
    short = mobile.assess_leave(rules, d(0), d(5), d(9), [], [], False)
    assert (short.days, short.required_level) == (5, core.ApprovalLevel.JUDICIAL_OFFICE)
    long = mobile.assess_leave(rules, d(0), d(5), d(14), [], [], False)
    assert long.required_level == core.ApprovalLevel.COUNTY_AGENCY
    assert core.LeaveRule.LONG_LEAVE in long.rules
    # 25 days taken within two months: 6 more is over 30 in the window, one level up.
    window = mobile.assess_leave(rules, d(0), d(20), d(25), [d(-20)], [d(4)], False)
    assert core.LeaveRule.OVER_WINDOW_TOTAL in window.rules
    # Another jurisdiction's rules (a longer office limit) give another answer, same code.
    rules.office_max_days = 10
    assert mobile.assess_leave(rules, d(0), d(5), d(14), [], [], False).required_level == core.ApprovalLevel.JUDICIAL_OFFICE
    with pytest.raises(mobile.HuijiaoError.Validation) as e:
        mobile.assess_leave(rules, d(0), d(1), d(2), [], [], False)
    assert e.value.code == "leave.notice_too_short"
    supervision = jurisdiction.supervision
    assert mobile.location_interval_minutes(supervision, core.SupervisionLevel.STRICT, False) == 10
    assert mobile.location_interval_minutes(supervision, core.SupervisionLevel.LENIENT, True) == 30
    w = mobile.checkin_window(supervision, core.SupervisionLevel.NORMAL, False, d(-10), d(0))
    assert w.start <= d(0) <= w.end and w.level == core.SupervisionLevel.NORMAL
    days = lambda w: (datetime.date.fromisoformat(w.end) - datetime.date.fromisoformat(w.start)).days + 1
    assert days(w) == supervision.normal.checkin_every_days == 7
    # A jurisdiction asking for a check-in every three days at the normal level.
    supervision.normal.checkin_every_days = 3
    w = mobile.checkin_window(supervision, core.SupervisionLevel.NORMAL, False, d(-10), d(0))
    assert days(w) == 3
    assert jurisdiction.checkin_band.opens == "08:00:00"


def test_the_rest_of_the_api_by_role(server):
    officer = client(server)
    run(officer.login("officer.donggang", PASSWORD))
    sv = client(server, DEVICE)
    case_id = run(sv.login("sv.maxiaojun", PASSWORD)).case_id
    assert run(officer.cases().case(case_id)).id == case_id
    assert len(run(officer.cases().plans(case_id))) >= 1
    assert any(d.device_id == DEVICE for d in run(officer.cases().devices(case_id)))
    assert run(officer.cases().team(case_id)) is not None
    assert run(officer.locations().fences_of(case_id))  # the demo's district area and bar-street zone
    now = datetime.datetime.now(datetime.timezone.utc)
    track = run(officer.locations().track(case_id, now - datetime.timedelta(hours=1), now, 0.0))
    assert track.case_id == case_id
    assert b"," in run(officer.cases().export_cases_csv())
    assert run(sv.requests().leaves_of(case_id)) is not None
    assert isinstance(run(sv.checkins().sensitive_periods()), list)
    # The supervisee's own alerts and activity areas (never exclusion zones).
    assert isinstance(run(sv.alerts().own_alerts()), list)
    assert all(f.kind == core.FenceKind.ACTIVITY_AREA for f in run(sv.locations().own_areas()))
    audit = client(server)
    run(audit.login("auditadmin", PASSWORD))
    assert run(audit.audit().verify_audit()).ok
    # A list read page by page: newest first, nothing repeated or skipped, and every entry of
    # the whole list read before is there (reading adds entries, at the newest end).
    whole = [e.seq for e in run(audit.audit().entries())]
    walked, after = [], None
    while True:
        page = run(audit.audit().entries_page(after, 7))
        assert len(page.items) <= 7
        walked += [e.seq for e in page.items]
        if page.next is None:
            break
        after = page.next
    assert len(walked) > 7 and walked == sorted(set(walked), reverse=True)
    assert set(whole) <= set(walked)
    with pytest.raises(mobile.HuijiaoError.Validation) as e:
        run(audit.audit().entries_page("not-a-cursor", None))
    assert (e.value.field, e.value.code) == ("after", "request.invalid_field")
    sysadmin = client(server)
    run(sysadmin.login("sysadmin", PASSWORD))
    assert any(u.username == "officer.donggang" for u in run(sysadmin.org().users()))
    # Admin duties see no case data, as the server says: forbidden, not "sign in again".
    with pytest.raises(mobile.HuijiaoError.Forbidden) as e:
        run(sysadmin.cases().list())
    assert e.value.code == "access.forbidden"
    assert run(sysadmin.org().users())  # still signed in
