package cn.huijiao.supervisee

import android.Manifest
import android.app.DatePickerDialog
import android.app.Notification
import android.app.NotificationManager
import android.content.DialogInterface
import android.location.Location
import android.location.LocationManager
import android.widget.RadioButton
import android.widget.RadioGroup
import cn.huijiao.testing.Photos
import cn.huijiao.testing.QrCamera
import cn.huijiao.testing.Server
import cn.huijiao.testing.choose
import cn.huijiao.testing.enabled
import cn.huijiao.testing.next
import cn.huijiao.testing.offline
import cn.huijiao.testing.online
import cn.huijiao.testing.person
import cn.huijiao.testing.preparePhone
import cn.huijiao.testing.press
import cn.huijiao.testing.pressRow
import cn.huijiao.testing.putAway
import cn.huijiao.testing.screenshot
import cn.huijiao.testing.shownAgain
import cn.huijiao.testing.text
import cn.huijiao.testing.texts
import cn.huijiao.testing.tick
import cn.huijiao.testing.type
import cn.huijiao.testing.until
import cn.huijiao.testing.view
import cn.huijiao.ui.Device
import cn.huijiao.ui.LiveService
import cn.huijiao.ui.PlacePickerActivity
import cn.huijiao.ui.ScanActivity
import cn.huijiao.ui.ScreenActivity
import cn.huijiao.ui.Session
import cn.huijiao.ui.SignInActivity
import java.time.LocalDate
import java.time.ZoneId
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.annotation.GraphicsMode
import org.robolectric.shadows.ShadowDialog
import android.webkit.WebView
import uniffi.huijiao_core.ParticipationStatus
import uniffi.huijiao_core.RollCallStart
import uniffi.huijiao_core.SanctionDecision
import uniffi.huijiao_core.SanctionProposal
import uniffi.huijiao_core.ServiceActivityCreate
import uniffi.huijiao_core.ServiceKind

/** 在矫通 on the JVM against the live server, the real core under it. */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34], application = SuperviseeApp::class, qualifiers = "zh-rCN")
@GraphicsMode(GraphicsMode.Mode.NATIVE)
class SuperviseeTest {
    private val app = RuntimeEnvironment.getApplication() as SuperviseeApp

    @Before
    fun phone() {
        preparePhone(app)
        shadowOf(app).grantPermissions(Manifest.permission.CAMERA, Manifest.permission.ACCESS_FINE_LOCATION)
    }

    @After
    fun stopLive() {
        offline()
    }

    /** Signs `user` in through the sign-in screen; the home it opens. */
    private fun signIn(user: String): TodayActivity {
        val signIn = Robolectric.buildActivity(SignInActivity::class.java).setup().get()
        assertEquals("登录", signIn.text("title"))
        signIn.press("submit")
        until("the fields' problems") { signIn.text("username")?.let { signIn.texts().takeIf { "请输入用户名" in it } } }
        signIn.type("username", user)
        signIn.type("password", cn.huijiao.testing.PASSWORD)
        signIn.screenshot("supervisee-sign-in")
        signIn.press("submit")
        return next(app)
    }

    @Test
    fun signsInSeesWhatIsDueAndChecksInWithTheCamera() {
        // The officer enrols the person's face (the reference photo of the office).
        val officer = person("officer.donggang")
        val caseId = runBlocking { person("sv.maxiaojun", "demo-phone").me().caseId!! }
        runBlocking { officer.checkins().enrolFace(caseId, listOf(Photos.read("reference.jpg"))) }

        val today = signIn("sv.maxiaojun")
        until("today's items") { today.texts().takeIf { "今日事项" in it && "人脸签到" in it } }
        today.screenshot("supervisee-today")
        today.pressRow("人脸签到")

        val checkin = next<CheckinActivity>(app)
        val gps = shadowOf(app.getSystemService(LocationManager::class.java))
        gps.setProviderEnabled(LocationManager.GPS_PROVIDER, true)
        until("the start button") { checkin.view("start")?.takeIf { it.isEnabled } }
        checkin.press("start")
        until("a location asked for") { checkin.texts().firstOrNull { it.startsWith("正在获取位置") } }
        gps.simulateLocation(
            Location(LocationManager.GPS_PROVIDER).apply {
                latitude = 36.05
                longitude = 103.83
                accuracy = 15f
                time = System.currentTimeMillis()
            },
        )
        // Each pose the core asks for, photographed by the camera the test hands in.
        var shots = 0
        while (checkin.text("outcome") == null && shots < 4) {
            until("the camera button") { checkin.view("capture")?.takeIf { it.isEnabled } ?: checkin.view("outcome") }
            if (checkin.text("outcome") != null) break
            checkin.press("capture")
            shots += 1
            until("the next step") { if (checkin.text("outcome") != null || shots < 4) Unit else null }
            Thread.sleep(200)
        }
        val outcome = until("the outcome") { checkin.text("outcome") }
        checkin.screenshot("supervisee-checkin")
        assertEquals(checkin.texts().toString(), "签到成功", outcome)
        assertTrue(shots >= 2)
    }

    @Test
    fun aLeaveWithTooLittleNoticeIsExplainedBeforeAnythingIsSent() {
        val form = leaveForm("sv.sunlixin")
        // No offline map on this phone: the form says so and the destination cannot be picked.
        assertTrue(form.enabled("destination.pick"))

        form.choose("reason", "家庭事务")
        form.type("reason_text", "探望住院的母亲")
        form.type("contact", "13800000000")
        val tomorrow = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(1)
        pickDate(form, "start", tomorrow)
        pickDate(form, "end", tomorrow.plusDays(1))
        until("the notice rule, said") { form.text("urgent.error")?.takeIf { it.isNotEmpty() } }
        assertFalse("nothing is sent with too little notice", form.enabled("submit"))
        form.screenshot("supervisee-leave-form")

        // Marked urgent, the rule says it goes as urgent; the destination is still missing.
        form.tick("urgent")
        until("the urgent note") { form.texts().firstOrNull { it.startsWith("提前不足 3 天") } }
        assertTrue(form.texts().toString(), "请选择目的地" in form.texts())
        assertFalse(form.enabled("submit"))
        val mine = runBlocking { Session.client.requests().leavesOf(Session.caseId()!!) }
        assertTrue("nothing was sent: $mine", mine.isEmpty())
    }

    @Test
    fun anApprovalReachesTheLeaveListThroughTheLiveSocket() {
        // A leave asked for on the phone, its destination chosen without a map.
        val form = leaveForm("sv.wuguilan")
        form.choose("reason", "家庭事务")
        form.type("reason_text", "探望父亲")
        form.press("destination.pick")
        val picker = next<PlacePickerActivity>(app)
        picker.type("search", "陇南")
        until("the search") { picker.texts().takeIf { "陇南市" in it } }
        picker.pressRow("陇南市")
        until("its counties") { picker.texts().takeIf { "武都区" in it } }
        assertFalse(picker.enabled("done"))
        picker.pressRow("武都区")
        picker.type("detail", "东江镇")
        until("the place, whole") { picker.view("done")?.takeIf { it.isEnabled } }
        picker.screenshot("supervisee-place-picker")
        picker.press("done")
        until("the picker, closed") { picker.takeIf { it.isFinishing } }
        form.shownAgain()
        until("the destination") { form.text("destination")?.takeIf { it == "甘肃省陇南市武都区 东江镇" } }
        form.type("contact", "13800000001")
        val start = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(20)
        pickDate(form, "start", start)
        pickDate(form, "end", start.plusDays(1))
        until("the form to hold") { form.view("submit")?.takeIf { it.isEnabled } }
        form.press("submit")
        val list = next<LeavesActivity>(app)
        until("the leave, waiting") { list.texts().firstOrNull { "待审批" in it } }

        // The live connection, as the home started it.
        online()
        until("the socket") { cn.huijiao.ui.Live.state?.takeIf { it is uniffi.huijiao_core.StreamState.Connected } }

        // The person puts the phone away; the officer approves on their side: a notice says
        // so, and opens the list, which shows it.
        list.putAway()
        val officer = person("officer.xiyuan")
        runBlocking {
            val queue = officer.queueScreen(null)
            val line = queue.refresh().lines.first { it.subject.contains("陇南市") }
            val decision = queue.decide(line.id)!!
            decision.setOpinion("同意")
            decision.approve()
        }
        val notice = until("the notice") { notices().firstOrNull { it.channelId == "requests" } }
        assertEquals("我的请假：已批准", notice.extras.getString(Notification.EXTRA_TEXT))
        assertEquals(LeavesActivity::class.java.name, shadowOf(notice.contentIntent).savedIntent.component?.className)
        assertEquals(null, notice.fullScreenIntent)
        list.shownAgain()
        until("the approval, shown") { list.texts().firstOrNull { "已批准" in it } }
        list.screenshot("supervisee-leaves")
    }

    @Test
    fun aLessonAsksForAFaceCheckAndLeadsToIt() {
        // A face is enrolled: the lesson's face checks have something to check against.
        val caseId = runBlocking { person("sv.yangmei", "demo-phone").me().caseId!! }
        runBlocking { person("officer.donggang").checkins().enrolFace(caseId, listOf(Photos.read("reference.jpg"))) }
        val today = signIn("sv.yangmei")
        until("today") { today.texts().takeIf { "本月教育学习" in it } }
        today.pressRow("本月教育学习")
        val study = next<StudyActivity>(app)
        until("the courses") { study.texts().takeIf { "社区矫正对象须知" in it } }
        study.pressRow("社区矫正对象须知")
        val first = until("the lessons") { study.texts().takeIf { it.any { t -> t.startsWith("视频") || t.startsWith("图文") || t.contains("至少学习") } } }
        val lessonTitle = study.texts()[study.texts().indexOfFirst { it.contains("至少学习") } - 1]
        study.pressRow(lessonTitle)
        val lesson = next<LessonActivity>(app)
        try {
            until("the face check, asked") { lesson.text("face-check")?.takeIf { it.startsWith("请在") } }
        } catch (e: AssertionError) {
            throw AssertionError("${e.message}: ${lesson.texts()}")
        }
        lesson.screenshot("supervisee-lesson")
        lesson.press("face-check.go")
        next<CheckinActivity>(app)
        assertTrue(first.isNotEmpty())
    }

    @Test
    fun aRingingRollCallIsAnsweredOnTheServersPage() {
        // 孙立新's face is enrolled, so that he can be called.
        val caseId = runBlocking { person("sv.sunlixin", "demo-phone").me().caseId!! }
        val officer = person("officer.yannan")
        runBlocking { officer.checkins().enrolFace(caseId, listOf(Photos.read("reference.jpg"))) }
        shadowOf(app).grantPermissions(Manifest.permission.RECORD_AUDIO)
        val today = signIn("sv.sunlixin")
        until("today") { today.texts().takeIf { "今日事项" in it } }
        // The officer calls; Today hears it through the live socket.
        online()
        until("the socket") { cn.huijiao.ui.Live.state as? uniffi.huijiao_core.StreamState.Connected }
        val started = runBlocking { officer.rollCalls().start(RollCallStart(listOf(caseId), null, null)) }
        assertEquals("${started.skipped}", 1, started.started.size)
        try {
            until("the call, ringing on Today") { today.texts().takeIf { "视频点名" in it } }
        } catch (e: AssertionError) {
            throw AssertionError("${e.message}: ${today.texts()}")
        }
        // It rings as a call does, over whatever is shown: full screen, opening the call.
        val ringing = until("the ringing notice") { notices().firstOrNull { it.channelId == "roll_call" } }
        assertEquals("视频点名", ringing.extras.getString(Notification.EXTRA_TITLE))
        assertEquals(Notification.CATEGORY_CALL, ringing.category)
        assertEquals(RollCallActivity::class.java.name, shadowOf(ringing.fullScreenIntent).savedIntent.component?.className)
        val channel = app.getSystemService(NotificationManager::class.java).getNotificationChannel("roll_call")
        assertEquals(NotificationManager.IMPORTANCE_HIGH, channel.importance)
        today.pressRow("视频点名")
        val call = next<RollCallActivity>(app)
        until("the answer button") { call.view("answer") }
        call.screenshot("supervisee-roll-call")
        call.press("answer")
        val web = until("the answer page") { call.view("call") as? WebView }
        val loaded = shadowOf(web).lastLoadedUrl
        assertTrue(loaded, loaded.startsWith(Server.base + "/roll-call#id="))
    }

    @Test
    fun communityServiceIsSignedUpForAndCheckedInWithTheOrganisersCode() {
        // The office schedules an activity starting in 20 minutes (checking in is open), run
        // on site by a volunteer, whose phone shows its code.
        val officer = person("officer.donggang")
        val organiser = person("volunteer.donggang")
        val code = runBlocking {
            val unit = officer.org().units().first { it.name == "东岗司法所" }
            val now = java.time.Instant.now()
            val activity = officer.service().createActivity(
                ServiceActivityCreate(
                    unit.id, "敬老院陪伴老人", ServiceKind.ELDERLY_CARE, "东岗街道敬老院", 36.0612, 103.8343, 200u,
                    now.plusSeconds(20 * 60), now.plusSeconds(140 * 60), 3u, organiser.me().id, null,
                ),
            )
            organiser.service().code(activity.id)
        }
        val today = signIn("sv.maxiaojun")
        until("the menu") { today.texts().takeIf { "本月公益活动" in it } }
        today.pressRow("本月公益活动")
        val service = next<ServiceActivity>(app)
        val id = code.activityId
        until("the activity") { service.view("activity.$id.sign_up")?.takeIf { it.isEnabled } }
        assertTrue(service.texts().toString(), service.texts().any { "东岗街道敬老院" in it })
        service.press("activity.$id.sign_up")
        // Signed up: the scan is offered, but waits for the phone's fix.
        val scan = until("the scan button") { service.view("activity.$id.scan") }
        assertFalse(scan.isEnabled)
        val gps = shadowOf(app.getSystemService(LocationManager::class.java))
        gps.setProviderEnabled(LocationManager.GPS_PROVIDER, true)
        service.shownAgain() // the fix is asked for as the screen shows
        gps.simulateLocation(
            Location(LocationManager.GPS_PROVIDER).apply {
                latitude = 36.0613
                longitude = 103.8343
                accuracy = 8f
                time = System.currentTimeMillis()
            },
        )
        until("the scan, allowed") { service.view("activity.$id.scan")?.takeIf { it.isEnabled } }
        service.screenshot("supervisee-service")
        val camera = QrCamera(code.qr)
        Device.scanner = { camera }
        service.press("activity.$id.scan")
        val scanner = next<ScanActivity>(app)
        until("the code, read") { scanner.takeIf { it.isFinishing } }
        assertTrue("a blank picture first, then the code: ${camera.taken}", camera.taken >= 2)
        until("checked in") { service.texts().firstOrNull { it.startsWith("已签到") } }
        val mine = runBlocking { person("sv.maxiaojun", "demo-phone").service().activity(id) }
        assertEquals(ParticipationStatus.CHECKED_IN, mine.participation?.status)
    }

    @Test
    fun aMoveIsAskedForWithTheNewHomeChosenWithoutAMap() {
        val today = signIn("sv.yangmei")
        until("the menu") { today.texts().takeIf { "居住地变更申请" in it } }
        today.pressRow("居住地变更申请")
        val move = next<MoveActivity>(app)
        val offices = until("the offices") { (move.view("unit") as? RadioGroup)?.takeIf { it.childCount > 1 } }
        val xiyuan = (0 until offices.childCount).map { (offices.getChildAt(it) as RadioButton).text.toString() }
            .first { "西园司法所" in it }
        move.choose("unit", xiyuan)
        assertFalse(move.enabled("submit"))
        assertTrue(move.texts().toString(), "请选择新居住地所在的区县" in move.texts())

        move.press("place")
        val picker = next<PlacePickerActivity>(app)
        picker.type("search", "七里河")
        until("the district") { picker.texts().takeIf { "七里河区" in it } }
        picker.pressRow("七里河区")
        picker.type("detail", "西津西路 16 号")
        until("the place, whole") { picker.view("done")?.takeIf { it.isEnabled } }
        picker.press("done")
        until("the picker, closed") { picker.takeIf { it.isFinishing } }
        move.shownAgain()
        until("the new home") { move.text("address")?.takeIf { it == "甘肃省兰州市七里河区 西津西路 16 号" } }

        // The day: 40 days ahead (the notice is 30 by default); the reason.
        val now = LocalDate.now(ZoneId.of("Asia/Shanghai"))
        val day = now.plusDays(40)
        val year = if (day.year == now.year) "" else "${day.year}年"
        pickDate(move, "move_date", day, shown = "$year${day.monthValue}月${day.dayOfMonth}日")
        move.type("reason", "随子女迁居")
        until("the form to hold") { move.view("submit")?.takeIf { it.isEnabled } }
        move.screenshot("supervisee-move")
        move.press("submit")
        until("sent") { move.texts().firstOrNull { it == "已提交，等待审批" } }
        until("listed, waiting") { move.texts().firstOrNull { it == "甘肃省兰州市七里河区 西津西路 16 号" } }
        assertTrue(move.texts().toString(), move.texts().any { "待审批" in it })
    }

    @Test
    fun aDecisionIsReadAndAcknowledged() {
        // The office proposes an admonition; the county decides it.
        val caseId = runBlocking { person("sv.maxiaojun", "demo-phone").me().caseId!! }
        val proposed = runBlocking {
            person("officer.donggang").sanctions().propose(caseId, SanctionProposal("admonition.minor_rule_breach", "未按规定时间报告"))
        }
        runBlocking { person("officer.chengguan").sanctions().decide(proposed.id, SanctionDecision(true, "情况属实", proposed.version)) }

        val today = signIn("sv.maxiaojun")
        until("the menu") { today.texts().takeIf { "决定与提醒" in it } }
        today.pressRow("决定与提醒")
        val decisions = next<DecisionsActivity>(app)
        until("the decision") { decisions.view("decision.${proposed.id}.ack") }
        assertTrue(decisions.texts().toString(), "训诫" in decisions.texts())
        assertTrue(decisions.texts().toString(), decisions.texts().any { it.contains("未按规定时间报告") })
        decisions.screenshot("supervisee-decisions")
        decisions.press("decision.${proposed.id}.ack")
        until("acknowledged") { if (decisions.view("decision.${proposed.id}.ack") == null) Unit else null }
        val after = runBlocking { person("officer.donggang").sanctions().get(proposed.id) }
        assertTrue("$after", after.acknowledgedAt != null)
    }

    @Test
    fun thePhoneReportsWhereItIsOncePerInterval() {
        signIn("sv.maxiaojun")
        val gps = shadowOf(app.getSystemService(LocationManager::class.java))
        gps.setProviderEnabled(LocationManager.GPS_PROVIDER, true)
        online()
        val fix = { lat: Double, at: Long ->
            Location(LocationManager.GPS_PROVIDER).apply {
                latitude = lat
                longitude = 103.8343
                accuracy = 12f
                time = at
            }
        }
        val now = System.currentTimeMillis()
        val caseId = runBlocking { Session.caseId()!! }
        val officer = person("officer.donggang")
        // The tracker asks the server for the interval first, then listens.
        until("the tracker listening") { if (gps.getLocationUpdateListeners().isNotEmpty()) Unit else null }
        gps.simulateLocation(fix(36.0611, now))
        until("the position, on the officer's map") {
            runBlocking { officer.locations().positions() }.firstOrNull { it.caseId == caseId && Math.abs(it.lat - 36.0611) < 1e-6 }
        }
        // A minute later is within the interval: nothing more is sent.
        gps.simulateLocation(fix(36.0622, now + 60_000))
        Thread.sleep(1500)
        val shown = runBlocking { officer.locations().positions() }.first { it.caseId == caseId }
        assertEquals(36.0611, shown.lat, 1e-6)
    }

    /** Signs `user` in, and opens a new leave request from their list of leaves. */
    /** The notifications posted, newest last. */
    private fun notices(): List<Notification> =
        shadowOf(app.getSystemService(NotificationManager::class.java)).allNotifications

    private fun leaveForm(user: String): LeaveFormActivity {
        val today = signIn(user)
        until("today") { today.texts().takeIf { "我的请假" in it } }
        today.pressRow("我的请假")
        val leaves = next<LeavesActivity>(app)
        until("the list") { leaves.view("apply") }
        leaves.press("apply")
        return next(app)
    }

    /** Picks `day` in the date dialog under `key`; the button then shows `shown` (the day by default). */
    private fun pickDate(form: ScreenActivity, key: String, day: LocalDate, shown: String = day.toString()) {
        form.press(key)
        val dialog = ShadowDialog.getLatestDialog() as DatePickerDialog
        dialog.updateDate(day.year, day.monthValue - 1, day.dayOfMonth)
        dialog.getButton(DialogInterface.BUTTON_POSITIVE).performClick()
        until("the date, shown") { form.text(key)?.takeIf { it == shown } }
    }
}
