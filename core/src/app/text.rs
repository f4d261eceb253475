//! Every sentence the apps show a person, in zh-CN and English, in one catalogue: the screens
//! say things through `Text::say`, never with a string of their own, and the platforms say
//! nothing the core already says. Codes' words are in `labels`; the server's messages come in
//! the language the client asked for.

use chrono::{DateTime, Datelike, Utc};

use crate::error::Lang;
use crate::policy::calendar::{local_date, local_offset, Month};

macro_rules! texts {
    ($($key:ident: $zh:literal, $en:literal;)+) => {
        /// A sentence of the apps; `{0}`, `{1}`… are filled in by `say`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Text { $($key),+ }

        impl Text {
            pub const ALL: &'static [Text] = &[$(Text::$key),+];

            /// The sentence in Chinese and in English, placeholders unfilled.
            pub fn words(self) -> (&'static str, &'static str) {
                match self { $(Text::$key => ($zh, $en)),+ }
            }
        }
    };
}

texts! {
    // Sign-in.
    SignInTitle: "登录", "Sign in";
    UsernameLabel: "用户名", "User name";
    PasswordLabel: "密码", "Password";
    SignInAction: "登录", "Sign in";
    UsernameMissing: "请输入用户名", "Enter your user name";
    PasswordMissing: "请输入密码", "Enter your password";
    Busy: "正在处理，请稍候", "Working on it, please wait";
    // Reaching the server.
    Offline: "无法连接服务器，请检查网络后重试。", "Cannot reach the server: check the network and try again.";
    ShownAsOf: "无法连接服务器，以下是{0}的信息", "Offline: this is what was known {0}";
    UpdatedAt: "{0}更新", "Updated {0}";
    JustNow: "刚刚", "just now";
    MinutesAgo: "{0} 分钟前", "{0} min ago";
    HoursAgo: "{0} 小时前", "{0} h ago";
    NeverLoaded: "尚未取得信息，请联网后重试。", "Nothing loaded yet: connect and try again.";
    SignInAgain: "登录已失效，请重新登录。", "Your session has ended: sign in again.";
    // Times.
    TodayAt: "今天 {0}", "today {0}";
    TomorrowAt: "明天 {0}", "tomorrow {0}";
    YesterdayAt: "昨天 {0}", "yesterday {0}";
    // Today (supervisee).
    TodayTitle: "今日事项", "Today";
    NothingDue: "今天没有待办事项。", "Nothing is due today.";
    CheckinTitle: "人脸签到", "Face check-in";
    CheckinDue: "请在{0}前完成本期签到", "Check in before {0}";
    CheckinDone: "本期签到已完成，下期从{0}起", "Done for this period; the next one starts {0}";
    CheckinAsked: "工作人员要求即时签到，请在{0}前完成", "Your officer asks you to check in now, before {0}";
    CheckinStart: "点击开始签到，再按提示拍摄", "Tap to start, then follow the prompts";
    CheckinStartFirst: "请先开始签到", "Start the check-in first";
    NeedLocation: "正在获取位置，请打开定位后稍候", "Waiting for your location: turn location on";
    CheckinBegin: "开始签到", "Start the check-in";
    TakePhoto: "拍照", "Take the photo";
    TryAgain: "重试", "Try again";
    CheckinOffline: "无法连接服务器：请拍一张正脸照片，联网后自动提交", "Offline: take one photo looking straight; it is sent when you are online";
    CheckinQueued: "已保存在手机上，联网后自动提交，并由工作人员复核", "Kept on the phone: it is sent when you are online, and an officer reviews it";
    CheckinPassed: "签到成功", "Checked in";
    CheckinToReview: "已提交，等待工作人员复核", "Sent: an officer will review it";
    CheckinFailed: "签到未通过", "The check-in failed";
    CheckinCounts: "计入本期签到", "It counts for this period";
    CheckinDoesNotCount: "不计入本期签到（{0}），签到时段为 {1}–{2}", "It does not count for this period ({0}): check-ins count {1}–{2}";
    RollCallTitle: "视频点名", "Video roll call";
    RollCallRinging: "正在呼叫，请在{0}前接听", "Ringing: answer before {0}";
    LeaveTitle: "请假外出", "Leave";
    LeaveAway: "外出中（{0}），请于{1}前返回并销假", "Away ({0}): come back and report by {1}";
    LeaveReady: "请假已批准（{0}），{1}起可以出发", "Leave approved ({0}): you may set off from {1}";
    LeaveFormTitle: "外出申请", "Ask for leave";
    LeaveReasonLabel: "外出事由", "Reason";
    LeaveDetailLabel: "具体事由", "Details";
    LeaveStartLabel: "出发日期", "First day";
    LeaveEndLabel: "返回日期", "Last day";
    LeaveContactLabel: "外出期间联系方式", "How to reach you while away";
    LeaveUrgentLabel: "紧急申请（提前不足规定天数）", "Urgent (less notice than the rules ask)";
    Send: "提交", "Send";
    LeaveReasonMissing: "请选择外出事由", "Choose a reason";
    LeaveDetailMissing: "请说明外出事由", "Say why you need to go";
    LeaveDestinationMissing: "请选择目的地", "Choose where you are going";
    ChooseDestination: "选择目的地", "Choose the destination";
    // Choosing a place (no map: the areas are in the app).
    PlacePickerTitle: "选择地点", "Choose a place";
    PlaceSearchLabel: "搜索省、市、区县", "Search a province, city or county";
    PlaceWholeCountry: "全国", "All of China";
    PlaceNoneFound: "没有找到“{0}”", "Nothing found for “{0}”";
    PlaceChooseCounty: "请选到区县一级", "Choose down to a county or district";
    PlaceDetailLabel: "详细地址（选填）", "Street and number (optional)";
    PlaceDone: "确定", "Use this place";
    LeaveContactMissing: "请填写外出期间的联系方式", "Say how to reach you while away";
    LeaveStartMissing: "请选择出发日期", "Choose the first day";
    LeaveEndMissing: "请选择返回日期", "Choose the last day";
    LeaveDecidedBy: "共 {0} 天，由{1}审批", "{0} days, decided by: {1}";
    LeaveLateNotice: "提前不足 {0} 天，将作为紧急申请提交", "Less than {0} days' notice: sent as urgent";
    LeaveWindowTotal: "{0} 天内累计外出 {1} 天，须上一级审批", "{1} days away within {0} days: decided one level up";
    LeaveSent: "已提交，等待审批", "Sent for approval";
    LeavesTitle: "我的请假", "My leave";
    NoLeaves: "还没有请假记录。", "No leave requests yet.";
    LeaveDates: "{0}–{1}，共 {2} 天", "{0}–{1}, {2} days";
    LeaveNowIs: "已更新：{0}", "Done: now {0}";
    ExtensionSent: "续假申请已提交：共 {0} 天，由{1}审批", "More days asked for: {0} days in all, decided by: {1}";
    StopStudying: "结束学习", "Stop studying";
    DoFaceCheck: "去完成人脸核验", "Do the face check";
    StudyTitle: "本月教育学习", "Education this month";
    ServiceTitle: "本月公益活动", "Community service this month";
    MinutesOf: "已完成 {0} / {1} 分钟", "{0} of {1} minutes done";
    MinutesDone: "已完成本月 {0} 分钟", "All {0} minutes done this month";
    DecisionTitle: "待签收的决定", "A decision to acknowledge";
    DecisionToAcknowledge: "{0}：请阅读并签收", "{0}: read it and acknowledge it";
    // Activity areas (supervisee).
    AreasTitle: "我的活动区域", "My activity area";
    NoAreas: "没有为您划定活动区域。", "No activity area is set for you.";
    AreaInForce: "生效中", "In force";
    AreaNotNow: "当前不生效", "Not in force now";
    InsideArea: "您在活动区域内", "You are inside your activity area";
    OutsideArea: "您已离开活动区域约 {0} 米，请尽快返回", "You are about {0} m outside your activity area: go back";
    // Visitors (supervisee).
    VisitorTitle: "会客登记", "Register a visitor";
    VisitorNameLabel: "来访人姓名", "Visitor's name";
    RelationLabel: "与案件的关系", "Relation to the case";
    MeetingLabel: "会见时间", "Meeting time";
    VisitorNameMissing: "请填写来访人姓名", "Enter the visitor's name";
    RelationMissing: "请选择关系", "Choose the relation";
    MeetingMissing: "请选择会见时间", "Choose the meeting time";
    PlaceMissing: "请填写会见地点", "Say where you will meet";
    PurposeMissing: "请说明会见事由", "Say why you will meet";
    VisitNeedsApproval: "与{0}会见须经工作人员批准", "Meeting a {0} needs an officer's approval";
    VisitJustRecorded: "登记备案即可，无需审批", "Recorded only: no approval needed";
    VisitorSent: "已提交：{0}", "Sent: {0}";
    // Study (supervisee).
    LessonsDone: "已完成 {0}/{1} 课", "{0} of {1} lessons done";
    CourseDue: "须在{0}前完成", "due {0}";
    CourseOverdue: "已逾期（应于{0}前完成）", "overdue (was due {0})";
    CourseDone: "已完成", "Done";
    LessonAbout: "约 {0} 分钟", "about {0} min";
    LessonAtLeast: "至少学习 {0} 分钟", "at least {0} min";
    QuizAbout: "{0} 题，{1}% 及格", "{0} questions, pass at {1}%";
    CreditedSoFar: "本次已计入 {0} 分 {1} 秒", "{0} min {1} s counted so far";
    LessonCompleted: "本课已完成", "Lesson complete";
    StudyFaceCheck: "请在{0}前完成人脸核验，否则自上次核验以来的学习时间不计入", "Check in with your face before {0}, or the time since the last check does not count";
    StudyVoided: "未按时通过人脸核验：自上次核验以来的学习时间不计入，本次学习已结束", "The face check was not passed in time: the time since the last check does not count, and this session has ended";
    StudyEnded: "本次学习已结束，共计入 {0} 分 {1} 秒", "Session ended: {0} min {1} s counted";
    BeatsWaiting: "网络中断：学习记录保存在手机上，联网后自动提交", "Offline: your study time is kept on the phone and sent when you are online";
    // Quizzes and reflections.
    AttemptOf: "第 {0} 次作答（共 {1} 次）", "Attempt {0} of {1}";
    QuizUnanswered: "还有 {0} 题未作答", "{0} questions not answered";
    QuizScore: "得分 {0}/{1}（{2}%）", "Score {0}/{1} ({2}%)";
    QuizPassed: "已通过", "Passed";
    QuizNotPassed: "未通过，及格线 {0}%", "Not passed: the pass mark is {0}%";
    QuizAwaitingReview: "含主观题，待工作人员批改", "Has written answers: an officer marks them";
    AttemptsLeft: "还可作答 {0} 次", "{0} attempts left";
    NoAttemptsLeft: "作答次数已用完", "No attempts left";
    SubmitAnswers: "提交答卷", "Submit answers";
    ReflectionTitle: "学习心得", "Reflection";
    ReflectionLength: "已写 {0} 字，至少 {1} 字", "{0} characters written, at least {1}";
    ReflectionReturned: "心得被退回：{0}", "Returned: {0}";
    ReflectionSent: "已提交，等待工作人员批阅", "Sent: an officer will read it";
    // Community service (supervisee).
    PlacesLeft: "剩余名额 {0}", "{0} places left";
    NoPlacesLeft: "名额已满", "Full";
    SignUpAction: "报名", "Sign up";
    WithdrawAction: "退出", "Withdraw";
    ScanToCheckIn: "到场后扫描组织者的二维码签到（{0}起）", "On site, scan the organiser's code to check in (from {0})";
    ScanToCheckOut: "结束时扫描组织者的二维码签退", "When done, scan the organiser's code to check out";
    CheckedInAt: "已签到：{0}", "Checked in: {0}";
    CheckedOutCredited: "已签退，计入 {0} 分钟", "Checked out: {0} minutes counted";
    NotSignedUp: "未报名此活动，请先报名", "You are not signed up for this activity: sign up first";
    ServiceNone: "近期没有可参加的公益活动。", "No community service activities coming up.";
    // Roll call (supervisee).
    RollCallNone: "现在没有视频点名。", "No roll call now.";
    RollCallAnswer: "接听", "Answer";
    RollCallInCall: "通话中：请正对镜头，并按提示转头", "In the call: face the camera and turn your head as asked";
    RollCallLast: "上次点名（{0}）：{1}", "Last roll call ({0}): {1}";
    // Decisions and notices (supervisee).
    DecisionsTitle: "决定与提醒", "Decisions and notices";
    NoDecisions: "没有决定或提醒。", "No decisions or notices.";
    DecidedOn: "{0}决定", "decided {0}";
    AcknowledgedOn: "已于{0}签收", "acknowledged {0}";
    AcknowledgeAction: "签收", "Acknowledge";
    Acknowledged: "已签收", "Acknowledged";
    // The volunteer's people and help log.
    PeopleTitle: "我的帮扶对象", "My people";
    NoPeople: "尚未分配帮扶对象。", "No one is assigned to you yet.";
    LastHelped: "上次帮扶：{0}（{1}）", "Last helped {0} ({1})";
    NeverHelped: "尚无帮扶记录", "No help logged yet";
    SessionsReturned: "{0} 条记录被退回，请修改后重新提交", "{0} returned to you: correct and send again";
    WaitingToSend: "{0} 条记录待发送，联网后自动提交", "{0} waiting to send: sent when you are online";
    RefusedToSend: "{0} 条记录未被服务器接收，请联系矫正工作人员", "{0} refused by the server: tell your officer";
    HelpLogTitle: "记录帮扶", "Log help";
    HelpKindLabel: "帮扶方式", "Kind of help";
    HelpBeganLabel: "开始时间", "Began";
    HelpMinutesLabel: "时长（分钟）", "Minutes";
    HelpNotesLabel: "帮扶内容", "What was done and said";
    HelpRisksLabel: "发现的风险", "Risks seen";
    HelpFollowUpLabel: "后续建议", "Follow-up";
    HelpKindMissing: "请选择帮扶方式", "Choose the kind of help";
    HelpBeganMissing: "请选择开始时间", "Choose when it began";
    HelpMinutesMissing: "请填写时长", "Say how many minutes";
    HelpNotesMissing: "请填写帮扶内容", "Say what was done and said";
    RisksAlertUrgent: "所选风险将立即通知矫正工作人员（紧急）", "The risks chosen alert the officers at once (urgent)";
    RisksAlert: "所选风险将通知矫正工作人员", "The risks chosen alert the officers";
    HelpSent: "已提交，等待工作人员确认", "Sent: an officer will confirm it";
    KeptOnPhone: "已保存在手机上，联网后自动提交", "Kept on the phone: it is sent when you are online";
    // Password and settings (every app).
    // What the phone itself says, outside a screen (every app).
    StatusChannel: "在线状态", "Connection";
    ScanTitle: "扫描二维码", "Scan the code";
    ScanHint: "请将组织者出示的二维码放入画面中", "Hold the code you are shown inside the picture";
    ScanCameraWhy: "扫码需要使用相机，请在设置中允许", "Scanning needs the camera: allow it in the settings";
    // Notices (the phone's notifications, when no screen of the app is shown).
    ChannelCheckNow: "即时签到与核验", "Check in now";
    ChannelRequests: "申请进展", "My requests";
    ChannelAlerts: "预警", "Alerts";
    ChannelHelp: "帮扶", "Helping";
    RequestDecided: "{0}：{1}", "{0}: {1}";
    NewDecision: "有新的决定或提醒，请查看并签收", "A new decision or notice: read it and acknowledge it";
    HelpChanged: "帮扶记录有新进展，请查看", "Something changed in your help records";
    AlertNoticeTitle: "{0}（{1}）", "{0} ({1})";
    AlertNoticeBody: "{0}：{1}", "{0}: {1}";
    OnlineNote: "正在接收通知，待发送的记录将自动提交", "Receiving notices; what waits to be sent goes by itself";
    CameraWhy: "签到需要使用前置摄像头拍摄您的面部", "The check-in takes a photo of your face with the front camera";
    LocationWhy: "签到需要记录您当前的位置", "The check-in records where you are";
    NoCamera: "无法使用摄像头，请在系统设置中允许本应用使用摄像头", "The camera cannot be used: allow it in the phone's settings";
    NoLocation: "无法获取位置，请在系统设置中打开定位并允许本应用使用", "No location: turn location on and allow it in the phone's settings";
    PasswordTitle: "设置新密码", "Set a new password";
    CurrentPasswordLabel: "当前密码", "Current password";
    NewPasswordLabel: "新密码", "New password";
    ConfirmPasswordLabel: "再次输入新密码", "New password again";
    CurrentPasswordMissing: "请输入当前密码", "Enter your current password";
    NewPasswordMissing: "请输入新密码", "Enter a new password";
    PasswordsDiffer: "两次输入的新密码不一致", "The two new passwords differ";
    PasswordChanged: "密码已修改，其他设备上的登录已退出", "Password changed: other devices were signed out";
    SettingsTitle: "设置", "Settings";
    LanguageLabel: "语言", "Language";
    SignOutAction: "退出登录", "Sign out";
    SignOutKeeps: "还有 {0} 条记录未发送：退出后仍保存在手机上，下次登录后发送", "{0} records not yet sent: they stay on the phone and are sent after you sign in again";
    SendNowAction: "立即发送", "Send now";
    SentNow: "已发送 {0} 条，{1} 条待发送", "{0} sent, {1} waiting";
    OutboxEmpty: "没有待发送的记录。", "Nothing waiting to be sent.";
    OutboxWaiting: "待发送（已尝试 {0} 次）", "waiting (tried {0} times)";
    OutboxRefused: "未被接收：{0}", "refused: {0}";
    OutboxCheckin: "人脸签到", "Face check-in";
    OutboxStudy: "学习记录", "Study time";
    OutboxHelp: "帮扶记录", "Help session";
    OutboxVisit: "走访记录", "Field visit";
    OutboxLocations: "位置上报", "Locations";
    AppVersion: "版本 {0}", "Version {0}";
    // Field visits (officer).
    VisitTitle: "记录走访", "Record a visit";
    VisitKindLabel: "方式", "Kind";
    VisitKindMissing: "请选择走访方式", "Choose the kind of visit";
    VisitAtLabel: "时间", "When";
    MetLabel: "见到的人", "Who was met";
    FindingsLabel: "走访情况", "What was seen and said";
    FindingsMissing: "请填写走访情况", "Say what was seen and said";
    VisitRecorded: "走访已记录", "Visit recorded";
    PhotosAfterSending: "走访记录发送后才能添加照片", "Photos are added once the visit is sent";
    PhotosAdded: "已添加照片 {0} 张", "{0} photos added";
    // The officer's caseload.
    CasesTitle: "矫正对象", "Caseload";
    SearchLabel: "按姓名查找", "Find by name";
    NoCases: "没有符合条件的矫正对象。", "No one matches.";
    Term: "{0}至{1}", "{0} to {1}";
    MinorBadge: "未成年", "Minor";
    FactNationalId: "身份证号", "ID number";
    FactSentence: "矫正类别", "Sentence";
    FactCrime: "罪名", "Offence";
    FactJudgment: "判决", "Judgment";
    FactTerm: "矫正期限", "Term";
    FactResidence: "居住地", "Residence";
    FactOrders: "禁止令", "Prohibition orders";
    FactSupervisionLevel: "管理类别", "Supervision level";
    CheckinPeriodMet: "本期已签到", "Checked in this period";
    CheckinPeriodOpen: "本期未签到，截止{0}", "Not checked in this period: due {0}";
    VisitDueBy: "下次{0}：{1}前", "Next {0}: by {1}";
    VisitOverdue: "{0}已逾期 {1} 天", "{0} overdue by {1} days";
    RequestCheckinAction: "要求即时签到", "Ask for a check-in now";
    StartRollCallAction: "发起视频点名", "Start a roll call";
    CheckinAskedOf: "已要求即时签到，截止{0}", "Check-in asked for: due {0}";
    RollCallStarted: "已发起视频点名", "Roll call started";
    // The volunteer's service record.
    RecordTitle: "我的志愿服务", "My volunteer service";
    RecordTotal: "{0}年已确认 {1} 分钟", "{1} minutes confirmed in {0}";
    RecordWaiting: "{0} 条记录待确认，确认后计入", "{0} sessions wait for confirmation before they count";
    MonthLine: "{0} 分钟，{1} 次", "{0} minutes, {1} sessions";
    CertificateLine: "{0}至{1}，{2} 分钟", "{0} to {1}, {2} minutes";
    NoCertificates: "尚未开具服务证明。", "No certificates issued yet.";
    // The officer's work queue.
    QueueTitle: "待办事项", "Work queue";
    QueueAll: "全部", "All";
    CountOf: "{0}（{1}）", "{0} ({1})";
    WithDetail: "{0}（{1}）", "{0} ({1})";
    LabelledValue: "{0}：{1}", "{0}: {1}";
    AndThen: "{0}；{1}", "{0}; {1}";
    QueueEmpty: "没有待办事项。", "Nothing is waiting.";
    WaitingSince: "{0}提交", "waiting since {0}";
    SettleBy: "须在{0}前处理", "to settle by {0}";
    QueueMore: "另有 {0} 项未列出：请先处理最早的事项", "{0} more not listed: settle the oldest first";
    // Deciding a request.
    FactReason: "事由", "Reason";
    FactDestination: "目的地", "Destination";
    FactDates: "日期", "Dates";
    FactContact: "外出期间联系方式", "Contact while away";
    FactLevel: "审批", "Decided by";
    FactNotice: "申请方式", "Notice";
    FactWindow: "近期累计外出", "Days away lately";
    FactStatus: "状态", "Status";
    FactVisitor: "来访人", "Visitor";
    FactMeeting: "会见时间", "Meeting";
    FactPlace: "地点", "Place";
    FactNewAddress: "新居住地", "New residence";
    FactMoveDate: "迁居日期", "Moving on";
    FactConsultation: "接收地意见", "Receiving side's opinion";
    UrgentRequest: "紧急申请", "Urgent";
    LateRequest: "提前不足规定天数", "Short notice";
    OrdinaryRequest: "按期申请", "Ordinary notice";
    WindowDays: "{0} 天内累计 {1} 天", "{1} days within {0} days";
    ConsultAgrees: "同意接收：{0}", "Agrees: {0}";
    ConsultDisagrees: "不同意接收：{0}", "Disagrees: {0}";
    ConsultPending: "尚未征求意见", "Not yet consulted";
    OpinionLabel: "审批意见", "Opinion";
    ApproveAction: "批准", "Approve";
    RejectAction: "不予批准", "Reject";
    NothingToDecide: "现为“{0}”，无需处理", "It is now {0}: there is nothing to decide";
    // The monthly assessment.
    AssessmentTitle: "月度考核", "Monthly assessment";
    MonthSoFar: "{0}（至今）", "{0} (so far)";
    Times: "{0} 次", "{0} times";
    PointsTaken: "扣 {0} 分", "−{0} points";
    PointsTakenWas: "扣 {0} 分（原 {1} 分）", "−{0} points (was {1})";
    NothingTaken: "本月没有扣分事项。", "Nothing was taken off this month.";
    ScoreAndGrade: "{0} 分，{1}", "{0} points, {1}";
    LevelNow: "现为{0}", "Now {0}";
    LevelProposed: "建议调整为{0}（是否调整由您决定）", "Proposes {0} (yours to apply)";
    AssessmentNoteLabel: "考核意见", "Note";
    FixTheLines: "请先改正标出的项目", "Fix the lines marked first";
    ConfirmedOn: "已于{0}确认", "Confirmed {0}";
    ConfirmMonth: "确认考核结果", "Confirm the month";
    MonthConfirmed: "已确认：{0} 分，{1}", "Confirmed: {0} points, {1}";
    // Proposing a reward or sanction.
    ProposeTitle: "提请奖惩", "Propose a reward or sanction";
    FactDaysOut: "脱离监管最长天数", "Longest time out of supervision";
    Days: "{0} 天", "{0} days";
    FactAdmonitions: "生效的训诫", "Admonitions in force";
    FactWarnings: "生效的警告", "Warnings in force";
    FactEducationSkipped: "经教育仍不参加学习", "Education skipped after being told";
    FactAssessedMonth: "最近确认的考核月份", "Last month assessed";
    FactRuleBreach: "违反报告等规定", "Reporting rules breached";
    FactOrderBreach: "违反禁止令", "Prohibition order breached";
    Yes: "是", "yes";
    No: "否", "no";
    ChooseGround: "请选择适用的情形", "Choose the ground";
    ProposalReasonLabel: "事实与理由", "Facts and reason";
    ProposeAction: "提请审批", "Send to the county";
    ProposalSent: "已提请，等待县级社区矫正机构审批", "Sent: the county agency decides";
    // Roll calls, from the officer's side.
    RollCallsTitle: "视频点名", "Roll calls";
    ChosenCount: "已选 {0} 人", "{0} chosen";
    ChoosePeople: "请选择点名对象", "Choose who to call";
    Now: "现在", "now";
    CallNoteLabel: "备注（对方看不到）", "Note (not shown to them)";
    StartCalls: "发起点名", "Call";
    CallsStarted: "已发起 {0} 人，{1} 人未能发起", "{0} called, {1} could not be";
    AnswerBy: "须在{0}前应答", "to answer by {0}";
    NotAnsweredYet: "对方尚未接听", "Not answered yet";
    CallOver: "点名已结束：{0}", "The call is over: {0}";
    // Electronic tags.
    TaggingTitle: "电子定位装置", "Electronic tag";
    DaysLeft: "还有 {0} 天", "{0} days left";
    ChooseDates: "请选择起止日期", "Choose the dates";
    Renewing: "延长：{0}", "Renewing: {0}";
    TagReasonLabel: "决定理由", "Reason for the decision";
    OrderTag: "作出决定", "Order it";
    TagOrdered: "已决定使用电子定位装置", "The tag is ordered";
    TagEnded: "已解除电子定位装置", "The order has ended";
    // Release.
    ReleaseTitle: "解除社区矫正", "Release";
    FactCertificate: "证明书编号", "Certificate";
    FactReleasedOn: "解除日期", "Released on";
    NotActive: "该对象现为“{0}”，不能解除", "They are {0}: there is nothing to release";
    AnnouncedAt: "宣告地点", "Announced at";
    Present: "到场人员", "Present";
    ReleaseNoteLabel: "备注", "Note";
    ReleaseAction: "解除社区矫正", "Release";
    Released: "已解除社区矫正，证明书编号 {0}", "Released: certificate {0}";
    // Asking to move.
    MoveTitle: "居住地变更申请", "Ask to move";
    ChooseNewUnit: "请选择新居住地所属的司法所", "Choose the office of the new place";
    MarkNewHome: "请选择新居住地所在的区县", "Choose the county or district of the new home";
    ChooseMoveDate: "请选择迁居日期", "Choose the day of the move";
    MoveUnitLabel: "新居住地所属的司法所", "The office of the new place";
    MoveAddressLabel: "新居住地址", "New address";
    MoveChoosePlace: "选择新居住地", "Choose where the new home is";
    MoveReasonLabel: "申请理由", "Reason";
    MoveNotice: "须至少提前 {0} 天申请", "Apply at least {0} days ahead";
    MoveDecidedBy: "由县级社区矫正机构在征求迁入地意见后决定", "The county agency decides after hearing the new place's agency";
    MoveSent: "已提交，等待审批", "Sent: waiting for a decision";
    MoveWithdrawn: "已撤回申请", "Withdrawn";
    // Reviewing what else waits: the answers.
    AgreeToReceive: "同意接收", "Agree to receive";
    DisagreeToReceive: "不同意接收", "Do not agree";
    ReviewCounts: "认定有效", "It counts";
    ReviewDoesNotCount: "认定无效", "It does not count";
    RollCallWasThem: "确认为本人", "It was them";
    RollCallWasNotThem: "认定非本人", "It was not them";
    AcceptAction: "通过", "Accept";
    ReturnAction: "退回", "Return";
    ConfirmAction: "确认", "Confirm";
    SubmitMarks: "提交评分", "Give the marks";
    ResolveAction: "处置完毕", "Handled";
    AllowPhone: "准予使用", "Allow this phone";
    RefusePhone: "不予使用", "Refuse it";
    HandlingLabel: "处置情况", "What was done";
    CommentLabel: "评语", "Comment";
    ReviewNoteLabel: "复核意见", "Review note";
    NeededToReturn: "退回时须填写需改进之处", "Needed when returning: what to improve";
    OutOf: "满分 {0} 分", "out of {0}";
    MarkMissing: "请评分", "Give it its points";
    MarkTooHigh: "须为 0 至 {0} 分", "0 to {0} points";
    NoneListed: "无", "none";
    NoFaceFound: "未检出人脸", "no face found";
    // … and their facts.
    FactTaken: "签到时间", "Taken";
    FactWhyDoubtful: "存疑原因", "Why in doubt";
    FactFaceDistance: "人脸距离（越小越像，阈值 0.6）", "Face distance (lower is closer; threshold 0.6)";
    FactRang: "点名时间", "Rang";
    FactAnswered: "应答时间", "Answered";
    FactFramesJudged: "比对帧数", "Frames compared";
    FactLesson: "课程", "Lesson";
    FactWritten: "内容", "Text";
    FactSent: "提交时间", "Sent";
    FactAttempt: "作答", "Attempt";
    FactPointsSoFar: "客观题得分", "Points so far";
    PointsOf: "{0} / {1} 分（{2}% 及格）", "{0} of {1} points ({2}% to pass)";
    FactHelper: "帮扶人", "Helper";
    FactHelpKind: "帮扶方式", "Kind";
    HelpMinutes: "{0} 分钟", "{0} min";
    FactBegan: "开始时间", "Began";
    FactNotes: "记录", "Notes";
    FactRisks: "风险情况", "Risks";
    FactFollowUp: "后续跟进", "Follow-up";
    FactAlert: "预警", "Alert";
    FactSeverity: "等级", "Severity";
    FactRaised: "预警时间", "Raised";
    FactPhone: "手机", "Phone";
    FactFirstSeen: "首次登录", "First seen";
    FactMeasure: "措施", "Measure";
    FactGround: "依据", "Ground";
    FactProposed: "提请时间", "Proposed";
    DecisionMade: "已作出决定：{0}", "Decided: {0}";
    RequestChanged: "内容已有变化（{0}），已重新载入，请核对后再决定", "It changed ({0}) and was read again: check it and decide again";
}

impl Text {
    /// The sentence in `lang` with `{0}`, `{1}`… replaced by `args` in order.
    pub fn say(self, lang: Lang, args: &[&str]) -> String {
        let (zh, en) = self.words();
        let mut out = match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
        .to_owned();
        for (i, a) in args.iter().enumerate() {
            out = out.replace(&format!("{{{i}}}"), a);
        }
        out
    }
}

/// A moment as a person reads it, in China time: "今天 08:00", "明天 17:30", "昨天 21:00", "12月9日 08:00"
/// ("today 08:00", "tomorrow 17:30", "9 Dec 08:00").
pub fn when(t: DateTime<Utc>, now: DateTime<Utc>, lang: Lang) -> String {
    let clock = t.with_timezone(&local_offset()).format("%H:%M").to_string();
    let (on, today) = (local_date(t), local_date(now));
    match (on - today).num_days() {
        0 => Text::TodayAt.say(lang, &[&clock]),
        1 => Text::TomorrowAt.say(lang, &[&clock]),
        -1 => Text::YesterdayAt.say(lang, &[&clock]),
        _ => day(on, today, lang) + " " + &clock,
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A date as a person reads it on `today`: "12月9日" ("9 Dec"), with the year when it is not
/// this one's.
pub fn day(d: chrono::NaiveDate, today: chrono::NaiveDate, lang: Lang) -> String {
    let this_year = today.year();
    let year = d.year();
    match lang {
        Lang::ZhCn if year == this_year => format!("{}月{}日", d.month(), d.day()),
        Lang::ZhCn => format!("{year}年{}月{}日", d.month(), d.day()),
        Lang::En if year == this_year => format!("{} {}", d.day(), MONTHS[d.month0() as usize]),
        Lang::En => format!("{} {} {year}", d.day(), MONTHS[d.month0() as usize]),
    }
}

/// A span of days as a person reads it on `today`: "12月7日至3月6日" ("7 Dec to 6 Mar").
pub fn term(
    start: chrono::NaiveDate,
    end: chrono::NaiveDate,
    today: chrono::NaiveDate,
    lang: Lang,
) -> String {
    Text::Term.say(lang, &[&day(start, today, lang), &day(end, today, lang)])
}

/// Items listed in a sentence: "人脸不符、未见人脸" ("Face does not match, No face seen").
pub fn list(items: &[&str], lang: Lang) -> String {
    items.join(match lang {
        Lang::ZhCn => "、",
        Lang::En => ", ",
    })
}

/// A month as a person reads it: "2026年11月" ("Nov 2026").
pub fn month(m: Month, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("{}年{}月", m.year(), m.number()),
        Lang::En => format!("{} {}", MONTHS[m.number() as usize - 1], m.year()),
    }
}

/// How long ago something was known: "刚刚", "5 分钟前", "3 小时前", or its day.
pub fn age(then: DateTime<Utc>, now: DateTime<Utc>, lang: Lang) -> String {
    let minutes = (now - then).num_minutes().max(0);
    match minutes {
        0 => Text::JustNow.say(lang, &[]),
        1..=59 => Text::MinutesAgo.say(lang, &[&minutes.to_string()]),
        60..=1439 => Text::HoursAgo.say(lang, &[&(minutes / 60).to_string()]),
        _ => when(then, now, lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sentence_is_in_both_languages_with_the_same_blanks() {
        for t in Text::ALL {
            let (zh, en) = t.words();
            assert!(!zh.trim().is_empty() && !en.trim().is_empty(), "{t:?}");
            assert!(!zh.is_ascii(), "{t:?}: the Chinese is not Chinese");
            for i in 0..4 {
                let blank = format!("{{{i}}}");
                assert_eq!(zh.contains(&blank), en.contains(&blank), "{t:?} {blank}");
            }
        }
    }

    #[test]
    fn times_read_in_china_time_for_people() {
        let now: DateTime<Utc> = "2026-12-07T01:00:00Z".parse().unwrap(); // 09:00 in China
        let t: DateTime<Utc> = "2026-12-07T15:30:00Z".parse().unwrap(); // 23:30 the same day
        assert_eq!(when(t, now, Lang::ZhCn), "今天 23:30");
        let t: DateTime<Utc> = "2026-12-07T16:30:00Z".parse().unwrap(); // 00:30 the next day
        assert_eq!(when(t, now, Lang::En), "tomorrow 00:30");
        let t: DateTime<Utc> = "2026-12-09T00:00:00Z".parse().unwrap();
        assert_eq!(when(t, now, Lang::ZhCn), "12月9日 08:00");
        assert_eq!(when(t, now, Lang::En), "9 Dec 08:00");
        let t: DateTime<Utc> = "2026-12-06T15:59:00Z".parse().unwrap(); // 23:59 the day before
        assert_eq!(when(t, now, Lang::ZhCn), "昨天 23:59");
        assert_eq!(
            age(now - chrono::Duration::minutes(5), now, Lang::ZhCn),
            "5 分钟前"
        );
        assert_eq!(age(now, now, Lang::En), "just now");
        assert_eq!(
            Text::MinutesOf.say(Lang::En, &["30", "480"]),
            "30 of 480 minutes done"
        );
    }
}
