package cn.huijiao.officer

import cn.huijiao.testing.PASSWORD
import cn.huijiao.testing.next
import cn.huijiao.testing.person
import cn.huijiao.testing.preparePhone
import cn.huijiao.testing.press
import cn.huijiao.testing.pressRow
import cn.huijiao.testing.screenshot
import cn.huijiao.testing.text
import cn.huijiao.testing.texts
import cn.huijiao.testing.type
import cn.huijiao.testing.until
import cn.huijiao.testing.view
import cn.huijiao.testing.choose
import cn.huijiao.ui.PasswordActivity
import cn.huijiao.ui.SettingsActivity
import cn.huijiao.ui.Session
import cn.huijiao.ui.SignInActivity
import java.time.LocalDate
import java.time.ZoneId
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
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
import uniffi.huijiao_core.CheckinRequestStatus
import uniffi.huijiao_core.LeaveCreateRequest
import uniffi.huijiao_core.LeaveReason
import uniffi.huijiao_core.Place

/** 矫务通 on the JVM against the live server, the real core under it. */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34], application = OfficerApp::class, qualifiers = "zh-rCN")
@GraphicsMode(GraphicsMode.Mode.NATIVE)
class OfficerTest {
    private val app = RuntimeEnvironment.getApplication() as OfficerApp

    @Before
    fun phone() = preparePhone(app)

    private fun signIn(user: String): QueueActivity {
        val signIn = Robolectric.buildActivity(SignInActivity::class.java).setup().get()
        signIn.type("username", user)
        signIn.type("password", PASSWORD)
        signIn.press("submit")
        return next(app)
    }

    @Test
    fun theCaseloadFindsAPersonAndAsksForACheckInNow() {
        val caseId = runBlocking { person("sv.maxiaojun", "demo-phone").me().caseId!! }
        val queue = signIn("officer.donggang")
        until("the menu") { queue.texts().takeIf { "矫正对象" in it } }
        queue.pressRow("矫正对象")
        val cases = next<CasesActivity>(app)
        until("the caseload") { cases.texts().takeIf { "马小军" in it } }
        cases.type("search", "没有这个人")
        until("no one") { cases.texts().takeIf { "没有符合条件的矫正对象。" in it } }
        cases.type("search", "马小")
        until("him") { cases.texts().takeIf { "马小军" in it } }
        cases.screenshot("officer-cases")
        cases.pressRow("马小军")
        val case = next<CaseActivity>(app)
        until("his case") { case.view("request_checkin")?.takeIf { it.isEnabled } }
        case.press("request_checkin")
        until("asked, said") { case.text("message")?.takeIf { it.startsWith("已要求即时签到") } }
        case.screenshot("officer-case")
        val asked = runBlocking { person("officer.donggang").checkins().checkinRequestsOf(caseId) }
        assertTrue("$asked", asked.any { it.status == CheckinRequestStatus.OPEN })
    }

    @Test
    fun theQueueShowsALeaveAndTheOfficerApprovesIt() {
        // 马小军 asks for leave on his phone.
        val sv = person("sv.maxiaojun", "demo-phone")
        val start = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(30)
        runBlocking {
            sv.requests().applyLeave(
                sv.me().caseId!!,
                LeaveCreateRequest(
                    reasonCategory = LeaveReason.MEDICAL,
                    reasonText = "复查",
                    destination = Place("兰州大学第一医院", 36.06, 103.82),
                    startDate = start.toString(),
                    endDate = start.plusDays(1).toString(),
                    contactWhileAway = "13800000000",
                    urgent = false,
                    standing = false,
                    submit = true,
                ),
            )
        }
        val queue = signIn("officer.donggang")
        val title = try {
            until("the leave in the queue") { queue.texts().firstOrNull { it == "请假审批" } }
        } catch (e: AssertionError) {
            throw AssertionError("${e.message}: ${queue.texts()}")
        }
        queue.screenshot("officer-queue")
        assertTrue(queue.texts().toString(), queue.texts().any { it.contains("兰州大学第一医院") })
        queue.pressRow(title)
        val decide = next<DecideActivity>(app)
        until("the facts") { decide.texts().takeIf { "兰州大学第一医院" in it } }
        decide.type("opinion", "同意，按时返回")
        decide.screenshot("officer-decide")
        decide.press("approve")
        val back = next<QueueActivity>(app)
        until("the decision, said") { back.texts().firstOrNull { it.startsWith("已作出决定") } ?: decide.text("message")?.takeIf { it.startsWith("已作出决定") } }
        val leaves = runBlocking { sv.requests().leavesOf(sv.me().caseId!!) }
        assertEquals("APPROVED", leaves.single { it.destination.name == "兰州大学第一医院" }.status.name)
    }

    @Test
    fun settingsSwitchTheLanguageAndSignOut() {
        val queue = signIn("officer.chengguan")
        until("the menu") { queue.texts().takeIf { "设置" in it } }
        queue.pressRow("设置")
        val settings = next<SettingsActivity>(app)
        until("the account") { settings.text("account")?.takeIf { it.contains("社区矫正工作人员") } }
        settings.screenshot("officer-settings")
        // English, chosen here: the core speaks it from then on.
        settings.choose("language", until("the languages") { settings.texts().firstOrNull { it == "English" } })
        val english = until("the screen again") { Robolectric.buildActivity(SettingsActivity::class.java).setup().get() }
        until("settings in English") { english.text("title")?.takeIf { it == "Settings" } }
        english.press("sign-out")
        next<SignInActivity>(app)
        assertFalse(Session.client.isSignedIn())
        Session.useLanguage("zh-CN")
    }

    @Test
    fun aRefusalShowsItsReasonAndDoesNotSignOut() {
        signIn("officer.yannan")
        val password = Robolectric.buildActivity(PasswordActivity::class.java).setup().get()
        password.type("current", "not-the-password-1")
        password.type("new", "A-new-Password-2026")
        password.type("confirm", "A-new-Password-2026")
        until("the form to hold") { password.view("submit")?.takeIf { it.isEnabled } }
        password.press("submit")
        // 403 auth.password_wrong: the server's words, by the field; still signed in.
        until("the refusal") { password.texts().firstOrNull { it == "当前密码不正确。" } }
        password.screenshot("officer-password-refused")
        assertTrue(Session.client.isSignedIn())
        assertNull("nothing opened (no sign-in)", shadowOf(app).nextStartedActivity)
        runBlocking { Session.client.me() }
    }
}
