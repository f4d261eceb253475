// The generated Kotlin bindings on the JVM against a live server (started by
// scripts/test-bindings.sh): every role signs in, errors arrive as actionable exceptions,
// the outbox delivers a batch once, a live event reaches a listener. Prints "N passed, N failed".

import java.time.Instant
import java.time.LocalDate
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.runBlocking
import uniffi.huijiao_core.*
import uniffi.huijiao_mobile.*

const val PASSWORD = "Huijiao-Demo-2026"
const val DEVICE = "demo-phone"

class Keychain : TokenStore {
    @Volatile var tokens: Tokens? = null
    override fun load(): Tokens? = tokens
    override fun save(tokens: Tokens) { this.tokens = tokens }
    override fun clear() { tokens = null }
}

class Ears : EventListener {
    val heard = LinkedBlockingQueue<Any>()
    override fun onEvent(event: EventView) { heard.put(event) }
    override fun onState(state: StreamState) { heard.put(state) }

    fun <T> next(timeoutSeconds: Long = 15, want: (Any) -> T?): T {
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds)
        while (System.nanoTime() < deadline) {
            val item = heard.poll(200, TimeUnit.MILLISECONDS) ?: continue
            want(item)?.let { return it }
        }
        throw AssertionError("nothing heard in time")
    }
}

var passed = 0
var failed = 0

fun check(name: String, body: suspend () -> Unit) {
    try {
        runBlocking { body() }
        passed++
        println("ok   $name")
    } catch (e: Throwable) {
        failed++
        println("FAIL $name: $e")
    }
}

fun expect(condition: Boolean, message: String) {
    if (!condition) throw AssertionError(message)
}

fun main() {
    val base = System.getenv("HUIJIAO_BASE") ?: error("HUIJIAO_BASE is not set")
    val outboxDir = System.getenv("HUIJIAO_OUTBOX_DIR") ?: error("HUIJIAO_OUTBOX_DIR is not set")
    fun client(device: String? = null) = HuijiaoClient(base, device, Keychain(), "zh-CN")

    check("every role signs in") {
        for ((user, role, device) in listOf(
            Triple("officer.donggang", Role.OFFICER, null),
            Triple("volunteer.donggang", Role.VOLUNTEER, null),
            Triple("sv.maxiaojun", Role.SUPERVISEE, DEVICE),
        )) {
            val me = client(device).login(user, PASSWORD)
            expect(me.role == role, "$user is ${me.role}")
        }
    }

    check("the supervisee signs in and reads Today through the screen models") {
        val sv = client(DEVICE)
        val screen = sv.signInScreen()
        var state = screen.submit()
        expect(state.errors.map { it.field } == listOf("username", "password"), "${state.errors}")
        expect(state.errors[0].message == "请输入用户名", state.errors[0].message)
        screen.setUsername("sv.maxiaojun")
        screen.setPassword(PASSWORD)
        state = screen.submit()
        expect(state.route == Route.SUPERVISEE_TODAY, "${state.route}")
        val outbox = HuijiaoOutbox.open("$outboxDir/today.db", sv)
        val today = sv.todayScreen(sv.me().caseId!!, outbox)
        val shown = today.refresh()
        expect(shown.title == "今日事项" && !shown.freshness.offline, "${shown.freshness}")
        expect(shown.items.any { it.kind == DueKind.CHECKIN }, "${shown.items}")
        expect(shown.items.none { it.detail.contains('_') }, "${shown.items}")
    }

    check("the officer decides a leave from the work queue through the screen models") {
        val sv = client(DEVICE)
        val caseId = sv.login("sv.maxiaojun", PASSWORD).caseId!!
        val form = sv.leaveFormScreen(caseId)
        form.setReason("family")
        form.setReasonText("探望父亲")
        form.setDestination("陇南市", 33.40, 104.92)
        form.setContact("13800000000")
        val today = LocalDate.now()
        form.setDates(today.plusDays(50).toString(), today.plusDays(51).toString())
        val sent = form.submit().sent!!
        val officer = client()
        officer.login("officer.donggang", PASSWORD)
        val queue = officer.queueScreen(null)
        val line = queue.refresh().lines.first { it.id == sent }
        expect(line.title == "请假审批" && line.subject == "家庭事务（陇南市）", "$line")
        val decision = queue.decide(sent)!!
        expect(decision.state().facts.any { it.label == "目的地" && it.value == "陇南市" }, "${decision.state().facts}")
        decision.setOpinion("同意")
        val decided = decision.approve()
        expect(decided.route == Route.OFFICER_QUEUE && decided.message == "已作出决定：已批准", "$decided")
    }

    check("the volunteer logs help through the screen models") {
        val vol = client()
        vol.login("volunteer.donggang", PASSWORD)
        val people = vol.peopleScreen(null)
        val person = people.refresh().people.first()
        expect(person.name.contains("*"), person.name)
        val log = people.logHelp(person.caseId)!!
        log.setKind("talk")
        log.setBegan(Instant.now().minusSeconds(5400))
        log.setMinutes(40u)
        log.setNotes("谈心谈话，了解家庭情况。")
        val state = log.submit()
        expect(state.done && state.message == "已提交，等待工作人员确认", "$state")
    }

    check("a wrong password is Unauthorized with its code") {
        try {
            client().login("officer.donggang", "not-the-password-1")
            throw AssertionError("signed in with a wrong password")
        } catch (e: HuijiaoException.Unauthorized) {
            expect(e.code == "auth.invalid_credentials", e.code)
        }
    }

    check("the outbox delivers a batch once") {
        val sv = client(DEVICE)
        val caseId = sv.login("sv.maxiaojun", PASSWORD).caseId!!
        val box = HuijiaoOutbox.open("$outboxDir/kotlin-outbox.db", sv)
        val now = Instant.now()
        val points = (0 until 3).map {
            LocationPointIn(36.05, 103.83 + it * 1e-4, 9.0, now.minusSeconds(30L - it), null,
                LocationProvider.GPS, false, 60u.toUByte())
        }
        box.enqueueLocations(points)
        val report = box.flush()
        expect(report.sent == 1u, "sent ${report.sent}")
        expect(box.flush().sent == 0u, "sent twice")
        expect(box.items().single().state == OutboxState.SENT, "not marked sent")
        val officer = client()
        officer.login("officer.donggang", PASSWORD)
        expect(officer.locations().positions().any { it.caseId == caseId }, "no position for the case")
    }

    check("a live event reaches the listener") {
        val sv = client(DEVICE)
        val caseId = sv.login("sv.maxiaojun", PASSWORD).caseId!!
        val officer = client()
        officer.login("officer.donggang", PASSWORD)
        val ears = Ears()
        val subscription = sv.subscribeEvents(ears)
        ears.next { if (it is StreamState.Connected) it else null }
        val today = LocalDate.now()
        val leave = sv.requests().applyLeave(caseId, LeaveCreateRequest(
            LeaveReason.WORK, "出差", Place("天水", 34.58, 105.72),
            today.plusDays(8).toString(), today.plusDays(9).toString(), "13800000000",
            false, false, true))
        officer.requests().decideLeave(leave.id, false, LeaveDecisionRequest(leave.version, "不同意"))
        val submitted = ears.next { it as? EventView }
        expect(submitted.payload.contains("\"submitted\""), submitted.payload)
        val event = ears.next { it as? EventView }
        expect(event.kind == "leave" && event.caseId == caseId, "heard ${event.kind}")
        expect(event.payload.contains("\"rejected\""), event.payload)
        subscription.cancel()
    }

    check("a volunteer logs a help session, the office confirms it, its certificate checks out") {
        val vol = client()
        val me = vol.login("volunteer.donggang", PASSWORD)
        val caseId = vol.cases().list().first().id
        val logged = vol.help().logSession(caseId, HelpSessionNew(
            java.util.UUID.randomUUID().toString(), Instant.now().minusSeconds(7200), 60u,
            HelpKind.PHONE_CALL, null, "电话了解近况，情绪平稳。", listOf(), null))
        expect(logged.status == HelpStatus.LOGGED, "${logged.status}")
        val officer = client()
        officer.login("officer.donggang", PASSWORD)
        val done = officer.help().reviewSession(logged.id, HelpSessionReview(true, null, logged.version))
        expect(done.status == HelpStatus.CONFIRMED, "${done.status}")
        val month = vol.help().serviceRecord(me.id, null).months.last().month
        val cert = officer.help().issueCertificate(me.id, month, month)
        val checked = client().help().checkCertificate(cert.number)
        expect(checked.minutes == cert.minutes && checked.minutes >= 60u, "${checked.minutes}")
    }

    check("a supervisee sees the community service they signed up for; the volunteer organising it sees them masked") {
        val sv = client(DEVICE)
        val caseId = sv.login("sv.maxiaojun", PASSWORD).caseId!!
        val mine = sv.service().activities(null).filter { it.participation != null }
        expect(mine.any { it.participation!!.status == ParticipationStatus.SIGNED_UP }, "$mine")
        val coming = mine.first { it.participation!!.status == ParticipationStatus.SIGNED_UP }
        val vol = client()
        vol.login("volunteer.donggang", PASSWORD)
        val roster = vol.service().roster(coming.id)
        expect(roster.map { it.caseId } == listOf(caseId) && roster[0].name.contains("*"), "$roster")
        val month = sv.service().month(caseId, null)
        expect(month.owedMinutes > 0u, "${month.owedMinutes}")
    }

    check("the same rules as the server") {
        val sv = client(DEVICE)
        sv.login("sv.maxiaojun", PASSWORD)
        val jurisdiction = sv.requests().rules()
        val rules = jurisdiction.leave
        expect(rules.officeMaxDays == 7L, "office max ${rules.officeMaxDays}")
        val today = LocalDate.now()
        val a = assessLeave(rules, today.toString(), today.plusDays(5).toString(), today.plusDays(14).toString(),
            listOf(), listOf(), false)
        expect(a.requiredLevel == ApprovalLevel.COUNTY_AGENCY, "${a.requiredLevel}")
        val b = assessLeave(rules.copy(officeMaxDays = 10L), today.toString(), today.plusDays(5).toString(),
            today.plusDays(14).toString(), listOf(), listOf(), false)
        expect(b.requiredLevel == ApprovalLevel.JUDICIAL_OFFICE, "another jurisdiction: ${b.requiredLevel}")
        expect(locationIntervalMinutes(jurisdiction.supervision, SupervisionLevel.NORMAL, false) == 30u, "interval")
    }

    println("Kotlin: $passed passed, $failed failed")
    kotlin.system.exitProcess(if (failed == 0) 0 else 1)
}
